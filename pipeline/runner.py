"""Run the stages of one page: order, fingerprints, resume, and failures that stay with it."""

from __future__ import annotations

import errno
import resource
import shutil
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import edits, manifest, stages
from pipeline.errors import PageError, SetupError
from pipeline.export import FORMATS, export, export_path
from pipeline.fileio import read_json, remove_temporaries
from pipeline.inputs import PageJob
from pipeline.options import Options
from pipeline.stages import OUTPUTS, STAGE_DIRS, STAGES
from pipeline.timelimit import time_limit


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
    page: int = 1  # the page of the source (a multi-page TIFF or PDF), so a retry can find it
    kind: str = "image"
    notes: list[str] = field(default_factory=list)  # e.g. hand edits kept aside

    def fail(self, error: str) -> None:
        self.status, self.error = "failed", error


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
    return stages.stages_for(job.kind)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _call_stage(stage: str, job: PageJob, page_dir: Path, plan: Plan) -> dict[str, Any]:
    """Run one stage; repair and correct run in this process, under the page's time limit
    (OCR's limit is Tesseract's own)."""
    entry = stages.stage(stage).run
    if stage not in ("repair", "correct"):
        return entry(job, page_dir, plan)
    limit = plan.options.timeout
    fix = "split it into one file a page" if job.kind == "text" else "check the page"
    message = (
        f"{job.source}: {stage} took longer than {limit:g} s and was stopped; "
        f"{fix}, or raise --timeout"
    )
    with time_limit(limit, message):
        return entry(job, page_dir, plan)


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
        result = _result(job)
        result.fail(_os_error(job, "", e))
    # ru_maxrss is in KiB on Linux. Tesseract's own peak cannot be told from RUSAGE_CHILDREN:
    # a forked child's figure includes the worker's pages at the fork.
    result.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def _result(job: PageJob) -> PageResult:
    return PageResult(job.name, str(job.source), page=job.page_index + 1, kind=job.kind)


@dataclass
class _Page:
    """One page while its stages run: its folder, manifest and result so far."""

    job: PageJob
    plan: Plan
    dir: Path
    man: dict[str, Any]
    result: PageResult
    order: tuple[str, ...]
    kept: list[str] = field(default_factory=list)  # hand-edited texts renamed aside

    @property
    def entries(self) -> dict[str, Any]:
        return self.man.setdefault("stages", {})

    def fail_stage(self, stage: str, error: str, **entry: Any) -> None:
        """Record a stage's failure; what later stages built on its old files goes."""
        self.result.fail(error)
        self.entries[stage] = {"status": "failed", "error": error, "started": now(), **entry}
        _invalidate_after(stage, self.order, self.entries, self.dir, self.kept)


def _run_page(job: PageJob, plan: Plan) -> PageResult:
    page = _open_page(job, plan)
    if page.result.status == "failed":
        return page.result
    lo, hi = STAGES.index(plan.first), STAGES.index(plan.last)
    for stage in page.order:
        i = STAGES.index(stage)
        if i > hi:
            break
        if i < lo:
            if not _done_before(page, stage):
                break
            continue
        fp = _fingerprint_or_fail(page, stage)
        if fp is None:
            break
        if _up_to_date(page, stage, fp):
            page.result.skipped.append(stage)
            continue
        if not _run_and_record(page, stage, fp):
            break
        manifest.save(page.dir, page.man)
    return _finish(page)


def _open_page(job: PageJob, plan: Plan) -> _Page:
    """The page's folder and manifest; failed when the folder belongs to another source."""
    page_dir = plan.output / job.name
    page_dir.mkdir(parents=True, exist_ok=True)
    remove_temporaries(page_dir, depth=1)  # left by a run killed mid-write
    man = manifest.load(page_dir)
    page = _Page(job, plan, page_dir, man, _result(job), stages_for(job))
    owner = _other_owner(man, job)
    if owner:
        page.result.fail(
            f"{job.source}: its page folder {page_dir} holds {owner}; "
            "run it with `ocr-pipeline run`, which gives it a folder of its own"
        )
        return page
    man.update(
        name=job.name, source=str(job.source.resolve()), page=job.page_index + 1, kind=job.kind
    )
    man.setdefault("stages", {})
    return page


def _done_before(page: _Page, stage: str) -> bool:
    """A stage before --from must be done already, its files there."""
    entry = page.entries.get(stage, {})
    if entry.get("status") == "done" and _outputs_exist(stage, page.dir):
        return True
    name = page.job.name
    if entry.get("status") == "done":
        error = f"{name}: the files of stage {stage} are missing or damaged; run it again first"
    elif entry.get("status") == "failed":
        error = (
            f"{name}: stage {stage} failed ({entry.get('error')}); fix that and run it again first"
        )
    else:
        error = f"{name}: stage {stage} has not run yet; run it first"
    page.result.fail(error)
    return False


def _fingerprint_or_fail(page: _Page, stage: str) -> str | None:
    """The stage's fingerprint, or None (the stage recorded failed) when it cannot run."""
    job, plan = page.job, page.plan
    if stage == "ocr" and plan.setup_error:
        page.fail_stage(stage, plan.setup_error)
        return None
    inputs = stages.stage(stage).inputs(job, page.dir, plan)
    missing = [str(p) for p in inputs if not p.is_file()]
    if missing:
        fix = "re-run the stage that writes it"
        if missing[0] == str(job.source):
            fix = "was it moved or deleted? run again with its present path"
        page.fail_stage(stage, f"{missing[0]}: missing; {fix}")
        return None
    extra = f"page={job.page_index}" if stage == "preprocess" else ""
    if stage == "ocr":
        from pipeline.ocr import tesseract_version

        extra = tesseract_version()
    return manifest.fingerprint(stage, inputs, plan.options.for_stage(stage), extra)


def _up_to_date(page: _Page, stage: str, fp: str) -> bool:
    entry = page.entries.get(stage, {})
    return (
        not page.plan.force
        and entry.get("status") == "done"
        and entry.get("fingerprint") == fp
        and _outputs_exist(stage, page.dir)
    )


def _run_and_record(page: _Page, stage: str, fp: str) -> bool:
    """Run the stage and record how it went in the manifest; False when it failed."""
    _clear(stage, page.dir, page.kept)
    if page.entries.get(stage, {}).get("fingerprint") != fp:  # new input, options or code:
        _invalidate_after(stage, page.order, page.entries, page.dir, page.kept)  # all built goes
    started = now()
    page.entries[stage] = {"status": "running", "fingerprint": fp, "started": started}
    page.man["status"], page.man["error"] = "running", None
    manifest.save(page.dir, page.man)
    t0 = time.perf_counter()
    stats, error = _attempt(page.job, stage, page.dir, page.plan)
    seconds = round(time.perf_counter() - t0, 3)
    page.result.seconds[stage] = seconds
    if error is not None:
        _clear(stage, page.dir, page.kept)
        page.fail_stage(stage, error, fingerprint=None, started=started, seconds=seconds)
        return False
    page.entries[stage] = {
        "status": "done",
        "fingerprint": fp,
        "started": started,
        "seconds": seconds,
        "stats": stats,
        "error": None,
    }
    page.result.ran.append(stage)
    return True


def _attempt(
    job: PageJob, stage: str, page_dir: Path, plan: Plan
) -> tuple[dict[str, Any] | None, str | None]:
    """(figures, None) when the stage ran, (None, reason) when it failed."""
    try:
        return _call_stage(stage, job, page_dir, plan), None
    except (PageError, SetupError) as e:
        return None, str(e)
    except MemoryError:
        fix = "split it into one file a page" if job.kind == "text" else "downscale it"
        return None, f"{job.source}: out of memory on this page; {fix} or run with fewer -j"
    except OSError as e:
        return None, _os_error(job, stage, e)
    except Exception as e:  # a bug must cost one page, not the batch
        tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return None, f"{job.source}: internal error in {stage}: {type(e).__name__}: {e} [{tb}]"


def _finish(page: _Page) -> PageResult:
    """Exports, then the page's status in its manifest."""
    result, plan, man = page.result, page.plan, page.man
    if plan.formats and result.status == "done" and plan.last == "correct":
        try:
            made = export(page.dir, set(plan.formats))
            result.notes += [f"{page.job.name}: export: {n}" for n in made.notes]
        except PageError as e:
            result.fail(f"{page.job.name}: export: {e}")
    if page.kept:  # said in the console and run.json too
        man.setdefault("edits_kept", []).extend({"file": k, "at": now()} for k in page.kept)
        result.notes += [
            f"{page.job.name}: your edited {k.split('.edited-')[0]} was kept as {k}"
            for k in page.kept
        ]
    if result.status == "done" and not _complete(page.order, plan.target, page.entries, page.dir):
        result.status = "incomplete"  # this pass stopped short of the batch's last stage
    man["status"] = result.status
    man["error"] = result.error
    manifest.save(page.dir, man)
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
            target = export_path(page_dir, fmt)
            if target.is_dir():
                shutil.rmtree(target)
            target.unlink(missing_ok=True)
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
