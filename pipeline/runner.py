"""Run the stages of one page: order, fingerprints, resume, and failures that stay with it."""

from __future__ import annotations

import errno
import resource
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import correct, edits, manifest, ocr, preprocess, repair
from pipeline.errors import PageError, SetupError
from pipeline.export import FORMATS, export, export_path
from pipeline.fileio import read_json, remove_temporaries
from pipeline.inputs import PageJob
from pipeline.options import STAGE_DIRS, STAGES, Options
from pipeline.timelimit import time_limit

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
    notes: list[str] = field(default_factory=list)  # e.g. hand edits kept aside


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
    goal: str | None = None  # the last stage the batch asks for, when this pass stops short of it

    @property
    def target(self) -> str:
        """The stage a page must have reached, current, to be done."""
        return self.goal or self.last


def stages_for(job: PageJob) -> tuple[str, ...]:
    return STAGES if job.kind == "image" else ("repair", "correct")


def now() -> str:
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
    """Run one stage; repair and correct run in this process, under the page's time limit
    (OCR's limit is Tesseract's own)."""
    if stage not in ("repair", "correct"):
        return _stage_call(stage, job, page_dir, plan)
    limit = plan.options.timeout
    fix = "split it into one file a page" if job.kind == "text" else "check the page"
    message = (
        f"{job.source}: {stage} took longer than {limit:g} s and was stopped; "
        f"{fix}, or raise --timeout"
    )
    with time_limit(limit, message):
        return _stage_call(stage, job, page_dir, plan)


def _stage_call(stage: str, job: PageJob, page_dir: Path, plan: Plan) -> dict[str, Any]:
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
    """A stage's files are there, and its JSON can be read: a stage whose output cannot be
    read is not current (it would fail every later stage, run after run)."""
    folder = page_dir / STAGE_DIRS[stage]
    if not all((folder / f).is_file() for f in OUTPUTS[stage]):
        return False
    for f in OUTPUTS[stage]:
        if f.endswith(".json"):
            try:
                read_json(folder / f)
            except (OSError, ValueError):
                return False
    return True


def _clear(stage: str, page_dir: Path, kept: list[str] | None = None) -> None:
    """Remove a stage's files before it runs, so a failure never leaves old ones looking current.

    A hand-edited text.txt is renamed aside first (`edits.keep_edit`), never removed."""
    aside = edits.keep_edit(stage, page_dir / STAGE_DIRS[stage])
    if aside is not None and kept is not None:
        kept.append(str(aside.relative_to(page_dir)))
    for f in OUTPUTS[stage]:
        (page_dir / STAGE_DIRS[stage] / f).unlink(missing_ok=True)


def run_page(job: PageJob, plan: Plan) -> PageResult:
    """Run the stages first..last of one page; never raises for a problem of the page itself."""
    try:
        result = _run_page(job, plan)
    except OSError as e:  # the page folder or its manifest cannot be written (disk full...)
        result = PageResult(job.name, str(job.source), "failed", error=_os_error(job, "", e))
    # ru_maxrss is in KiB on Linux. Tesseract's own peak cannot be told from RUSAGE_CHILDREN:
    # a forked child's figure includes the worker's pages at the fork.
    result.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def _run_page(job: PageJob, plan: Plan) -> PageResult:
    output, options, force, setup_error = plan.output, plan.options, plan.force, plan.setup_error
    page_dir = output / job.name
    page_dir.mkdir(parents=True, exist_ok=True)
    remove_temporaries(page_dir, depth=1)  # left by a run killed mid-write
    man = manifest.load(page_dir)
    owner = _other_owner(man, job)
    if owner:
        return PageResult(
            job.name,
            str(job.source),
            "failed",
            error=f"{job.source}: its page folder {page_dir} holds {owner}; "
            "run it with `ocr-pipeline run`, which gives it a folder of its own",
        )
    man.update(
        name=job.name, source=str(job.source.resolve()), page=job.page_index + 1, kind=job.kind
    )
    entries: dict[str, Any] = man.setdefault("stages", {})
    result = PageResult(job.name, str(job.source))
    kept: list[str] = []  # hand-edited texts renamed aside before their stage re-ran
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
                if entry.get("status") == "done":
                    result.error = (
                        f"{job.name}: the files of stage {stage} are missing or damaged; "
                        "run it again first"
                    )
                elif entry.get("status") == "failed":
                    result.error = (
                        f"{job.name}: stage {stage} failed ({entry.get('error')}); "
                        "fix that and run it again first"
                    )
                break
            continue
        if stage == "ocr" and setup_error:
            result.status, result.error = "failed", setup_error
            entries[stage] = {"status": "failed", "error": setup_error, "started": now()}
            _invalidate_after(stage, order, entries, page_dir, kept)
            break
        inputs = _stage_inputs(stage, job, page_dir, plan)
        missing = [str(p) for p in inputs if not p.is_file()]
        if missing:
            result.status = "failed"
            fix = "re-run the stage that writes it"
            if missing[0] == str(job.source):
                fix = "was it moved or deleted? run again with its present path"
            result.error = f"{missing[0]}: missing; {fix}"
            entries[stage] = {"status": "failed", "error": result.error, "started": now()}
            _invalidate_after(stage, order, entries, page_dir, kept)
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
        _clear(stage, page_dir, kept)
        if entry.get("fingerprint") != fp:  # new input, options or code: all that was
            _invalidate_after(stage, order, entries, page_dir, kept)  # built on the old files goes
        entries[stage] = {"status": "running", "fingerprint": fp, "started": now()}
        man["status"], man["error"] = "running", None
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
            fix = "split it into one file a page" if job.kind == "text" else "downscale it"
            error = f"{job.source}: out of memory on this page; {fix} or run with fewer -j"
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
            _clear(stage, page_dir, kept)
            entries[stage] = {
                "status": "failed",
                "fingerprint": None,
                "started": entries[stage]["started"],
                "seconds": seconds,
                "error": error,
            }
            result.status, result.error = "failed", error
            _invalidate_after(stage, order, entries, page_dir, kept)
            break
        manifest.save(page_dir, man)
    if plan.formats and result.status == "done" and plan.last == "correct":
        try:
            made = export(page_dir, set(plan.formats))
            result.notes += [f"{job.name}: export: {n}" for n in made.notes]
        except PageError as e:
            result.status, result.error = "failed", f"{job.name}: export: {e}"
    if result.status == "done" and not _complete(order, plan.target, entries, page_dir):
        result.status = "incomplete"  # this pass stopped short of the batch's last stage
    man["status"] = result.status
    man["error"] = result.error
    if kept:  # said in the console and run.json too
        man.setdefault("edits_kept", []).extend({"file": k, "at": now()} for k in kept)
        result.notes += [
            f"{job.name}: your edited {k.split('.edited-')[0]} was kept as {k}" for k in kept
        ]
    manifest.save(page_dir, man)
    if result.status == "incomplete":
        result.status = "done"  # for this pass: every stage it was asked for ran
    return result


def _complete(order: tuple[str, ...], target: str, entries: dict, page_dir: Path) -> bool:
    """Every stage of the page up to `target` done and its files there: only then is the page
    done (pass 1 of a batch stops at repair; a stage that re-ran removed the later ones)."""
    upto = STAGES.index(target)
    return all(
        entries.get(s, {}).get("status") == "done" and _outputs_exist(s, page_dir)
        for s in order
        if STAGES.index(s) <= upto
    )


def _other_owner(man: dict[str, Any], job: PageJob) -> str | None:
    """The input a page folder already belongs to, when it is not this job's: a folder is
    never reused for another source (`inputs.page_names` gives each input its own)."""
    source = man.get("source")
    page = int(man.get("page", 1)) - 1
    if source is None or (source, page) == (str(job.source.resolve()), job.page_index):
        return None
    return f"{source}" + (f" page {page + 1}" if page else "")


def _os_error(job: PageJob, stage: str, e: OSError) -> str:
    during = f" during {stage}" if stage else ""
    if e.errno == errno.ENOSPC:
        return f"{job.name}: disk full{during}; free space, then run the same command again"
    filename = getattr(e, "filename", None)
    if e.errno in (errno.EACCES, errno.EPERM):
        if filename is None or Path(filename) == Path(job.source):
            return f"{job.source}: cannot be read (permission denied); check its permissions"
        return f"{filename}: permission denied{during}; check the permissions of the output folder"
    where = f" ({filename})" if filename else ""
    return f"{job.source}:{during} {e.strerror or e}{where}"


def _invalidate_after(
    stage: str, order: tuple[str, ...], entries: dict, page_dir: Path, kept: list[str]
) -> None:
    """Later stages' files, and the exports made from them, came from inputs that no longer
    stand: remove them all at once, so none outlives a change before it."""
    for later in order[order.index(stage) + 1 :]:
        _clear(later, page_dir, kept)
        entries.pop(later, None)
    for fmt in FORMATS:
        try:
            export_path(page_dir, fmt).unlink(missing_ok=True)
        except OSError as e:  # a name too long to exist (a 250-character stem) is not there
            if e.errno != errno.ENAMETOOLONG:
                raise


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
