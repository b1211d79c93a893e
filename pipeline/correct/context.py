"""Real-word errors: a known word that is a misreading of another (`tho` for `the`).

Such a word is only changed with strong evidence from its neighbours, in log10 units:

    left  = log10 count(prev, cand) - log10 count(prev, word)
    right = log10 count(cand, next) - log10 count(word, next)
    score = left + right - COST_WEIGHT * ocr_distance(word, cand)

Both sides must favour the candidate by at least SIDE_MIN (a neighbour across punctuation
does not count, so both neighbours must be present), the score must clear THRESHOLD plus the
confidence extra, and the candidate must be one cheap listed OCR confusion away. Only
lower-case words are tried, and Title-case words opening a sentence (`Tho visitors`): there
the missing left neighbour is replaced by the unigram odds of candidate over word, capped at
START_PRIOR_CAP, so the right neighbour must carry the rest. The same stand-in is used when
the left neighbour is silent (neither pair is in the truncated list) and the word has three
letters or more. Capitalised words mid-sentence (names) and CAPITALS never are tried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.correct.bigrams import Bigrams
from pipeline.correct.ocrdistance import confusion_variants, ocr_distance

SIDE_MIN = 1.0  # each neighbour must make the candidate 10x likelier than the word as read
THRESHOLD = 3.0  # total log10 odds for a real-word change (vs 1.5 for a non-word): 1000:1
MAX_DISTANCE = 0.4  # one cheap look-alike: o/e, c/e, b/h, n/u, t/f, li/h, rn/m
COST_WEIGHT = 2.5  # as in corrector: Zipf units per edit unit
MARGIN = 1.0  # the best candidate must beat the runner-up by this much
SILENT_MIN_LENGTH = 3  # two-letter words (`af`, `oi`) have too many look-alike readings
START_PRIOR_CAP = 1.5  # at a sentence start the right side must give >= 2.25 for an o/e slip


@dataclass(frozen=True)
class RealWord:
    word: str
    score: float
    reason: str


def decide(
    prev: str | None,
    core: str,
    nxt: str,
    bigrams: Bigrams,
    extra: float = 0.0,
    prior: Callable[[str], float] | None = None,
) -> RealWord | None:
    """The word that fits between `prev` and `nxt` in place of `core`, or None (lower case).

    `prev` None means a sentence start: `prior(word)` (the lexicon's Zipf) then stands in for
    the left side.
    """
    if prev is None and prior is None:
        return None
    word = core.lower()
    scored: list[tuple[float, float, float, str]] = []
    for cand in confusion_variants(core):
        if not cand.isalpha() or cand == word:
            continue
        silent = (
            prev is not None
            and len(word) >= SILENT_MIN_LENGTH
            and not (bigrams.count(prev, cand) or bigrams.count(prev, word))
        )
        if (prev is None or silent) and prior is not None:
            left = min(prior(cand) - prior(word), START_PRIOR_CAP)
        elif prev is None:
            continue
        else:
            left = bigrams.log_count(prev, cand) - bigrams.log_count(prev, word)
        right = bigrams.log_count(cand, nxt) - bigrams.log_count(word, nxt)
        if min(left, right) < SIDE_MIN:
            continue
        dist = ocr_distance(core, cand)
        if dist > MAX_DISTANCE:
            continue
        scored.append((left + right - COST_WEIGHT * dist, left, right, cand))
    if not scored:
        return None
    scored.sort(reverse=True)
    score, left, right, cand = scored[0]
    if score < THRESHOLD + extra:
        return None
    if len(scored) > 1 and scored[1][0] > score - MARGIN:
        return None
    before = f"'{prev} {cand}'" if prev is not None else "sentence start"
    reason = (
        f"real-word error {word}->{cand}: {before} {left:+.1f}, "
        f"'{cand} {nxt}' {right:+.1f} log10 over '{word}'"
    )
    return RealWord(cand, round(score, 2), reason)
