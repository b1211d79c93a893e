"""A batch of pages: passes, the local process pool, the batch lexicon, the run summary."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from pipeline.correct import batchlex
from pipeline.fileio import read_json, write_json
from pipeline.inputs import PageJob, mark_output
from pipeline.lock import die_with_parent
from pipeline.model import RepairedPage
from pipeline.options import STAGE_DIRS, STAGES
from pipeline.runner import PageResult, Plan, now, run_page

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
    mark_output(plan.output)
    jobs = list(jobs)
    pool = _LocalPool(workers) if workers > 1 and not scheduler else None
    try:
        return _run_passes(jobs, plan, workers, on_result, scheduler, pool)
    finally:
        if pool:
            pool.close()


def _run_passes(
    jobs: list[PageJob],
    plan: Plan,
    workers: int,
    on_result: Callable[[PageResult, str], None] | None,
    scheduler: str | None,
    pool: _LocalPool | None,
) -> list[PageResult]:
    i_first, i_last, i_correct = (STAGES.index(s) for s in (plan.first, plan.last, "correct"))
    if not i_first <= i_correct <= i_last:
        return _run_pass(jobs, plan, workers, on_result, scheduler, "run", pool)
    results: dict[str, PageResult] = {}
    if plan.first != "correct":
        first = replace(plan, last="repair", goal=plan.last)
        for r in _run_pass(jobs, first, workers, on_result, scheduler, "read", pool):
            results[r.name] = r
    todo = [j for j in jobs if j.name not in results or results[j.name].status == "done"]
    try:
        lexicon_path = learn_batch_lexicon(plan.output)
    except OSError as e:  # a full disk between the passes: no page is corrected, none is done
        for job in todo:
            results[job.name] = _unlearned(job, results.get(job.name), e)
        return [results[j.name] for j in jobs if j.name in results]
    second = replace(plan, first="correct", batch_lexicon=lexicon_path)
    for r in _run_pass(todo, second, workers, on_result, scheduler, "correct", pool):
        results[r.name] = _merge(results[r.name], r) if r.name in results else r
    return [results[j.name] for j in jobs if j.name in results]


class _LocalPool:
    """One process pool for both passes, so the workers' loaded lexicons serve both.

    Replaced by a fresh pool when a worker dies (a broken pool takes no more work).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self._pool is None:
            os.environ["OMP_THREAD_LIMIT"] = "1"
            self._pool = _pool(self.workers)
        return self._pool

    def discard(self) -> None:
        """Drop a broken or interrupted pool without waiting for its work."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _run_pass(
    jobs: list[PageJob],
    plan: Plan,
    workers: int,
    on_result: Callable[[PageResult, str], None] | None,
    scheduler: str | None,
    name: str,
    pool: _LocalPool | None = None,
) -> list[PageResult]:
    if scheduler:
        from pipeline.dask_executor import dask_map

        stream = dask_map(jobs, plan, scheduler, workers)
    elif pool is None:
        stream = (run_page(job, plan) for job in jobs)
    else:
        stream = _pool_map(jobs, plan, pool)
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
        notes=first.notes + second.notes,
    )


def _unlearned(job: PageJob, first: PageResult | None, e: OSError) -> PageResult:
    """The page's result when the batch lexicon could not be written: failed, with the fix.

    Its manifest already says `incomplete` (pass 1 stops short of correct), so it is not done.
    """
    why = "disk full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
    error = (
        f"{job.name}: not corrected: {BATCH_LEXICON} cannot be written ({why}); "
        "free space or fix the output folder, then run the same command again"
    )
    base = first or PageResult(job.name, str(job.source))
    return replace(base, status="failed", error=error)


def learn_batch_lexicon(output: Path) -> Path:
    """Learn the batch's own words from every repaired page in OUTPUT (not just this run's).

    Kept as it is when no repair.json is newer than it: re-running a finished batch then
    costs no relearning (0.46 s of a 0.8 s re-run of 20 pages).
    """
    files = sorted(output.glob(f"*/{STAGE_DIRS['repair']}/repair.json"))
    path = output / BATCH_LEXICON
    if _newer_than_all(path, files):
        return path

    def pages() -> Iterator[list]:
        for f in files:
            try:
                yield RepairedPage.from_json(read_json(f)).paragraphs
            except (OSError, ValueError, KeyError):
                continue  # a damaged page is reported by its own stages, not here

    # every word, once-seen ones too: the letter slips (`learned`) are read off them
    batchlex.save(path, batchlex.learn(pages(), min_pages=1))
    return path


def _newer_than_all(path: Path, files: list[Path]) -> bool:
    try:
        mtime = path.stat().st_mtime_ns
        return all(f.stat().st_mtime_ns < mtime for f in files)
    except OSError:
        return False


def _pool_map(jobs: Iterable[PageJob], plan: Plan, pool: _LocalPool) -> Iterator[PageResult]:
    """Keep at most 2 x workers pages in flight, so memory stays flat however long the batch.

    A worker killed from outside (out-of-memory killer, a crash in a C library) breaks the
    whole pool, and every page in flight looks failed. So those pages are run again one at a
    time, each in a pool of its own: the page that kills its worker again is the one reported
    failed; the others resume (their finished stages are skipped) and succeed.
    """
    it = iter(jobs)
    pending: dict[Future, PageJob] = {}
    try:
        while True:
            while len(pending) < 2 * pool.workers:
                job = next(it, None)
                if job is None:
                    break
                pending[pool.get().submit(run_page, job, plan)] = job
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
                pool.discard()
                for job in suspects:
                    yield _run_isolated(job, plan)
    except BaseException:
        pool.discard()
        raise


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers that die with this process and stop at Ctrl-C (`lock.die_with_parent`)."""
    return ProcessPoolExecutor(workers, initializer=die_with_parent, initargs=(os.getpid(),))


def _run_isolated(job: PageJob, plan: Plan) -> PageResult:
    with _pool(1) as solo:
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
    output: Path,
    results: list[PageResult],
    seconds: float,
    args: dict,
    problems: list[str],
    merge: Callable[[dict], dict] | None = None,
) -> dict:
    """run.json; `merge` makes it the whole batch's when this run was part of one (a retry)."""
    summary = summarise_batch(results, seconds, args, problems)
    if merge is not None:
        summary = merge(summary)
    write_json(output / "run.json", summary)
    return summary


def summarise_batch(
    results: list[PageResult], seconds: float, args: dict, problems: list[str]
) -> dict:
    """What run.json records of a batch."""
    stage_seconds: dict[str, float] = {}
    for r in results:
        for s, v in r.seconds.items():
            stage_seconds[s] = round(stage_seconds.get(s, 0.0) + v, 3)
    failed = [r for r in results if r.status == "failed"]
    return {
        "finished": now(),
        "seconds": round(seconds, 3),
        "args": args,
        "pages": len(results),
        "done": len(results) - len(failed),
        "failed": len(failed),
        "fully_skipped": sum(1 for r in results if r.status == "done" and not r.ran),
        "stage_seconds": stage_seconds,
        "peak_worker_mb": max((r.peak_mb for r in results), default=0.0),
        "failures": [
            {"name": r.name, "source": r.source, "page": r.page, "kind": r.kind, "error": r.error}
            for r in failed
        ],
        "input_problems": problems,
        "notes": [n for r in results for n in r.notes],  # hand edits kept aside, exports skipped
    }
