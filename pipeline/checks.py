"""Options checked before any page runs: a bad one would fail every page the same way, late,
as an internal error that never names it."""

from __future__ import annotations

import math
from pathlib import Path

import wordfreq

from pipeline import lexicon


def check_timeout(seconds: float) -> float:
    """A finite number of seconds over 0 (0, -1, nan or inf would silently disable the limit)."""
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(
            f"--timeout {seconds:g}: give the seconds a page may take, a number over 0 "
            "(default 300)"
        )
    return seconds


def check_lang(lang: str) -> None:
    """The word-frequency lexicon for `--lang` exists (Tesseract's own data is checked apart)."""
    code = lang.split("+")[0]
    if wordfreq_code(code) not in wordfreq.available_languages(wordlist="best"):
        raise ValueError(
            f"--lang {lang}: no word list for language '{code}'; "
            "give a Tesseract language code such as eng, deu or fra"
        )


def wordfreq_code(code: str) -> str | None:
    import langcodes

    try:
        return langcodes.Language.get(code).language
    except (ValueError, LookupError):
        return None


def check_lexicons(paths: tuple[Path, ...]) -> None:
    """Each `--lexicon` is a readable word list (any text encoding; not binary data)."""
    for p in paths:
        lexicon.read_word_list(p)
