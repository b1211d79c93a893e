"""Fixtures shared by the test files."""

from __future__ import annotations

import pytest

from pipeline import lexicon


@pytest.fixture(scope="session")
def lex() -> lexicon.Lexicon:
    """The English frequency lexicon (loaded once per process anyway: `lexicon.load` caches)."""
    return lexicon.load("eng")
