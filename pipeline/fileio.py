"""Atomic writes: a file either is complete or does not exist under its final name."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_current_umask()  # what open() would give: mkstemp's 0600 is too strict


TMP_MARK = "."  # temporary files are `.<name>.<random>.tmp`: hidden, and never a final name


def remove_temporaries(folder: Path, depth: int = 2) -> int:
    """Delete temporary files a killed run left in `folder` and its subfolders (to `depth`)."""
    n = 0
    for level in range(depth + 1):
        for f in Path(folder).glob("/".join(["*"] * level + [".*.tmp"])):
            f.unlink(missing_ok=True)
            n += 1
    return n


def write_atomic(path: Path, writer: Callable[[Path], None]) -> Path:
    """Let `writer` fill a temporary file beside `path`, fsync it, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(  # the name is cut: a 250-character one must fit too
        prefix=f".{path.name[:64]}{TMP_MARK}", suffix=".tmp", dir=path.parent
    )
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, FILE_MODE)
        os.close(fd)
        writer(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes(path: Path, data: bytes) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_json(path: Path, obj: Any) -> Path:
    """UTF-8 JSON; a file name that is not UTF-8 (held as lone surrogates) is written as
    `\\udcXX` escapes, which `read_json` turns back into the very same name."""
    text = json.dumps(obj, ensure_ascii=False, indent=1) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(obj, ensure_ascii=True, indent=1) + "\n"
    return write_text(path, text)


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))
