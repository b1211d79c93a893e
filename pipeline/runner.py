"""Run stages over pages: order, fingerprints, resume, failure isolation, the batch summary."""

from __future__ import annotations

import errno
import os
import resource
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import correct, manifest, ocr, preprocess, repair
from pipeline.correct import batchlex
from pipeline.errors import PageError, SetupError
from pipeline.export import export_page
from pipeline.fileio import read_json, write_json
from pipeline.inputs import PageJob
from pipeline.model import RepairedPage
from pipeline.options import STAGE_DIRS, STAGES, Options

OUTPUTS: dict[str, tuple[str, ...]] = {
    "preprocess": ("image.png", "preprocess.json"),
    "ocr": ("ocr.json", "page.hocr", "text.txt"),
    "repair": ("repair.json", "text.txt"),
    "correct": ("text.txt", "corrections.tsv", "correct.json"),
}


@dataclass
class PageResult:
    name: str
    source: str
    status: str = "done"  # done | failed
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    peak_mb: float = 0.0  # the worker process's peak resident memory so far
    tesseract_peak_mb: float = 0.0  # the largest Tesseract child it has waited for


@dataclass(frozen=True)
class Plan:
    """What a batch asks of every page: where, with which options, which stages."""

    output: Path
    options: Options
    first: str = "preprocess"
    last: str = "correct"
    force: bool = False
    setup_error: str | None = None  # set when Tesseract is unusable: image pages fail with it
    formats: frozenset[str] = frozenset()  # exports written once the final text is done
    batch_lexicon: Path | None = None  # words the batch repeats, trusted by the correct stage


def stages_for(job: PageJob) -> tuple[str, ...]:
    return STAGES if job.kind == "image" else ("repair", "correct")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _stage_inputs(stage: str, job: PageJob, page_dir: Path, plan: Plan) -> list[Path]:
    lexicons = list(plan.options.lexicons)
    if stage == "preprocess":
        return [job.source]
    if stage == "ocr":
        return [page_dir / STAGE_DIRS["preprocess"] / "image.png"]
    if stage == "repair":
        src = job.source if job.kind == "text" else page_dir / STAGE_DIRS["ocr"] / "ocr.json"
        return [src, *lexicons]
    d = page_dir / STAGE_DIRS["repair"]
    batch = [plan.batch_lexicon] if plan.batch_lexicon else []
    return [d / "repair.json", d / "text.txt", *lexicons, *batch]


def _call_stage(stage: str, job: PageJob, page_dir: Path, plan: Plan) -> dict[str, Any]:
    options = plan.options
    out = page_dir / STAGE_DIRS[stage]
    if stage == "preprocess":
        return preprocess.run(job.source, job.page_index, out, options)
    if stage == "ocr":
        return ocr.run(page_dir / STAGE_DIRS["preprocess"], out, options)
    if stage == "repair":
        src = job.source if job.kind == "text" else page_dir / STAGE_DIRS["ocr"] / "ocr.json"
        return repair.run(src, out, options)
    return correct.run(page_dir / STAGE_DIRS["repair"], out, options, plan.batch_lexicon)


def _outputs_exist(stage: str, page_dir: Path) -> bool:
    return all((page_dir / STAGE_DIRS[stage] / f).is_file() for f in OUTPUTS[stage])


def _clear(stage: str, page_dir: Path) -> None:
    """Remove a stage's files before it runs, so a failure never leaves old ones looking current."""
    for f in OUTPUTS[stage]:
        (page_dir / STAGE_DIRS[stage] / f).unlink(missing_ok=True)


def run_page(job: PageJob, plan: Plan) -> PageResult:
    """Run the stages first..last of one page; never raises for a problem of the page itself."""
    try:
        result = _run_page(job, plan)
    except OSError as e:  # the page folder or its manifest cannot be written (disk full...)
        result = PageResult(job.name, str(job.source), "failed", error=_os_error(job, "", e))
    # ru_maxrss is in KiB on Linux
    result.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result.tesseract_peak_mb = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    return result


def _run_page(job: PageJob, plan: Plan) -> PageResult:
    output, options, force, setup_error = plan.output, plan.options, plan.force, plan.setup_error
    page_dir = output / job.name
    page_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*page_dir.glob(".*.tmp"), *page_dir.glob("*/.*.tmp")]:
        stale.unlink(missing_ok=True)  # left by a run killed mid-write
    man = manifest.load(page_dir)
    if man.get("source") not in (None, str(job.source.resolve())) or man.get("kind") not in (
        None,
        job.kind,
    ):
        man = {}  # another input now owns this name: start its record afresh
    man.update(
        name=job.name, source=str(job.source.resolve()), page=job.page_index + 1, kind=job.kind
    )
    entries: dict[str, Any] = man.setdefault("stages", {})
    result = PageResult(job.name, str(job.source))
    order = stages_for(job)
    lo = STAGES.index(plan.first)
    hi = STAGES.index(plan.last)
    for stage in order:
        i = STAGES.index(stage)
        entry = entries.get(stage, {})
        if i > hi:
            break
        if i < lo:
            if entry.get("status") != "done" or not _outputs_exist(stage, page_dir):
                result.status = "failed"
                result.error = f"{job.name}: stage {stage} has not run yet; run it first"
                break
            continue
        if stage == "ocr" and setup_error:
            result.status, result.error = "failed", setup_error
            entries[stage] = {"status": "failed", "error": setup_error, "started": _now()}
            _invalidate_after(stage, order, entries, page_dir)
            break
        inputs = _stage_inputs(stage, job, page_dir, plan)
        missing = [str(p) for p in inputs if not p.is_file()]
        if missing:
            result.status = "failed"
            result.error = f"{missing[0]}: missing; re-run the stage that writes it"
            entries[stage] = {"status": "failed", "error": result.error, "started": _now()}
            _invalidate_after(stage, order, entries, page_dir)
            break
        extra = f"page={job.page_index}" if stage == "preprocess" else ""
        if stage == "ocr":
            extra = ocr.tesseract_version()
        fp = manifest.fingerprint(stage, inputs, options.for_stage(stage), extra)
        if (
            not force
            and entry.get("status") == "done"
            and entry.get("fingerprint") == fp
            and _outputs_exist(stage, page_dir)
        ):
            result.skipped.append(stage)
            continue
        _clear(stage, page_dir)
        entries[stage] = {"status": "running", "fingerprint": fp, "started": _now()}
        manifest.save(page_dir, man)
        t0 = time.perf_counter()
        try:
            stats = _call_stage(stage, job, page_dir, plan)
            error = None
        except PageError as e:
            error = str(e)
        except SetupError as e:
            error = str(e)
        except MemoryError:
            error = f"{job.source}: out of memory on this page; downscale it or run with fewer -j"
        except OSError as e:
            error = _os_error(job, stage, e)
        except Exception as e:  # a bug must cost one page, not the batch
            tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
            error = f"{job.source}: internal error in {stage}: {type(e).__name__}: {e} [{tb}]"
        seconds = round(time.perf_counter() - t0, 3)
        result.seconds[stage] = seconds
        if error is None:
            entries[stage] = {
                "status": "done",
                "fingerprint": fp,
                "started": entries[stage]["started"],
                "seconds": seconds,
                "stats": stats,
                "error": None,
            }
            result.ran.append(stage)
        else:
            _clear(stage, page_dir)
            entries[stage] = {
                "status": "failed",
                "fingerprint": None,
                "started": entries[stage]["started"],
                "seconds": seconds,
                "error": error,
            }
            result.status, result.error = "failed", error
            _invalidate_after(stage, order, entries, page_dir)
            break
        manifest.save(page_dir, man)
    if plan.formats and result.status == "done" and plan.last == "correct":
        try:
            export_page(page_dir, set(plan.formats))
        except PageError as e:
            result.status, result.error = "failed", f"{job.name}: export: {e}"
    man["status"] = result.status
    man["error"] = result.error
    manifest.save(page_dir, man)
    return result


def _os_error(job: PageJob, stage: str, e: OSError) -> str:
    during = f" during {stage}" if stage else ""
    if e.errno == errno.ENOSPC:
        return f"{job.name}: disk full{during}; free space, then run the same command again"
    where = f" ({e.filename})" if getattr(e, "filename", None) else ""
    return f"{job.source}:{during} {e.strerror or e}{where}"


def _invalidate_after(stage: str, order: tuple[str, ...], entries: dict, page_dir: Path) -> None:
    """Later stages' files came from inputs that no longer stand: remove them."""
    for later in order[order.index(stage) + 1 :]:
        _clear(later, page_dir)
        entries.pop(later, None)


BATCH_LEXICON = "batch-lexicon.tsv"


def run_batch(
    jobs: Iterable[PageJob],
    plan: Plan,
    workers: int = 1,
    on_result: Callable[[PageResult, str], None] | None = None,
    scheduler: str | None = None,
) -> list[PageResult]:
    """Run every page, in parallel when workers > 1; a page's failure never stops the others.

    When the batch reaches the correct stage it runs in two passes: every page up to repair,
    then the words the batch repeats are learned (OUTPUT/batch-lexicon.tsv) and every page is
    corrected with them, so names and period spellings that recur are trusted. `on_result` is
    called with each page's result and the pass's name. With `scheduler` (a Dask scheduler
    address) pages run on that cluster's workers instead of a local pool.
    """
    plan.output.mkdir(parents=True, exist_ok=True)
    jobs = list(jobs)
    i_first, i_last, i_correct = (STAGES.index(s) for s in (plan.first, plan.last, "correct"))
    if not i_first <= i_correct <= i_last:
        return _run_pass(jobs, plan, workers, on_result, scheduler, "run")
    results: dict[str, PageResult] = {}
    if plan.first != "correct":
        first = replace(plan, last="repair")
        for r in _run_pass(jobs, first, workers, on_result, scheduler, "read"):
            results[r.name] = r
    lexicon_path = learn_batch_lexicon(plan.output)
    todo = [j for j in jobs if j.name not in results or results[j.name].status == "done"]
    second = replace(plan, first="correct", batch_lexicon=lexicon_path)
    for r in _run_pass(todo, second, workers, on_result, scheduler, "correct"):
        results[r.name] = _merge(results[r.name], r) if r.name in results else r
    return [results[j.name] for j in jobs if j.name in results]


def _run_pass(
    jobs: list[PageJob],
    plan: Plan,
    workers: int,
    on_result: Callable[[PageResult, str], None] | None,
    scheduler: str | None,
    name: str,
) -> list[PageResult]:
    if scheduler:
        from pipeline.dask_executor import dask_map

        stream = dask_map(jobs, plan, scheduler, workers)
    elif workers <= 1:
        stream = (run_page(job, plan) for job in jobs)
    else:
        stream = _pool_map(jobs, plan, workers)
    results = []
    for r in stream:
        results.append(r)
        if on_result:
            on_result(r, name)
    return results


def _merge(first: PageResult, second: PageResult) -> PageResult:
    return replace(
        second,
        ran=first.ran + second.ran,
        skipped=first.skipped + second.skipped,
        seconds={**first.seconds, **second.seconds},
        peak_mb=max(first.peak_mb, second.peak_mb),
        tesseract_peak_mb=max(first.tesseract_peak_mb, second.tesseract_peak_mb),
    )


def learn_batch_lexicon(output: Path) -> Path:
    """Learn the batch's own words from every repaired page in OUTPUT (not just this run's)."""

    def pages() -> Iterator[list]:
        for f in sorted(output.glob(f"*/{STAGE_DIRS['repair']}/repair.json")):
            try:
                yield RepairedPage.from_json(read_json(f)).paragraphs
            except (OSError, ValueError, KeyError):
                continue  # a damaged page is reported by its own stages, not here

    path = output / BATCH_LEXICON
    batchlex.save(path, batchlex.learn(pages()))
    return path


def _pool_map(jobs: Iterable[PageJob], plan: Plan, workers: int) -> Iterator[PageResult]:
    """Keep at most 2 x workers pages in flight, so memory stays flat however long the batch.

    A worker killed from outside (out-of-memory killer, a crash in a C library) breaks the
    whole pool, and every page in flight looks failed. So those pages are run again one at a
    time, each in a pool of its own: the page that kills its worker again is the one reported
    failed; the others resume (their finished stages are skipped) and succeed.
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"
    it = iter(jobs)
    pool = ProcessPoolExecutor(max_workers=workers)
    pending: dict[Future, PageJob] = {}
    try:
        while True:
            while len(pending) < 2 * workers:
                job = next(it, None)
                if job is None:
                    break
                pending[pool.submit(run_page, job, plan)] = job
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            suspects: list[PageJob] = []
            for fut in done:
                job = pending.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    suspects.append(job)
            if suspects:
                suspects.extend(pending.values())
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for job in suspects:
                    yield _run_isolated(job, plan)
                pool = ProcessPoolExecutor(max_workers=workers)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def _run_isolated(job: PageJob, plan: Plan) -> PageResult:
    with ProcessPoolExecutor(max_workers=1) as solo:
        try:
            return solo.submit(run_page, job, plan).result()
        except BrokenProcessPool:
            return PageResult(
                job.name,
                str(job.source),
                "failed",
                error=f"{job.source}: the worker process died (killed or crashed); "
                "retry with --retry-failed, or use fewer -j if memory is short",
            )


def write_summary(
    output: Path, results: list[PageResult], seconds: float, args: dict, problems: list[str]
) -> dict:
    stage_seconds: dict[str, float] = {}
    for r in results:
        for s, v in r.seconds.items():
            stage_seconds[s] = round(stage_seconds.get(s, 0.0) + v, 3)
    failed = [r for r in results if r.status == "failed"]
    summary = {
        "finished": _now(),
        "seconds": round(seconds, 3),
        "args": args,
        "pages": len(results),
        "done": len(results) - len(failed),
        "failed": len(failed),
        "fully_skipped": sum(1 for r in results if r.status == "done" and not r.ran),
        "stage_seconds": stage_seconds,
        "peak_worker_mb": max((r.peak_mb for r in results), default=0.0),
        "peak_tesseract_mb": max((r.tesseract_peak_mb for r in results), default=0.0),
        "failures": [{"name": r.name, "source": r.source, "error": r.error} for r in failed],
        "input_problems": problems,
    }
    write_json(output / "run.json", summary)
    return summary


def page_dirs(output: Path) -> list[Path]:
    return sorted(p.parent for p in output.glob("*/manifest.json"))


def manifest_status(page_dir: Path) -> str | None:
    return manifest.load(page_dir).get("status")


def job_from_manifest(page_dir: Path) -> PageJob | None:
    man = manifest.load(page_dir)
    if not man.get("source"):
        return None
    return PageJob(
        page_dir.name, Path(man["source"]), int(man.get("page", 1)) - 1, man.get("kind", "image")
    )
