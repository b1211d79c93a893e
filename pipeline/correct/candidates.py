"""Candidate lexicon words for an OCR word, found without a Python loop over the lexicon.

Two sources: the lexicon words within a small plain Levenshtein distance (rapidfuzz's C bulk
search over the words of nearby length), and the strings one listed OCR confusion away
(direct dictionary look-ups). The index is built once per lexicon, lazily, and cached.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.correct.ocrdistance import confusion_variants
from pipeline.lexicon import Lexicon

CANDIDATE_FLOOR = 2.5  # rarer lexicon words are never proposed as replacements


class CandidateIndex:
    def __init__(self, lex: Lexicon, floor: float = CANDIDATE_FLOOR):
        self.lex = lex
        self.by_length: dict[int, list[str]] = {}
        for w in lex.words(floor):
            self.by_length.setdefault(len(w), []).append(w)
        self.floor = floor

    def near(self, ocr: str, max_edits: int) -> list[str]:
        """Lexicon words within `max_edits` plain edits of the lower-cased OCR word."""
        query = ocr.lower()
        out: list[str] = []
        for length in range(len(query) - max_edits, len(query) + max_edits + 1):
            bucket = self.by_length.get(length)
            if not bucket:
                continue
            hits = process.extract(
                query, bucket, scorer=Levenshtein.distance, score_cutoff=max_edits, limit=None
            )
            out.extend(h[0] for h in hits)
        return out

    def confusable(self, ocr: str) -> list[str]:
        """Lexicon words one listed OCR confusion away (`tbe` -> `the`, `shaU` -> `shall`)."""
        return [v for v in confusion_variants(ocr) if self.lex.zipf(v) >= self.floor]

    def candidates(self, ocr: str, max_edits: int) -> list[str]:
        found = dict.fromkeys(self.confusable(ocr))
        if max_edits > 0:
            found.update(dict.fromkeys(self.near(ocr, max_edits)))
        found.pop(ocr.lower(), None)
        return list(found)


@lru_cache(maxsize=4)
def index_for(lex: Lexicon) -> CandidateIndex:
    """One index per lexicon and process: building it takes a fraction of a second."""
    return CandidateIndex(lex)
