"""Run pages on a Dask distributed cluster (optional extra: pip install 'ocr-pipeline[dask]').

Every worker must see the inputs and the output folder at the same paths (shared storage):
a page task reads its scan and writes its stage files itself; only the small PageResult
travels back to the client.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator
from dataclasses import replace

from pipeline.errors import SetupError
from pipeline.inputs import PageJob
from pipeline.runner import PageResult, Plan, run_page

SHARED = "INPUTS and OUTPUT must be on a file system every worker sees at the same path"


def run_remote(job: PageJob, plan: Plan) -> PageResult:
    """A page task on a worker: says plainly when the worker cannot see the files."""
    for path, what in ((plan.output, "the output folder"), (job.source, "the input")):
        if not path.exists():
            return PageResult(
                job.name,
                str(job.source),
                "failed",
                error=f"{path}: {what} is not visible on Dask worker {socket.gethostname()}; "
                f"{SHARED}",
            )
    return run_page(job, plan)


def absolute(jobs: Iterable[PageJob], plan: Plan) -> tuple[Iterator[PageJob], Plan]:
    """Paths as the client sees them: a worker's working directory is not the client's."""
    lexicon = plan.batch_lexicon.absolute() if plan.batch_lexicon else None
    plan = replace(plan, output=plan.output.absolute(), batch_lexicon=lexicon)
    return (replace(j, source=j.source.absolute()) for j in jobs), plan


def dask_map(jobs: Iterable[PageJob], plan: Plan, scheduler: str, in_flight: int) -> Iterator:
    try:
        from distributed import Client, as_completed
    except ImportError as e:
        raise SetupError(
            "the Dask executor needs the dask extra: pip install 'ocr-pipeline[dask]'"
        ) from e
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise SetupError(f"cannot reach the Dask scheduler at {scheduler} ({e})") from e
    it, plan = absolute(jobs, plan)
    with client:
        n_workers = max(
            1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        )
        limit = max(2 * n_workers, in_flight)
        futures = {}
        for job in it:
            futures[client.submit(run_remote, job, plan, pure=False)] = job
            if len(futures) >= limit:
                break
        pool = as_completed(list(futures))
        for fut in pool:
            job = futures.pop(fut)
            try:
                yield fut.result()
            except Exception as e:  # the worker died or the task could not run
                yield PageResult(
                    job.name,
                    str(job.source),
                    "failed",
                    error=f"{job.source}: dask task failed ({' '.join(str(e).split())})",
                )
            nxt = next(it, None)
            if nxt is not None:
                f = client.submit(run_remote, nxt, plan, pure=False)
                futures[f] = nxt
                pool.add(f)
