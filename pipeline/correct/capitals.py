"""`In` and `Is` in the middle of a sentence: a lower-case `i` read as a capital `I`.

Tesseract reads the `i` of `in` and `is` as a capital on blurred print (the commonest error
left on the newspaper benchmark's heavy pages). Between two lower-case words, with no sentence
end before, neither is a name or a title, so the case is mended, but only in our own OCR's
words (those with a Tesseract confidence). In raw archive text the same rule is wrong too often:
on the development sets 11 of its 77 changes were wrong, a full stop the OCR lost before a real
`In` (`it In fact`), `Is` for the shilling `1s`, German `In der`; precision 0.86, under the
0.95 the corrector keeps to. Other capitalised function words are left alone.
"""

from __future__ import annotations

from pipeline.correct.wordshape import Shape

MISREAD_CAPITALS = {"In": "in", "Is": "is"}
SCORE = 1.5  # log10 odds: a fixed rule, not a measured likelihood


def mend(before: Shape | None, word: Shape, after: Shape, conf: float | None) -> str | None:
    """The lower-case word when `word` is an OCR'd `In`/`Is` between lower-case words."""
    fixed = MISREAD_CAPITALS.get(word.core)
    if fixed is None or conf is None or before is None or word.lead or word.trail or after.lead:
        return None
    if before.trail or not _lower_word(before.core) or not _lower_word(after.core):
        return None
    return fixed


def _lower_word(core: str) -> bool:
    return core[:1].isalpha() and core[0].islower()
