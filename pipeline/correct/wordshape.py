"""The shape of a token: its punctuation, its case, and whether it may be corrected at all.

Correction works on the word core only; quotes, brackets and trailing punctuation are put back
unchanged, and the original case pattern (lower, Title, UPPER) is laid over the lexicon word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Characters OCR reads in place of letters; kept inside the core so `|ndia`, `shaU` can be fixed.
_LETTERLIKE = "|!«»"
# Newspaper OCR reads a word-final `s` as a guillemet (`dollar«`, `cent»`: on the smh dev set
# a word-final guillemet was an `s` 24 times, a dropped mark 6); kept in the core, so the
# lexicon decides (see ocrdistance)
_FINAL_S = "«»"
_CORE = re.compile(r"^([^\w|]*)(.*?)([^\w]*)$", re.DOTALL)
_URLISH = re.compile(r"(://|^www\.|@|\.(com|org|net|gov|edu|au|uk)\b)", re.IGNORECASE)
SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class Shape:
    lead: str
    core: str
    trail: str


@lru_cache(maxsize=20_000)
def split(token: str) -> Shape:
    """`"tbe,` -> ('"', 'tbe', ','); a trailing `|` is kept in the core, it may be an `l`."""
    m = _CORE.match(token)
    assert m is not None  # the pattern matches any string
    lead, core, trail = m.group(1), m.group(2), m.group(3)
    if trail and trail[0] in _FINAL_S and core[-1:].isalpha():  # `dollar«`: a misread final letter
        core, trail = core + trail[0], trail[1:]
    if core.endswith("'s") or core.endswith("’s"):  # possessive: correct the stem
        trail = core[-2:] + trail
        core = core[:-2]
    return Shape(lead, core, trail)


@lru_cache(maxsize=20_000)
def case_pattern(core: str) -> str:
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return "lower"
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    if broken_case(core) and 2 * sum(c.isupper() for c in letters) > len(letters):
        return "upper"  # `WomMAN`: capitals read partly in lower case
    if core[0].isupper():
        return "title"
    return "lower"


def apply_case(word: str, pattern: str) -> str:
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word


# Capitals after a lower-case letter inside a word (`WomMAN`, `RuBENs`): a word set in
# capitals or small capitals that the OCR read partly in lower case. Its case says nothing of a
# name, and its letters were misread. One capital alone is left to the look-alike costs (`shaU`
# is `shall`; `taUring` is `talking`, not `touring`).
_BROKEN = re.compile(r"[a-z][A-Z]{2}")
_MC = re.compile(r"^Ma?c(?=[A-Z])")  # `McNEIL`, `MacARTHUR`: a name set in capitals


def broken_case(core: str) -> bool:
    """A run of capitals right after a lower-case letter inside the word."""
    return bool(_BROKEN.search(_MC.sub("", core)))


def is_capitalised(core: str) -> bool:
    return bool(core) and core[0].isupper() and case_pattern(core) == "title"


@lru_cache(maxsize=20_000)
def skip_reason(core: str) -> str | None:
    """Why a word core is left alone whatever the lexicon says, or None if it may be corrected."""
    if len(core) < 2:
        return "too short"
    if _URLISH.search(core):
        return "url or e-mail"
    digits = sum(c.isdigit() for c in core)
    letters = sum(c.isalpha() for c in core)
    if digits:
        # only a lone look-alike digit inside a word of letters (`wi1l`, `0ld`) may be a letter
        if digits > 1 or letters < 3 or not any(c in "01586" for c in core):
            return "number"
        if core[0].isdigit() or (core[-1].isdigit() and not core[-2].isalpha()):
            return "number"
    if letters < 2:
        return "no letters"
    if any(not (c.isalpha() or c in "'’-" or c.isdigit() or c in _LETTERLIKE) for c in core):
        return "symbols"
    if case_pattern(core) == "upper" and len(core) <= 4:
        return "abbreviation"
    return None


def starts_sentence(previous: str | None) -> bool:
    """A token opens a sentence when it is first in the paragraph or follows a full stop."""
    if previous is None:
        return True
    return previous.rstrip("\"'’”)]").endswith(SENTENCE_END)
