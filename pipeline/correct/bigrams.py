"""Word-pair counts from Google Books, as shipped by the maintained `symspellpy` package.

Only the data file is used (`frequency_bigramdictionary_en_243_342.txt`, "word1 word2 count"
a line, 242k lower-case pairs), not SymSpell's own lookup. Counts are stored as a dict of
"w1 w2" -> count, read once per process on first use. The list is truncated: the rarest pair
in it has 6.4 million occurrences, so a missing pair is only known to be rarer than that; it
is given half the smallest listed count (`UNSEEN`) so a ratio against it stays conservative.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

PACKAGE = "symspellpy"
DATA_FILE = "frequency_bigramdictionary_en_243_342.txt"
# log10(count) - BIGRAM_ZIPF_OFFSET puts a pair on the lexicon's Zipf scale. Calibrated so that
# `of the` and `in the` get the Zipf value implied by P(the | of) ~ 0.25, P(the | in) ~ 0.3 and
# wordfreq's Zipf for `of` and `in` (the counts are scaled, not raw occurrences).
BIGRAM_ZIPF_OFFSET = 4.3


class Bigrams:
    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        smallest = min(counts.values()) if counts else 2
        self.unseen = smallest / 2

    def count(self, w1: str, w2: str) -> int:
        """Listed count of the lower-case pair, 0 if it is not listed."""
        return self.counts.get(f"{w1.lower()} {w2.lower()}", 0)

    def log_count(self, w1: str, w2: str) -> float:
        """log10 of the count, with unlisted pairs at log10(UNSEEN)."""
        return math.log10(self.count(w1, w2) or self.unseen)

    def zipf(self, w1: str, w2: str) -> float:
        """The pair's frequency on the Zipf scale, 0 if unlisted."""
        c = self.count(w1, w2)
        return round(math.log10(c) - BIGRAM_ZIPF_OFFSET, 2) if c else 0.0


def parse(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            counts[f"{parts[0].lower()} {parts[1].lower()}"] = int(parts[2])
    return counts


@lru_cache(maxsize=1)
def load() -> Bigrams:
    """The English pair counts; read lazily, once per process (about 0.3 s)."""
    text = (resources.files(PACKAGE) / DATA_FILE).read_text(encoding="utf-8")
    return Bigrams(parse(text))
