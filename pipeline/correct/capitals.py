"""`In` and `Is` in the middle of a sentence: a lower-case `i` read as a capital `I`.

Tesseract reads the `i` of `in` and `is` as a capital on blurred print (the commonest error
left on the newspaper benchmark's heavy pages). Between two lower-case words, with no sentence
end before, neither is a name or a title, so the case is mended, but only in our own OCR's
words (those with a Tesseract confidence). In raw archive text the same rule is wrong too often:
on the development sets 11 of its 77 changes were wrong, a full stop the OCR lost before a real
`In` (`it In fact`), `Is` for the shilling `1s`, German `In der`; precision 0.86, under the
0.95 the corrector keeps to. Other capitalised function words are left alone.

The opposite slip, a capital `I` read as `T`, makes `It` and `If` into `Tt` and `Tf`, most of
all just after an opening quote (`“Tt is even so,” said the King`: three book pages of the
development set; `runway Tt was` in the archive text). Neither is an English word, but the web
word lists know both as abbreviations (Zipf 3.6), so the corrector, which never calls a
two-letter word a misreading without context, left them. `t_for_i` mends them on an English
page, wherever they stand, but not with punctuation after (`Joseph Tf.` was a generation's
`Joseph I.`, not `If.`); `Tn` and `Ts` (for `In`, `Is`) were never seen and are left.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.correct import wordshape
from pipeline.correct.wordshape import Shape
from pipeline.lexicon import Lexicon
from pipeline.model import Paragraph

MISREAD_CAPITALS = {"In": "in", "Is": "is"}
SCORE = 1.5  # log10 odds: a fixed rule, not a measured likelihood
T_FOR_I = {"Tt": "It", "Tf": "If"}
T_REASON = "capital I read as T: `Tt`, `Tf` are no English words"


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


def t_for_i(
    paragraphs: list[Paragraph], lex: Lexicon
) -> tuple[list[Paragraph], list[tuple[str, int, str, str]]]:
    """The paragraphs with `Tt`/`Tf` read for `It`/`If` mended (English pages only), and
    (paragraph id, token, old, new)."""
    if lex.lang != "en":
        return paragraphs, []
    out, changes = [], []
    for par in paragraphs:
        tokens = list(par.tokens)
        for i, tok in enumerate(tokens):
            shape = wordshape.split(tok.text)
            fixed = T_FOR_I.get(shape.core)
            if fixed is not None and not shape.trail:  # `Joseph Tf.`: a numeral's `I.`
                text = shape.lead + fixed
                tokens[i] = replace(tok, text=text, src=list(tok.src))
                changes.append((par.id, i, tok.text, text))
        changed = tokens != par.tokens
        out.append(replace(par, tokens=tokens, lines=list(par.lines)) if changed else par)
    return out, changes
