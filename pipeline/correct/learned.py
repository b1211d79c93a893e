"""Look-alikes learned from the batch: the letter slips this batch's print and OCR repeat.

The listed confusions (`ocrdistance.CONFUSIONS`) are those of print OCR at large. A batch has
its own: Tesseract on blurred 200-dpi type reads `r` as `t` (`govetnment`, `tepublic`,
`tesidents`), ABBYY on worn type `s` as `B` (`bhort`, `btreets`, `jameB`). Such a slip shows
in the batch itself as several *different* unknown words that are each one letter away from
a word the batch also prints, always by the same letter pair: that is the idea behind
TICCL's confusion discovery. A pair seen in SLIP_MIN_PAIRS different word pairs or more becomes a
look-alike for this batch (as dear as the dearest listed one), used only for unknown words
(never to call a known word a misreading): it mends `govetnment`, never `tender` to `render`.

Guards: the unknown word has SLIP_MIN_LENGTH letters or more and follows no period pattern;
a vowel for a vowel is never learned (that is how spellings vary: `layd`, `cryed` are period
spellings of laid, cried, and `Tennor`/`Tenner` names, not `y` or `o` misread); the known word
is common (Zipf >= SLIP_TARGET_ZIPF); only letters; pairs already listed as cheap are skipped.

A page can show a slip of its own, listed or not: a typewriter whose `c` Tesseract reads as `o`
in one word in five (`whioh`, `ohildren`, `oonditions`, `siok`). `on_page` finds the pairs
behind PAGE_SLIP_MIN_WORDS different unknown words of the page, each one letter from a common
word, and behind PAGE_SLIP_MIN_SHARE of all such words (a page of names or of another language
scatters its unknown words over many pairs by chance); on that page they cost
`ocrdistance.PAGE_SLIP_COST`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from string import ascii_lowercase

from pipeline.correct import period
from pipeline.correct.constants import (
    PAGE_SLIP_MIN_SHARE,
    PAGE_SLIP_MIN_WORDS,
    SLIP_EXCESS,
    SLIP_MIN_LENGTH,
    SLIP_MIN_PAIRS,
    SLIP_TARGET_ZIPF,
)
from pipeline.correct.ocrdistance import CHEAP, single_cost
from pipeline.correct.period import VOWELS
from pipeline.lexicon import KNOWN_FLOOR, Lexicon


def confusions(counts: dict[str, int], lex: Lexicon) -> frozenset[tuple[str, str]]:
    """(as read, as printed) letter pairs the batch's words show as a recurring slip.

    `counts`: the batch's lower-case words (`batchlex.learn` with min_pages=1).
    """
    return frozenset(
        pair
        for pair, (n, expected) in evidence(counts, lex).items()
        if n >= SLIP_MIN_PAIRS and n >= SLIP_EXCESS * expected
    )


def evidence(counts: dict[str, int], lex: Lexicon) -> dict[tuple[str, str], tuple[int, float]]:
    """Each letter slip -> (word pairs showing it, pairs expected by chance).

    Chance: an unknown name or rare word is often one letter from some word of the batch;
    its letter pair is then any pair, drawn as the letters fall in the batch's words. A real
    slip shows SLIP_EXCESS times more often than that.
    """
    # `w*rd` -> the words with some letter there: one look-up a letter, not a scan of the batch
    wildcard: dict[str, list[str]] = defaultdict(list)
    for w in counts:
        if w.isalpha() and lex.zipf(w) >= SLIP_TARGET_ZIPF:
            for i in range(len(w)):
                wildcard[w[:i] + "*" + w[i + 1 :]].append(w)
    seen: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for u in counts:
        if len(u) < SLIP_MIN_LENGTH or not u.isalpha() or lex.zipf(u) >= KNOWN_FLOOR:
            continue
        if period.period_form(u, lex) is not None:
            continue
        for i in range(len(u)):
            for k in wildcard.get(u[:i] + "*" + u[i + 1 :], ()):
                slip = (u[i], k[i])
                if single_cost(*slip) > CHEAP and not (slip[0] in VOWELS and slip[1] in VOWELS):
                    seen[slip].add((u, k))
    letters: Counter[str] = Counter()
    for w in counts:
        if w.isalpha():
            letters.update(w)
    total_letters = sum(letters.values()) or 1
    share = {c: n / total_letters for c, n in letters.items()}
    same = sum(p * p for p in share.values())
    pairs = sum(len(words) for words in seen.values())
    return {
        slip: (len(words), pairs * share.get(slip[0], 0) * share.get(slip[1], 0) / (1 - same))
        for slip, words in seen.items()
    }


def describe(pairs: frozenset[tuple[str, str]]) -> str:
    return ", ".join(f"{a}->{b}" for a, b in sorted(pairs)) or "none"


def on_page(cores: list[str], lex: Lexicon) -> frozenset[tuple[str, str]]:
    """(as read, as printed) letter pairs the page's own unknown words show as a slip.

    Only words printed in lower case (not names), SLIP_MIN_LENGTH letters or more, no period
    form, that one letter pair alone makes a common word of (Zipf >= SLIP_TARGET_ZIPF: any such
    word, since a page has too few words to print both forms).
    """
    seen: Counter[tuple[str, str]] = Counter()
    for u in set(cores):
        if len(u) < SLIP_MIN_LENGTH or not (u.isalpha() and u.islower()):
            continue
        if lex.zipf(u) >= KNOWN_FLOOR or period.period_form(u, lex) is not None:
            continue
        pairs = {
            (read, printed)
            for i, read in enumerate(u)
            for printed in ascii_lowercase
            if printed != read and lex.zipf(u[:i] + printed + u[i + 1 :]) >= SLIP_TARGET_ZIPF
        }
        if len(pairs) == 1:  # `iead` (read? lead? head?) is evidence of no one slip
            seen.update(pairs)
    least = max(PAGE_SLIP_MIN_WORDS, PAGE_SLIP_MIN_SHARE * sum(seen.values()))
    return frozenset(pair for pair, n in seen.items() if n >= least)
