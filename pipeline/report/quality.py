"""A quality estimate for a page that needs no ground truth, so the worst pages can come first.

Three signals, each mapped linearly onto 0..1 (1 good) between a floor that already means a
bad page and a perfect value, then mixed by fixed weights:
- OCR confidence: Tesseract's mean word confidence, 50 -> 0, 100 -> 1 (weight 0.4). Absent
  for `.txt` input.
- Lexicon share: the share of the final words (those with a letter, edge punctuation removed)
  that the lexicon knows (`Lexicon.known`), 0.75 -> 0, 1.0 -> 1 (weight 0.4). Misreads make
  non-words, so this falls as the text gets worse, and it reads the text after correction.
  Clean English prose scores about 0.97-0.99 (names and numbers are the rest).
- Junk share: the share of input lines the repair stage dropped as junk, 0.5 -> 0, 0 -> 1
  (weight 0.2). Junk lines come from pictures, rules and noise: a page with many was hard.
The floors stretch the range where real pages fall: raw confidence and lexicon share sit
between 0.9 and 1 for most pages, which would make every score look alike. A missing signal is
left out and the weights of the others rescaled, so `.txt` pages get a score from lexicon and
junk alone. The score ranks pages for review; it is not an error rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.lexicon import Lexicon

WEIGHTS = {"conf": 0.4, "known": 0.4, "clean": 0.2}
FLOORS = {"conf": 0.5, "known": 0.75, "clean": 0.5}  # signal value (0..1) that maps to 0
_EDGE = "\"'“”‘’«»()[]{}.,;:!?*-–—…/\\"


def known_share(words: Iterable[str], lexicon: Lexicon) -> float | None:
    """Share of the words with a letter in them that the lexicon knows; None when there are none.

    A hyphenated compound counts as known when each of its parts is.
    """
    total = known = 0
    for raw in words:
        word = raw.strip(_EDGE)
        if not any(c.isalpha() for c in word):
            continue
        total += 1
        parts = [p for p in word.split("-") if p]
        if parts and all(lexicon.known(p) for p in parts):
            known += 1
    return known / total if total else None


def junk_share(repair_stats: dict[str, Any]) -> float | None:
    lines_in = repair_stats.get("lines_in")
    if not lines_in:
        return None
    return min(1.0, repair_stats.get("junk_dropped", 0) / lines_in)


def quality_score(mean_conf: float | None, known: float | None, junk: float | None) -> float | None:
    """Weighted mix of conf/100, lexicon share and 1 - junk share, each stretched from its
    floor, over the signals present; None when there is no signal at all."""
    signals = {
        "conf": None if mean_conf is None else max(0.0, min(1.0, mean_conf / 100)),
        "known": known,
        "clean": None if junk is None else 1.0 - junk,
    }
    present = {k: _stretch(v, FLOORS[k]) for k, v in signals.items() if v is not None}
    if not present:
        return None
    weight = sum(WEIGHTS[k] for k in present)
    return round(sum(WEIGHTS[k] * v for k, v in present.items()) / weight, 3)


def _stretch(value: float, floor: float) -> float:
    return max(0.0, min(1.0, (value - floor) / (1.0 - floor)))
