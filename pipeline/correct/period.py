"""Period spelling: pages printed in early modern spelling (`woulde`, `seene`, `haue`, `ioy`).

A modern lexicon lacks these forms, so on such a page a spelling-modernising "correction"
(`woulde` -> `would`, `maske` -> `make`, `shewn` -> `shown`) is as likely as a real fix, and
the ground truth keeps the printed spelling. A page is a period page when enough of its
unknown words are one regular period pattern away from a common modern word:

  * a final `-e` added: `woulde`, `seeme`, `againe`, `sleepe` (stem known, Zipf >= STEM_ZIPF),
    also before a plural `-s`: `eares`, `yeares`;
  * `-ie` for `-y`: `extremitie`, `courtesie`;
  * `u` for `v`, `v` for initial `u`, `i` for initial `j`: `haue`, `vnto`, `ioy`.

On the dev set every 1600s monograph passage with two or more such words is caught at a rate
of 0.7% of its tokens or more; newspaper pages reach 0.5% at most (OCR slips such as
`theie`), so the rate test is PERIOD_MIN_RATE with at least PERIOD_MIN_HITS words.

On a period page the corrector leaves alone: period forms themselves, changes that need a
full edit (`stid` -> `said`), vowel-only look-alikes of rare lexicon words (`shew`/`show`
differ just so), and lost spaces (the print closes up `asmuch`, `seeme`). Consonant
look-alikes (`bis` -> `his`, `aU` -> `all`) are OCR and still fixed. Real-word changes
from word-pair counts need CONTEXT_EXTRA more log10 odds: modern pair counts are weaker
evidence for period usage (`he bad them` is *bade*, not *had*). On the dev set this removed
2 wrong `bad` -> `had` changes and 4 right ones (`bow` -> `how`, `fiU` -> `fill`, ...).
"""

from __future__ import annotations

from pipeline.correct import wordshape
from pipeline.lexicon import Lexicon
from pipeline.model import Paragraph

STEM_ZIPF = 3.0  # the modern word behind a period form must be a common word
PERIOD_MIN_HITS = 2
PERIOD_MIN_RATE = 0.006  # period forms per token
VOWELS = frozenset("aeiouy")
CONTEXT_EXTRA = 0.5  # extra log10 odds for a real-word change on a period page
# The unknown-word prior's floor on a period page: the floor before session 11 (1.0), not the
# 0.5 long misreads get elsewhere. At 0.5 `marveilous` (printed so in eng_monograph_059 of
# icdar2017) became `marvellous`, the only icdar2017 passage correction made worse than raw.
OOV_PRIOR_MIN = 1.0


def period_form(core: str, lex: Lexicon) -> str | None:
    """The period pattern an unknown word follows (`-e`, `-ie`, `u/v`, `i/j`), or None."""
    w = core.lower()
    if len(w) < 4 or not w.isalpha() or lex.known(w):
        return None
    if w.endswith("e") and lex.zipf(w[:-1]) >= STEM_ZIPF:
        return "-e"
    if w.endswith("ie") and lex.zipf(w[:-2] + "y") >= STEM_ZIPF:
        return "-ie"
    if w.endswith("es") and lex.zipf(w[:-2] + "s") >= STEM_ZIPF:
        return "-es"
    for i, ch in enumerate(w):
        if ch == "u" and 0 < i < len(w) - 1 and lex.zipf(w[:i] + "v" + w[i + 1 :]) >= STEM_ZIPF:
            return "u/v"
    if w[0] == "v" and lex.zipf("u" + w[1:]) >= STEM_ZIPF:
        return "v/u"
    if w[0] == "i" and lex.zipf("j" + w[1:]) >= STEM_ZIPF:
        return "i/j"
    return None


def is_period_page(paragraphs: list[Paragraph], lex: Lexicon) -> bool:
    """Whether the page shows enough period forms to be early modern print (see docstring)."""
    tokens = [t.text for p in paragraphs for t in p.tokens]
    hits = sum(1 for t in tokens if period_form(wordshape.split(t).core, lex))
    return hits >= PERIOD_MIN_HITS and hits >= PERIOD_MIN_RATE * len(tokens)


def vowel_only(original: str, word: str) -> bool:
    """Same length, and every differing letter is a vowel on both sides (`shewn`/`shown`)."""
    a = original.lower()
    if len(a) != len(word):
        return False
    diffs = [(x, y) for x, y in zip(a, word, strict=True) if x != y]
    return bool(diffs) and all(x in VOWELS and y in VOWELS for x, y in diffs)
