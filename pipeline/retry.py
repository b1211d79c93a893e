"""`run --retry-failed OUTPUT`: which pages to run again, and run.json for the whole batch after.

A failure is recorded in two places: the page's manifest and run.json. Either may be missing
it: a page whose folder or manifest could not be written (permission denied, disk full) is
failed in run.json while its manifest still says `done` from an earlier run, or it has no
manifest at all. So both are read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.fileio import read_json
from pipeline.inputs import PageJob
from pipeline.runner import job_from_manifest, manifest_status, page_dirs

RUN_JSON = "run.json"


def last_summary(output: Path) -> dict[str, Any] | None:
    """run.json as the last run left it; None when there is none (or it is damaged)."""
    try:
        data = read_json(output / RUN_JSON)
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def jobs_to_retry(output: Path, summary: dict[str, Any] | None) -> list[PageJob]:
    """Every page not `done` in its manifest, and every page run.json lists as failed."""
    jobs: dict[str, PageJob] = {}
    for d in page_dirs(output):
        if manifest_status(d) != "done":  # failed, or stopped before its last stage
            job = job_from_manifest(d)
            if job is not None:
                jobs[job.name] = job
    for f in (summary or {}).get("failures") or []:
        name, source = f.get("name"), f.get("source")
        if not name or not source or name in jobs:
            continue
        job = (
            job_from_manifest(output / name)
            if (output / name / "manifest.json").is_file()
            else None
        )
        jobs[name] = job or PageJob(
            name, Path(source), int(f.get("page") or 1) - 1, f.get("kind") or _kind(source)
        )
    return sorted(jobs.values(), key=lambda j: j.name)


def _kind(source: str) -> str:
    return "text" if source.lower().endswith(".txt") else "image"


def whole_batch(
    output: Path, previous: dict[str, Any] | None, retried: dict[str, Any], names: set[str]
) -> dict[str, Any]:
    """run.json after a retry of the pages `names`: the whole batch (every page of OUTPUT, the
    failures of pages not retried as the last run left them), the retry's figures under
    `retry`."""
    previous = previous or {}
    kept = [f for f in previous.get("failures") or [] if f.get("name") not in names]
    failures = kept + retried["failures"]
    pages = {d.name for d in page_dirs(output)} | names | {f.get("name") for f in failures}
    stage_seconds = dict(previous.get("stage_seconds") or {})
    for s, v in retried["stage_seconds"].items():
        stage_seconds[s] = round(stage_seconds.get(s, 0.0) + v, 3)
    peak = max(float(previous.get("peak_worker_mb") or 0.0), retried["peak_worker_mb"])
    return {
        **retried,
        "seconds": round(float(previous.get("seconds") or 0.0) + retried["seconds"], 3),
        "args": previous.get("args", retried["args"]),
        "pages": len(pages),
        "done": len(pages) - len(failures),
        "failed": len(failures),
        "fully_skipped": len(pages) - len(names),
        "stage_seconds": stage_seconds,
        "peak_worker_mb": peak,
        "failures": failures,
        "input_problems": previous.get("input_problems") or [],
        "retry": {k: retried[k] for k in ("args", "pages", "done", "failed", "seconds")},
    }
