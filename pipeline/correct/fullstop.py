"""A full stop read as a final `e`: `the camp. That` read `the campse That`.

A typewriter's full stop is a heavy dot set close to the word; on faint carbon copies
Tesseract joins it to the word as an `e` (typewritten EHRI-ET-YV3549264_09: `campse That`,
`easte The`, `lefte As`, `shoese We`). Such a word is an unknown `-e` form of a common word,
with no punctuation of its own, before a capital. The same `-e` forms are early modern
spelling (`woulde`, `seeme`: see `period`), so the rule acts only on a page where they stand
mostly before a capital (FULL_STOP_SHARE of them): there a sentence ends after them, while in
period print they stand anywhere in the sentence. On the real typewritten development pages
13 of 16 such words stood before a capital and all 13 ended a sentence in the ground truth;
the book pages' 3 (`bodye and`) none. Mending them also keeps the page from being taken for
period print, which had turned the corrector's look-alike fixes off (`ond` -> `and`).

After a figure, before a capital, the same misreading needs no page to prove it: typed lists
number their items `3.` (`No. 3e Printed`, `3e Jews are`, a book's `5e Anna J.`: the
development pages' three such tokens were all a figure and a full stop). Not before lower
case or a figure: there `3e` is an old British price's `3s` (`3e 6d`, `4e per square yard`:
seven such on the archive set). Only on an English page (French prints `3e` for troisième).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.correct import period, wordshape
from pipeline.lexicon import Lexicon
from pipeline.model import Paragraph

_FIGURE_E = re.compile(r"^[0-9]{1,4}e$")
FULL_STOP_SHARE = 2 / 3  # of the page's `-e` forms standing before a capital
MIN_STOPS = 2  # fewer on a page prove nothing
REASON = "full stop read as a final e: an unknown -e form of a common word before a capital"
FIGURE_REASON = "full stop read as an e after a figure, before a capital (a list's `3.`)"


def _sentence_next(nxt: str | None) -> bool:
    """The next token opens a sentence: a capital, maybe after an opening quote or bracket."""
    if nxt is None:
        return True
    core = nxt.lstrip("\"'‘“(")
    return bool(core) and core[0].isupper()


def candidates(paragraphs: list[Paragraph], lex: Lexicon) -> tuple[list[tuple[int, int]], int]:
    """(paragraph, token) positions of `-e` forms before a capital, and all `-e` forms."""
    found, forms = [], 0
    for p, par in enumerate(paragraphs):
        toks = par.tokens
        for i, tok in enumerate(toks):
            shape = wordshape.split(tok.text)
            if shape.trail or period.period_form(shape.core, lex) != "-e":
                continue
            forms += 1
            nxt = toks[i + 1].text if i + 1 < len(toks) else None
            if _sentence_next(nxt):
                found.append((p, i))
    return found, forms


def after_figures(
    paragraphs: list[Paragraph], lex: Lexicon
) -> tuple[list[Paragraph], list[tuple[str, int, str, str]]]:
    """The paragraphs with `3e` read for `3.` mended, and (paragraph id, token, old, new)."""
    if lex.lang != "en":
        return paragraphs, []
    out, changes = [], []
    for par in paragraphs:
        toks = par.tokens
        found = [
            i
            for i, tok in enumerate(toks)
            if _figure_e(tok.text) and i + 1 < len(toks) and _sentence_next(toks[i + 1].text)
        ]
        mended = _stopped(par, found) if found else par
        changes.extend((par.id, i, par.tokens[i].text, mended.tokens[i].text) for i in found)
        out.append(mended)
    return out, changes


def _figure_e(token: str) -> bool:
    shape = wordshape.split(token)
    return not shape.trail and bool(_FIGURE_E.match(shape.core))


def _stopped(par: Paragraph, found: list[int]) -> Paragraph:
    """The paragraph with each found token's final letter made a full stop."""
    tokens = list(par.tokens)
    for i in found:
        tokens[i] = replace(tokens[i], text=tokens[i].text[:-1] + ".", src=list(tokens[i].src))
    return replace(par, tokens=tokens, lines=list(par.lines))


def mend(
    paragraphs: list[Paragraph], lex: Lexicon
) -> tuple[list[Paragraph], list[tuple[str, int, str, str]]]:
    """The paragraphs with misread full stops mended, and (paragraph id, token, old, new)."""
    found, forms = candidates(paragraphs, lex)
    if len(found) < MIN_STOPS or len(found) < FULL_STOP_SHARE * forms:
        return paragraphs, []
    out = list(paragraphs)
    changes = []
    for p in sorted({p for p, _ in found}):
        at = [i for q, i in found if q == p]
        out[p] = _stopped(paragraphs[p], at)
        changes.extend(
            (out[p].id, i, paragraphs[p].tokens[i].text, out[p].tokens[i].text) for i in at
        )
    return out, changes
