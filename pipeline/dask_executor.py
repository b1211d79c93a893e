"""Run pages on a Dask distributed cluster (optional extra: pip install 'ocr-pipeline[dask]').

Every worker must see the inputs and the output folder at the same paths (shared storage):
a page task reads its scan and writes its stage files itself; only the small PageResult
travels back to the client.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.errors import SetupError
from pipeline.inputs import PageJob
from pipeline.runner import PageResult, Plan, run_page


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
    it = iter(jobs)
    with client:
        n_workers = max(
            1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        )
        limit = max(2 * n_workers, in_flight)
        futures = {}
        for job in it:
            futures[client.submit(run_page, job, plan, pure=False)] = job
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
                    error=f"{job.source}: dask task failed ({e})",
                )
            nxt = next(it, None)
            if nxt is not None:
                f = client.submit(run_page, nxt, plan, pure=False)
                futures[f] = nxt
                pool.add(f)
