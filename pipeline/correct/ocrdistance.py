"""An OCR error model: edit distance where the look-alike confusions of print OCR cost little.

Plain Levenshtein counts `Govemment` -> `Government` as two edits, the same as any two typos;
but `rn` read as `m` is one of the commonest OCR slips. Costs here are in edit units: 1.0 is an
arbitrary insertion, deletion or substitution; a listed confusion costs 0.2-0.5. The OCR side of
a rule is matched case-sensitively against the OCR word (so `U` -> `ll` fires for `shaU` but a
lower-case `u` does not); the lexicon side is lower case. A change of case alone costs nothing:
the caller restores the original word's case pattern.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# (as OCR read it, what was printed, cost). Sources: the look-alikes listed in the OCR
# post-correction literature for 19th/20th century newspapers (o/e the commonest), checked
# against the aligned errors of the development set.
CONFUSIONS: tuple[tuple[str, str, float], ...] = (
    # multi-character splits and merges
    ("rn", "m", 0.3),
    ("m", "rn", 0.3),
    ("cl", "d", 0.3),
    ("d", "cl", 0.4),
    ("li", "h", 0.3),
    ("h", "li", 0.4),
    ("Il", "h", 0.3),  # a capital H read as I and l: `Ilorton` for `Horton`
    ("ii", "u", 0.3),
    ("ii", "n", 0.4),
    ("in", "m", 0.4),
    ("ni", "m", 0.4),
    ("ri", "n", 0.4),
    ("vv", "w", 0.3),
    ("VV", "w", 0.3),
    ("AV", "w", 0.3),
    ("U", "ll", 0.3),
    ("ll", "u", 0.5),
    ("tl", "d", 0.5),
    ("ﬁ", "fi", 0.0),
    ("ﬂ", "fl", 0.0),
    ("ﬀ", "ff", 0.0),
    ("f", "fi", 0.5),
    ("f", "fl", 0.5),
    # single characters
    ("e", "o", 0.3),
    ("o", "e", 0.3),
    ("c", "e", 0.3),
    ("e", "c", 0.3),
    ("c", "o", 0.5),
    ("o", "c", 0.5),
    ("a", "o", 0.5),
    ("o", "a", 0.5),
    ("a", "e", 0.5),
    ("s", "a", 0.5),
    ("a", "s", 0.5),
    ("n", "a", 0.5),
    ("u", "a", 0.5),
    ("B", "s", 0.4),  # ABBYY on worn type: `Btreets`, `JameB`
    ("«", "s", 0.3),  # a word-final `s` read as a guillemet: `dollar«`, `cent»`
    ("»", "s", 0.3),
    ("b", "h", 0.3),
    ("h", "b", 0.3),
    ("n", "u", 0.3),
    ("u", "n", 0.3),
    ("i", "r", 0.4),
    ("r", "i", 0.4),
    ("i", "l", 0.4),
    ("l", "i", 0.4),
    ("t", "f", 0.4),
    ("f", "t", 0.4),
    ("f", "s", 0.5),  # long s
    ("t", "l", 0.5),
    ("l", "t", 0.5),
    ("I", "l", 0.2),
    ("1", "l", 0.2),
    ("1", "i", 0.3),
    ("|", "l", 0.2),
    ("|", "i", 0.3),
    ("!", "l", 0.4),
    ("0", "o", 0.2),
    ("5", "s", 0.3),
    ("8", "b", 0.3),
    ("6", "b", 0.4),
    ("v", "y", 0.4),
    ("y", "v", 0.4),
    ("g", "q", 0.5),
    # a descender lost on faint type (carbon copies): `p` reads `n`, `q` reads `o` or `a`
    # (`canital`, `ouestion`, `conseauently` on the typewritten scans; the archive sets,
    # printed newspapers, gain one right change and lose none)
    ("n", "p", 0.5),
    ("o", "q", 0.5),
    ("a", "q", 0.5),
    ("j", "i", 0.4),
)

INDEL = 1.0
SUBST = 1.0
PUNCT_INDEL = 0.5  # a stray mark inside a word (`go.vernment`) is a cheap OCR slip
_LETTER_MARKS = frozenset("«»")  # marks that stand for a letter: dropping one is no slip

_SINGLE: dict[tuple[str, str], float] = {
    (a, b): c for a, b, c in CONFUSIONS if len(a) == 1 and len(b) == 1
}
_MULTI: tuple[tuple[str, str, float], ...] = tuple(
    (a, b, c) for a, b, c in CONFUSIONS if len(a) != 1 or len(b) != 1
)
CHEAP = max(c for _, _, c in CONFUSIONS)  # the dearest single confusion
LEARNED_COST = CHEAP  # a letter slip learned from the batch (`learned.py`)
# A letter slip the page itself repeats (`learned.on_page`): on such a page the slip is the
# rule, not the exception (a typewriter whose `c` Tesseract reads `o` in a word in five).
PAGE_SLIP_COST = 0.1


# An accent Tesseract put on a plain letter (`stréet`, `governménts`): a speck or ink spread
# over the letter. Only in `ocr_distance`, never in `confusion_variants`, so a known accented
# word (`rôle`, `débris`, period spellings) is never a suspect: only unknown words reach it.
ACCENT = 0.2


def _base(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[0]


_CASE_SIGNS = {"U"}  # a capital inside a lower-case word: `caU` is `call`, not `can`


@lru_cache(maxsize=65_536)
def single_cost(a: str, b: str) -> float:
    """Cost of reading the printed letter `b` (lower case) as `a` (cached: few letter pairs,
    asked once per cell of every distance table)."""
    if a == b or a.lower() == b:
        return 0.0
    if a in _CASE_SIGNS:
        return _SINGLE.get((a, b), SUBST)
    if not a.isascii() and b.isascii() and _base(a.lower()) == b:
        return ACCENT
    return _SINGLE.get((a, b), _SINGLE.get((a.lower(), b), SUBST))


def _del_cost(a: str) -> float:
    return INDEL if a.isalnum() or a in _LETTER_MARKS else PUNCT_INDEL


@lru_cache(maxsize=200_000)
def ocr_distance(
    ocr: str,
    word: str,
    learned: frozenset[tuple[str, str]] = frozenset(),
    page: frozenset[tuple[str, str]] = frozenset(),
) -> float:
    """Weighted edit distance from an OCR reading to a lower-case lexicon word.

    `learned`: (as read, as printed) letter pairs the batch shows as slips (`learned.py`);
    `page`: those the page itself repeats (`learned.on_page`), cheaper still.
    """
    n, m = len(ocr), len(word)
    # the multi-character rules whose OCR side starts at each position: found once, not per cell
    rules_at = [[(a, b, c) for a, b, c in _MULTI if ocr.startswith(a, i)] for i in range(n)]
    row_inf = float("inf")
    d = [[row_inf] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = d[i][j]
            if here == row_inf:
                continue
            if i < n:
                c = here + _del_cost(ocr[i])
                if c < d[i + 1][j]:
                    d[i + 1][j] = c
            if j < m:
                c = here + INDEL
                if c < d[i][j + 1]:
                    d[i][j + 1] = c
            if i < n and j < m:
                sub = single_cost(ocr[i], word[j])
                if learned and sub > LEARNED_COST and (ocr[i].lower(), word[j]) in learned:
                    sub = LEARNED_COST
                if page and sub > PAGE_SLIP_COST and (ocr[i].lower(), word[j]) in page:
                    sub = PAGE_SLIP_COST
                c = here + sub
                if c < d[i + 1][j + 1]:
                    d[i + 1][j + 1] = c
            for a, b, cost in rules_at[i] if i < n else ():
                if word.startswith(b, j):
                    ni, nj = i + len(a), j + len(b)
                    c = here + cost
                    if c < d[ni][nj]:
                        d[ni][nj] = c
    return d[n][m]


_BY_FIRST = tuple((a[0], a, b) for a, b, _ in CONFUSIONS)  # in CONFUSIONS' order


@lru_cache(maxsize=50_000)
def confusion_variants(ocr: str) -> tuple[str, ...]:
    """Every lower-case string one listed confusion away from `ocr`: cheap candidates to look up.
    Cached (a page asks about the same words many times), so a tuple: nobody can change it."""
    out: set[str] = set()
    for form in {ocr, ocr.lower()}:
        letters = set(form)
        for first, a, b in _BY_FIRST:
            if first not in letters:  # most rules' letters are not in a short word: no search
                continue
            start = form.find(a)
            while start >= 0:
                out.add((form[:start] + b + form[start + len(a) :]).lower())
                start = form.find(a, start + 1)
    out.discard(ocr.lower())
    return tuple(out)
