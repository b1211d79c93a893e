"""Raw OCR text (an archive's full-text file) as lines of words with ids, so repair can treat
it like OCR output without geometry."""

from __future__ import annotations

from pathlib import Path

from pipeline.model import Line, Word

ENCODINGS = ("utf-8", "cp1252", "latin-1")  # latin-1 decodes any byte string: the last resort


def decode(data: bytes) -> str:
    """Archive text files come in UTF-8 or a Windows code page; try them in that order."""
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 cannot fail")


def read_text(path: Path) -> str:
    text = decode(Path(path).read_bytes())
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def text_lines(raw: str) -> list[Line | None]:
    """One Line a text line (ids `t{n}`, words `t{n}.{k}`, 1-based); None for a blank line.

    A line holding only a form feed (a page break in some archive files) counts as blank.
    """
    out: list[Line | None] = []
    for n, row in enumerate(raw.split("\n"), start=1):
        parts = row.split()
        if not parts:
            out.append(None)
            continue
        words = [Word(f"t{n}.{k}", w) for k, w in enumerate(parts, start=1)]
        out.append(Line(f"t{n}", words))
    return out
