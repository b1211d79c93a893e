"""A lexicon learned from the batch itself (the TICCL idea): what recurs is probably printed.

A word the OCR read with good confidence on several pages of one batch is more likely a name
or a period spelling (`shew`, `seene`) than the same misreading repeated. Such words are
trusted: never replaced, and counted as known. Two guards: a word one cheap look-alike away
from a very common word (`tbe`, `arc`) is not trusted however often it recurs, because those
misreadings do recur on every page; nor is one whose frequent look-alike the batch prints on
OUTNUMBER times as many pages (`mado` beside `made`, `waa` beside `was`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline import fileio
from pipeline.correct import learned, period, wordshape
from pipeline.correct.constants import (
    COMMON_LOOKALIKE_DISTANCE,
    COMMON_LOOKALIKE_ZIPF,
    MISREAD_DISTANCE,
    MISREAD_GAP,
    MISREAD_MIN_PAGES,
    MISREAD_RATIO,
    OUTNUMBER,
    OUTNUMBER_DISTANCE,
    OUTNUMBER_TARGET_ZIPF,
    RARE_MAX_ZIPF,
    TRUST_MIN_PAGES,
    UNKNOWN_MISREAD_DISTANCE,
    UNKNOWN_MISREAD_ZIPF,
)
from pipeline.correct.ocrdistance import confusion_variants, ocr_distance
from pipeline.lexicon import KNOWN_FLOOR, Lexicon, common_abroad
from pipeline.model import Paragraph


def learn(
    pages: Iterable[list[Paragraph]], min_pages: int = 2, min_conf: float = 80
) -> dict[str, int]:
    """Lower-case word -> pages it appears on (conf >= min_conf or None), if >= min_pages."""
    counts: Counter[str] = Counter()
    word_of: dict[str, str | None] = {}  # token text -> its learnable word: each decided once
    for paragraphs in pages:
        seen: set[str] = set()
        for par in paragraphs:
            for i, tok in enumerate(par.tokens):
                if tok.conf is not None and tok.conf < min_conf:
                    continue
                if i and par.tokens[i - 1].text.endswith("-"):
                    continue  # `ber` of `num- ber`: words break alike on every page
                if tok.text not in word_of:
                    word_of[tok.text] = _learnable(tok.text)
                word = word_of[tok.text]
                if word:
                    seen.add(word)
        counts.update(seen)
    return {w: n for w, n in sorted(counts.items()) if n >= min_pages}


def _learnable(text: str) -> str | None:
    core = wordshape.split(text).core
    if core and not wordshape.skip_reason(core) and not core.endswith("-"):
        return core.lower()
    return None


def save(path: Path, counts: dict[str, int]) -> None:
    body = "".join(f"{w}\t{n}\n" for w, n in sorted(counts.items()))
    fileio.write_text(Path(path), body)


def load(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        word, _, n = line.partition("\t")
        if word and n.strip().isdigit():
            counts[word] = int(n)
    return counts


def looks_like_common_misreading(word: str, lex: Lexicon) -> bool:
    return any(
        lex.zipf(v) >= COMMON_LOOKALIKE_ZIPF and ocr_distance(word, v) <= COMMON_LOOKALIKE_DISTANCE
        for v in confusion_variants(word)
    )


def unknown_misreading(word: str, lex: Lexicon) -> bool:
    """An unknown word one cheap OCR slip from a well-known word (`moming`, `tumed`, `buming`).

    Such a misreading recurs across a batch wherever the same face blurs the same way, so
    recurrence is no evidence for it. Period spellings (`seene`, `woulde`) are kept out by
    `period.period_form`; known rare words (`shew`) are not touched by this rule.
    """
    if lex.known(word) or period.period_form(word, lex) is not None:
        return False
    return any(
        lex.zipf(v) >= UNKNOWN_MISREAD_ZIPF and ocr_distance(word, v) <= UNKNOWN_MISREAD_DISTANCE
        for v in confusion_variants(word)
    )


def outnumbered(word: str, counts: dict[str, int], lex: Lexicon, frequent: list[str]) -> bool:
    """A rare word one OCR slip from a frequent word that the batch prints far more often.

    `mado` on 3 pages of a batch that prints `made` on 40 (or `waa`, `tbo` beside `was`,
    `the`) is the same misreading recurring; a period spelling (`shew`) is printed
    consistently, so its modern form is rare in that batch. `frequent`: the batch's words
    of Zipf >= OUTNUMBER_TARGET_ZIPF.
    """
    n = counts.get(word, 0)
    if lex.zipf(word) >= RARE_MAX_ZIPF:
        return False
    hits = process.extract(word, frequent, scorer=Levenshtein.distance, score_cutoff=2, limit=None)
    return any(
        counts[v] >= OUTNUMBER * n and ocr_distance(word, v) <= OUTNUMBER_DISTANCE
        for v, _, _ in hits
    )


def trusted(counts: dict[str, int], lex: Lexicon, min_pages: int = TRUST_MIN_PAGES) -> frozenset:
    """The batch words to trust: on min_pages pages or more, and not a common misreading."""
    frequent = [w for w in counts if lex.zipf(w) >= OUTNUMBER_TARGET_ZIPF]
    return frozenset(
        w
        for w, n in counts.items()
        if n >= min_pages
        and not looks_like_common_misreading(w, lex)
        and not unknown_misreading(w, lex)
        and not outnumbered(w, counts, lex, frequent)
    )


def misread(counts: dict[str, int], lex: Lexicon) -> dict[str, str]:
    """Known rare words the batch prints on far more pages than their look-alike predicts,
    each with the word it stands for.

    `waa` on 10 pages of a batch that prints `was` on 60, where English prints `waa` once for
    every 16,000 `was`; `und` beside `and`: the batch's recurring misreading, even where a
    page prints it only once. Page counts understate the frequent word (it is on every
    page), so only words far rarer than their look-alike are judged (RARE_MAX_ZIPF, as the
    corrector's suspects; `mere`/`more` recurring in a serial is not), and a word on fewer
    than MISREAD_MIN_PAGES pages never is.
    """
    out = {}
    for w, n in counts.items():
        z = lex.zipf(w)
        if n < MISREAD_MIN_PAGES or not w.isalpha() or not KNOWN_FLOOR <= z < RARE_MAX_ZIPF:
            continue
        if common_abroad(w):  # `und` of a German passage
            continue
        best = None
        for v in confusion_variants(w):
            zv, nv = lex.zipf(v), counts.get(v, 0)
            if zv - z < MISREAD_GAP or not nv or ocr_distance(w, v) > MISREAD_DISTANCE:
                continue
            if looks_like_common_misreading(v, lex):  # `tbo` stands for `the`, not `tho`
                continue
            if n >= MISREAD_RATIO * nv * 10 ** (z - zv) and (best is None or zv > best[0]):
                best = (zv, v)
        if best is not None:
            out[w] = best[1]
    return out


@dataclass(frozen=True)
class Knowledge:
    """What a batch teaches the corrector, worked out once from its word counts."""

    trusted: frozenset[str] = frozenset()
    slips: frozenset[tuple[str, str]] = frozenset()  # `learned.confusions`: (`t`, `r`)
    misread: dict[str, str] = field(default_factory=dict)  # `misread`: `waa` -> `was`


def knowledge(counts: dict[str, int], lex: Lexicon) -> Knowledge:
    """Trusted words, letter slips and recurring misreadings of a batch's `learn` counts."""
    return Knowledge(trusted(counts, lex), learned.confusions(counts, lex), misread(counts, lex))
