"""Find the pages to process: files and folders in, one job per page out, with stable names."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PageError
from pipeline.preprocess.load import page_count

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}
TEXT_EXTS = {".txt"}


@dataclass(frozen=True)
class PageJob:
    name: str  # the page's folder under OUTPUT
    source: Path
    page_index: int = 0  # 0-based page of a multi-page file
    kind: str = "image"  # "image" enters at preprocess, "text" at repair


def _walk(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Usable files under a folder, and the folders that could not be listed, with why.

    `Path.rglob` skips a subfolder it cannot read without a word; a batch must say so.
    """
    unreadable: list[tuple[str, str]] = []

    def note(e: OSError) -> None:
        unreadable.append((str(e.filename), e.strerror or str(e)))

    found = []
    for root, dirs, names in os.walk(folder, onerror=note):
        dirs.sort()
        found += [f for f in (Path(root) / n for n in names) if f.is_file() and _usable(f)]
    return sorted(found), unreadable


def find_files(inputs: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Input files in a stable order, and a one-line problem for each input that can't be used."""
    files: list[Path] = []
    problems: list[str] = []
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            found, unreadable = _walk(p)
            files.extend(found)
            for folder, why in unreadable:
                problems.append(f"{folder}: folder cannot be read ({why}); check its permissions")
        elif p.is_file():
            if _usable(p):
                files.append(p)
            else:
                problems.append(f"{p}: not an image ({', '.join(sorted(IMAGE_EXTS))}) or .txt file")
        else:
            problems.append(f"{p}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def _usable(f: Path) -> bool:
    return f.suffix.lower() in IMAGE_EXTS | TEXT_EXTS and not f.name.startswith(".")


def page_names(files: list[Path]) -> dict[Path, str]:
    """Name = the file's stem; stems shared by several files get their parent folders prefixed."""
    counts = Counter(f.stem for f in files)
    names = {}
    for f in files:
        if counts[f.stem] == 1:
            names[f] = f.stem
        else:
            parts = [p for p in f.resolve().parent.parts[-2:] if p not in ("/", "")]
            names[f] = "_".join([*parts, f.stem])
    return names


def expand_jobs(files: list[Path]) -> list[PageJob]:
    jobs = []
    for f, name in page_names(files).items():
        if f.suffix.lower() in TEXT_EXTS:
            jobs.append(PageJob(name, f, 0, "text"))
            continue
        try:
            n = page_count(f) if f.suffix.lower() in {".tif", ".tiff", ".pdf"} else 1
        except PageError:
            n = 1  # the preprocess stage reports the problem for this page
        if n == 1:
            jobs.append(PageJob(name, f, 0, "image"))
        else:
            jobs.extend(PageJob(f"{name}-p{i + 1:04d}", f, i, "image") for i in range(n))
    return jobs
