"""Fixtures shared by the test files.

Plain helpers the test files share (the sample raw text, running the command line, reading
its JSON, a command without root's file-permission override) are in `tests/helpers.py`;
small drawn pages in `tests/drawing.py`; the benchmark's synthetic newspaper pages in
`bench.pagegen`.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import lexicon
from tests.drawing import text_page


@pytest.fixture(scope="session")
def lex() -> lexicon.Lexicon:
    """The English frequency lexicon (`lexicon.load` caches it per process anyway)."""
    return lexicon.load("eng")


@pytest.fixture
def page_image(tmp_path: Path) -> Path:
    """A stage-1 folder (`1-preprocess/`) holding a small text page, `image.png` at 300 dpi."""
    d = tmp_path / "1-preprocess"
    d.mkdir()
    text_page().save(d / "image.png", dpi=(300, 300))
    return d


@pytest.fixture
def fake_tesseract(tmp_path: Path) -> Callable[[str], str]:
    """Makes a stand-in Tesseract: a shell script running `body`; returns its path (for
    `TESSERACT_ENV`)."""

    def make(body: str) -> str:
        f = tmp_path / "fake-tesseract"
        f.write_text("#!/bin/sh\n" + body + "\n")
        f.chmod(f.stat().st_mode | stat.S_IEXEC)
        return str(f)

    return make
