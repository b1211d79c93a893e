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

A list's item number can lose its full stop to a comma as well: genealogies number a family's
children `1. Barnabas, born ...`, `2. Jonathan, ...`, and Tesseract reads some of them `2,
Jonathan` (15 on four genealogy pages of the development books). A figure and a comma before
a capital is also prose (`Lib. 2, N. Y.`, `May 10, Mr. Hughes`), so `item_numbers` mends it
only where the page's own numbering says it is an item: it opens a paragraph or follows a
sentence's end (or a comma, which a misread full stop before a run-in item often is), the
items beside it (figures with a full stop or a comma, before a capital, in the same places)
carry the numbers just before or after its own, and the page numbers at least half of its
items (two or more) with a full stop.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.correct import period, wordshape
from pipeline.lexicon import Lexicon
from pipeline.model import Paragraph

_FIGURE_E = re.compile(r"^[0-9]{1,4}e$")
_ITEM = re.compile(r"^([0-9]{1,2})([.,])$")
# what the token before an item ends with: a sentence's end, or a comma (Tesseract reads the
# full stop before a run-in item as a comma too: `died 1771, 6, Sarah, born`)
_BEFORE_ITEM = (".", ";", ":", "!", "?", ",")
FULL_STOP_SHARE = 2 / 3  # of the page's `-e` forms standing before a capital
MIN_STOPS = 2  # fewer on a page prove nothing
ITEM_MIN_STOPS = 2  # items numbered with a full stop a page needs to show its numbering
REASON = "full stop read as a final e: an unknown -e form of a common word before a capital"
FIGURE_REASON = "full stop read as an e after a figure, before a capital (a list's `3.`)"
ITEM_REASON = "a list item's number read with a comma: the page's items around it run N-1., N+1."


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
        mended, mends = _stopped(par, found)
        changes.extend(mends)
        out.append(mended)
    return out, changes


def item_numbers(
    paragraphs: list[Paragraph],
) -> tuple[list[Paragraph], list[tuple[str, int, str, str]]]:
    """The paragraphs with `2, Jonathan` read for `2. Jonathan` mended where the page's item
    numbers around it run on (see the module docstring), and (paragraph id, token, old, new)."""
    items = _items(paragraphs)
    stops = sum(mark == "." for *_, mark in items)
    if stops < ITEM_MIN_STOPS or stops * 2 < len(items):
        return paragraphs, []
    found: dict[int, list[int]] = {}
    for k, (p, i, n, mark) in enumerate(items):
        before = items[k - 1][2] if k > 0 else None
        after = items[k + 1][2] if k + 1 < len(items) else None
        if mark == "," and (before == n - 1 or after == n + 1):
            found.setdefault(p, []).append(i)
    out, changes = list(paragraphs), []
    for p, at in found.items():
        out[p], mends = _stopped(paragraphs[p], at)
        changes.extend(mends)
    return out, changes


def _items(paragraphs: list[Paragraph]) -> list[tuple[int, int, int, str]]:
    """(paragraph, token, number, mark) of every token shaped as a list item's number, in
    page order: a figure with a full stop or a comma before a capital, opening a paragraph or
    after a sentence's end (or a comma)."""
    out = []
    for p, par in enumerate(paragraphs):
        toks = par.tokens
        for i, tok in enumerate(toks):
            m = _ITEM.match(tok.text)
            if not m or i + 1 == len(toks) or not _sentence_next(toks[i + 1].text):
                continue
            if i == 0 or toks[i - 1].text.rstrip("\"'’”)").endswith(_BEFORE_ITEM):
                out.append((p, i, int(m[1]), m[2]))
    return out


def _figure_e(token: str) -> bool:
    shape = wordshape.split(token)
    return not shape.trail and bool(_FIGURE_E.match(shape.core))


def _stopped(par: Paragraph, found: list[int]) -> tuple[Paragraph, list[tuple[str, int, str, str]]]:
    """The paragraph with each found token's final character made a full stop, and
    (paragraph id, token, old, new) of each."""
    if not found:
        return par, []
    tokens = list(par.tokens)
    changes = []
    for i in found:
        new = tokens[i].text[:-1] + "."
        changes.append((par.id, i, tokens[i].text, new))
        tokens[i] = replace(tokens[i], text=new, src=list(tokens[i].src))
    return replace(par, tokens=tokens, lines=list(par.lines)), changes


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
        out[p], mends = _stopped(paragraphs[p], at)
        changes.extend(mends)
    return out, changes
