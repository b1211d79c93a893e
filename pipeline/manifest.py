"""Per-page manifest.json and the fingerprints that decide whether a stage can be skipped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline import stages
from pipeline.codehash import code_hash
from pipeline.fileio import read_json, write_json


def code_version(stage: str) -> str:
    """Hash of every module of `pipeline` the stage runs: any change to its code re-runs it."""
    return code_hash(stages.stage(stage).modules)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fingerprint(stage: str, inputs: list[Path], options: dict[str, Any], extra: str = "") -> str:
    """Stage inputs (contents), options that matter to it, and its code version, in one hash."""
    h = hashlib.sha256()
    h.update(stage.encode())
    h.update(code_version(stage).encode())
    h.update(json.dumps(options, sort_keys=True).encode())
    h.update(extra.encode())
    for p in inputs:
        h.update(file_digest(p).encode())
    return h.hexdigest()[:24]


def load(page_dir: Path) -> dict[str, Any]:
    f = page_dir / "manifest.json"
    if not f.exists():
        return {}
    try:
        data = read_json(f)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}  # a damaged manifest only costs a re-run
    return data if isinstance(data, dict) else {}


def save(page_dir: Path, manifest: dict[str, Any]) -> None:
    write_json(page_dir / "manifest.json", manifest)
