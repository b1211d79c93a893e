"""Exports of a finished page, written beside its stage folders: `OUTPUT/<name>/<name>.<ext>`.

hOCR, ALTO 4 and a searchable PDF put the corrected words on their boxes in the page image, in
reading order (see `words.py` for how each word is placed); txt is the final text; articles is
a folder of one text file an article (`articles.py`). A `.txt` input has no image, so only
its txt and articles exports are written and the others are noted as skipped.
Words without any place on the image (a paragraph typed in by hand) are left out of the image
formats, and noted; the txt export is always complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PageError
from pipeline.export.alto import to_alto
from pipeline.export.articles import FOLDER as ARTICLES_FOLDER
from pipeline.export.articles import write_articles
from pipeline.export.hocr import to_hocr
from pipeline.export.pdf import to_pdf
from pipeline.export.txt import to_txt
from pipeline.export.words import ExportPage, load_page
from pipeline.fileio import write_bytes

FORMATS = ("hocr", "alto", "pdf", "txt", "articles")
SUFFIX = {"hocr": ".hocr", "alto": ".alto.xml", "pdf": ".pdf", "txt": ".txt"}
WRITERS: dict[str, Callable[[ExportPage], bytes]] = {
    "hocr": to_hocr,
    "alto": to_alto,
    "pdf": to_pdf,
    "txt": to_txt,
}
NEEDS_IMAGE = {"hocr", "alto", "pdf"}


@dataclass
class ExportResult:
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # formats skipped, words left out


def parse_formats(value: str) -> set[str]:
    """`hocr,alto` -> {"hocr", "alto"}; "all" gives every format; ValueError names a bad one."""
    names = {v.strip().lower() for v in value.split(",") if v.strip()}
    if "all" in names:
        return set(FORMATS)
    bad = sorted(names - set(FORMATS))
    if bad:
        raise ValueError(f"unknown format {', '.join(bad)} (choose from {', '.join(FORMATS)})")
    if not names:
        raise ValueError(f"no format given (choose from {', '.join(FORMATS)})")
    return names


NAME_MAX = 255  # bytes in one file name on Linux file systems


def export_path(page_dir: Path, fmt: str) -> Path:
    """The export's file (for `articles`, its folder)."""
    if fmt == "articles":
        return Path(page_dir) / ARTICLES_FOLDER
    return Path(page_dir) / f"{Path(page_dir).name}{SUFFIX[fmt]}"


def export(page_dir: Path, formats: set[str]) -> ExportResult:
    """Write the requested exports of one page atomically; PageError if it cannot be read."""
    page = load_page(page_dir)
    result = ExportResult()
    missing = sorted(set(formats) & NEEDS_IMAGE) if page.image is None else []
    if missing:
        result.notes.append(f"no page image (text input): {', '.join(missing)} skipped")
    elif page.placed == 0 and set(formats) & NEEDS_IMAGE:
        missing = sorted(set(formats) & NEEDS_IMAGE)
        result.notes.append(
            f"no word has a place on the image (text edited by hand?): {', '.join(missing)} skipped"
        )
    elif page.unplaced and set(formats) & NEEDS_IMAGE:
        result.notes.append(
            f"{page.unplaced} words without a place on the image left out of the image formats"
        )
    if "articles" in formats:
        result.written += write_articles(page_dir, page.text)
    for fmt in WRITERS:
        if fmt not in formats or fmt in missing:
            continue
        target = export_path(page_dir, fmt)
        if len(os.fsencode(target.name)) > NAME_MAX:
            raise PageError(
                f"{target.name}: file name too long for the file system; "
                "rename the input to a shorter name and run it again"
            )
        try:
            data = WRITERS[fmt](page)
        except OSError as e:
            raise PageError(f"{page.name}: cannot make {fmt} ({e})") from e
        result.written.append(write_bytes(target, data))
    return result


def export_page(page_dir: Path, formats: set[str]) -> list[Path]:
    """Write the requested exports of one finished page; returns the files written."""
    return export(page_dir, formats).written


__all__ = ["FORMATS", "ExportResult", "export", "export_page", "export_path", "parse_formats"]
