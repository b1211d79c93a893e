"""The page's own vocabulary: a word it prints several times, read with confidence, is common
there whatever its frequency in the language (a cache of the document, as in TICCL).

A typewritten report on the laws against the Jews prints `Jews` eleven times; its worn `J`
is read `dJews`, `Jdews` on some of them. An unknown token one edit from a word the page
itself prints PAGE_WORD_MIN times is that word — when it is the only such page word, the
page is not in period spelling (there the variants of a page word are its spellings), and
the token could be no name (capitalised mid-sentence, capitals) or is a listed look-alike of a
name the page prints (`Sarah Ilorton` on a genealogy page of Hortons: one edit from `Horton`
may be another family's name, `Hurton`, but a look-alike is a misreading). The token needs
PAGE_TOKEN_MIN_LENGTH letters: four-letter tokens are near too many words (`froe` is *free*,
not the page's `from`; `tiie` is *the*, not `time`).

Measured (5 Dec 2026): on the archive sets 26 more changes, 25 right (smh 18 of 18, icdar2017
6 of 7, the tesseract set 1 of 1); on the real scans 9 words on 5 pages, all right
(`Yonathan`, `Soshua`, `Feople`, `AYrticle`, `dJews`, `Jdews`, `beine`, `atches`, `derno.`);
none on the synthetic newspaper and multi-article pages. Names as look-alikes (7 Dec 2026):
7 more changes on the archive sets, all right, and `Ilorton` twice on book page h025.
"""

from __future__ import annotations

from collections import Counter

from pipeline.correct import wordshape
from pipeline.correct.constants import (
    PAGE_TOKEN_MIN_LENGTH,
    PAGE_WORD_CONF,
    PAGE_WORD_MAX_DISTANCE,
    PAGE_WORD_MIN,
    PAGE_WORD_MIN_LENGTH,
    PAGE_WORD_MIN_ZIPF,
)
from pipeline.correct.ocrdistance import ocr_distance
from pipeline.lexicon import Lexicon
from pipeline.model import Paragraph


def vocabulary(paragraphs: list[Paragraph], lex: Lexicon) -> dict[str, tuple[int, str]]:
    """Lower-case word -> (times the page prints it, its commonest printed form), for common
    words it prints PAGE_WORD_MIN times or more (read at PAGE_WORD_CONF or surer where the
    OCR gave a confidence)."""
    forms: dict[str, Counter[str]] = {}
    for par in paragraphs:
        for tok in par.tokens:
            if tok.conf is not None and tok.conf < PAGE_WORD_CONF:
                continue
            core = wordshape.split(tok.text).core
            if len(core) >= PAGE_WORD_MIN_LENGTH and core.isalpha():
                forms.setdefault(core.lower(), Counter())[core] += 1
    words = {w: (c.total(), c.most_common(1)[0][0]) for w, c in forms.items()}
    return {
        w: (n, form)
        for w, (n, form) in words.items()
        if n >= PAGE_WORD_MIN and lex.zipf(w) >= PAGE_WORD_MIN_ZIPF
    }


def page_word(
    core: str,
    words: dict[str, tuple[int, str]],
    learned: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[str, float] | None:
    """The one page word within PAGE_WORD_MAX_DISTANCE of `core`, and its distance; None when
    there is none or more than one."""
    low = core.lower()
    if len(low) < PAGE_TOKEN_MIN_LENGTH:
        return None
    near = [
        (w, d)
        for w in words
        if abs(len(w) - len(low)) <= 1
        and w != low
        and (d := ocr_distance(core, w, learned)) <= PAGE_WORD_MAX_DISTANCE
    ]
    return near[0] if len(near) == 1 else None
