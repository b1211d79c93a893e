"""Per-page manifest.json and the fingerprints that decide whether a stage can be skipped."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.fileio import read_json, write_json

PACKAGE = Path(__file__).resolve().parent
SHARED_CODE = ("model.py", "options.py", "fileio.py", "lexicon.py", "errors.py")


@lru_cache(maxsize=8)
def code_version(stage: str) -> str:
    """Hash of the stage's own source and the shared modules: any code change re-runs it."""
    h = hashlib.sha256()
    files = sorted((PACKAGE / stage).rglob("*.py")) + [PACKAGE / f for f in SHARED_CODE]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


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
