"""Line-end hyphens: a split word to join (`So-` + `viets`) or a real compound to keep.

Justified newspaper columns split many words, so a line-end hyphen is a split unless there is
evidence for a compound. The word-frequency lexicon has no hyphenated entries (wordfreq splits
on hyphens), so "the hyphenated form is attested" is judged from the parts:
  * productive prefix (`self-`, `re-`, `co-`, ...) + a known word, and the closed form unknown,
    or rare (Zipf < 3) and much rarer than the word: keep (`self-esteem`, `re-establish`,
    `co-respondent`); `co-operation` joins, `cooperation` being common (4.3). Not `un-`
    before a lower-case word, which print sets closed however rare the word (`unquenched`,
    `unselfishness`, `unpolished`; `un-American` keeps), nor `ex-` when the closed form is a
    word at all (`exclaim`; `ex-president` keeps): on the real scans those were all joined;
  * two common words (Zipf >= 3.5 each, the second not a common word ending like `ling`,
    `ment`) whose closed form is unknown: keep (`hair-splitting`, `gold-dust`). Not when the
    first is a function word: no compound starts with `to`, `of`, `the`; splits do
    (`to-gether`), and a common word after one, making no word with it, means the hyphen was
    a speck (`to-` / `relatives`: `stray_end`, before this is asked). A name split at the
    line end whose halves are words (`Bin-` / `stock` for Binstock) is kept as a compound:
    told from `Sunday-school` by nothing the lexicon knows (tried: joining a capitalised half
    before a lower-case one cost the synthetic pages their `Sunday-school`), only by the
    page itself (below). A closed form the lexicon knows at all is taken (`police-man` ->
    `policeman`, `Went-worth` -> `Wentworth`): on the dev set, rarity tests beyond this only
    did harm.
  * a capitalised second half keeps the hyphen when the first is capitalised too
    (`Anglo-Saxon`, `Russo-Turkish`), or is a prefix before a capitalised word of 4+ letters
    (`anti-American`); after a lower-case word that is no prefix, the capital starts another
    line's text (a running head: `ex-` / `THE`; the next column: `sup-` / `Nice`) or is
    misread, and the hyphen is treated as any other split (`citizen-Ship`).
Before any of these (a lower-case second half), the page's own spelling decides where it
prints the word whole one way only: `Binstock` elsewhere on the page joins `Bin-` / `stock`,
`to-day` mid-line keeps `to-` / `day` hyphenated (`Lexicon.on_page`). Then a hyphen inside a
longer compound (`five-year-` / `old`, `scratched-` / `but-handsome`) is kept when both parts
are words and their fusion is rare: the word list has tokenizer fusions such as `yearold`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.lexicon import Lexicon

# Prefixes that make hyphenated compounds in English print.
PREFIXES = frozenset(
    "self non re co ex anti pre post well half all pro counter semi quasi vice ill sub super "
    "inter ultra over under cross un mid".split()
)
HALF_ZIPF = 3.5  # both halves at least this common: a plausible compound of two words
# Word endings that the lexicon also lists as words; a second half like these is a split.
SUFFIXES = frozenset(
    "ling lings ment ments tion tions sion sions ness less ing ings ed er ers est ly ous ful "
    "able ible ance ence ant ants ent ents ist ists ism ity ive ize ise ship al ally ure ures "
    "age ages ary ery ory ton ford ham ville".split()
)
# `un-` closes up before a lower-case word; `ex-` closed is a word of its own (`exclaim`).
CLOSED_PREFIXES = frozenset({"un"})
OWN_WORD_PREFIXES = frozenset({"ex", "un"})
# No compound starts with these; a line-end hyphen after one is a split (`to-gether`) or a slip.
FUNCTION_WORDS = frozenset(
    "a an the to of in on at by for from with as and or but is was be it that this".split()
)
PREFIX_GAP = 1.0  # prefix + word: closed form this much rarer (Zipf) than the word...
PREFIX_RARE = 3.0  # ...and rare in itself (`selfesteem` 1.85, `reestablish` 2.7): hyphenated
# Parts of a longer compound are words (`scratched` 3.5, `year` 6.0); a split leaves at least
# one fragment that is none (`scious`, `perialist`, `tem` 2.9).
CHAIN_PART_ZIPF = 3.0

_LEFT = re.compile(r"^(?P<pre>.*?)(?P<core>[^\W\d_](?:[^\W\d_]|['’])*)-$")
_RIGHT = re.compile(r"^(?P<core>[^\W\d_]+(?:['’][^\W\d_]+)?)(?P<rest>.*)$")


@dataclass(frozen=True)
class HyphenDecision:
    action: str  # "join" or "keep"
    result: str
    reason: str
    zipf: float = 0.0  # of the joined word, when the lexicon knows it


def is_split_candidate(left: str) -> bool:
    """A word ending in one hyphen after a letter: `So-`, `(self-`, `being-Park-`; not `--`."""
    return bool(_LEFT.match(left))


# Tesseract reads a line's first letter as a capital now and then (on the synthetic newspaper
# pages' plain text 24 times: `ma-` / `Jority`, `de-` / `Sire`; on a typewritten report
# `citizen-` / `Ship.`). After a line-end hyphen such a capital is joined, in lower case,
# when the lower-case join is a word this common (Zipf); real compounds stay apart
# (`anglosaxon` 1.2, `unamerican` 2.2) and so does other text (`proby` 1.5).
CASE_SLIP_ZIPF = 3.0
# Other text after a split word's first half opens with a common word (`By`, `Nice`, `THE`).
OTHER_TEXT_ZIPF = 3.0


def decide(left: str, right: str, lex: Lexicon) -> HyphenDecision | None:
    """Join or keep `left` (ending in `-`) with `right`, the next line's first word.

    None when this is not a word split at all (`right` starts with a digit or a symbol), or
    not one mended here: a capitalised word after a lower-case half that makes no compound
    (the next line is other text; the split word goes on elsewhere, `pro-` ... `gram`). Case and
    trailing punctuation of both halves are kept as printed.
    """
    lm, rm = _LEFT.match(left), _RIGHT.match(right)
    if not lm or not rm:
        return None
    lc, rc = lm["core"], rm["core"]
    joined_text = left[:-1] + right
    kept_text = left + right
    joined = lc + rc
    jz, lz, rz = lex.zipf(joined), lex.zipf(lc), lex.zipf(rc)
    prefix = lc.lower() in PREFIXES
    if rc[0].isupper() and not lc.isupper():
        sz = lex.zipf(lc + rc.lower())
        if (len(rc) == 1 or rc[1:].islower()) and sz >= CASE_SLIP_ZIPF:
            # the next line's first letter read as a capital (`ap-` / `Pears,`, `Mis-` /
            # `Sissippi`, `citizen-` / `Ship.`): joined, in lower case as printed
            at = right.index(rc[0])
            text = left[:-1] + right[:at] + right[at].lower() + right[at + 1 :]
            why = f"joined word known ({sz}) with '{rc[0]}' read for '{rc[0].lower()}'"
            return HyphenDecision("join", text, why, sz)
        title = len(rc) < 2 or not rc.isupper()  # `Saxon`, not `THE`: a running head
        if lc[0].isupper() and title:
            return HyphenDecision("keep", kept_text, "both halves capitalised (Anglo-Saxon)")
        if lc[0].islower() and prefix and len(rc) >= 4 and title and lex.known(rc):
            why = f"prefix '{lc}-' + a capitalised word (anti-American)"
            return HyphenDecision("keep", kept_text, why)
        if lc[0].isupper() and rc.isupper():
            # a word in capitals and small caps read partly in lower case (`Eviza-` /
            # `BETH`: ELIZABETH in book h034)
            return _split(joined_text, jz, lex.known(joined), "a word in capitals split")
        if rz >= OTHER_TEXT_ZIPF and lc.lower() not in FUNCTION_WORDS:
            # `pro-` / `By Carrie Chapman Catt`: a byline, heading or running head stands
            # between the halves of a split word; joined, it would make `proBy`, no word
            return None
        # no common word after the capital (`rep-` / `Tesentation`, `proposi-` / `Uon`): a
        # misread continuation; or no split at all (`the-` / `Western`: a speck read as a
        # hyphen after a word no word starts with): joined for the corrector, as printed
        return _split(joined_text, jz, lex.known(joined), "a capital after no compound's half")
    seen = _printed_on_page(lc, rc, joined_text, kept_text, jz, lex)
    if seen is not None:
        return seen
    chained = _chained_compound(lm["pre"], rm["rest"], lc, rc, jz, lex)
    if chained:
        return HyphenDecision("keep", kept_text, chained)
    rare = not lex.known(joined) or (jz < PREFIX_RARE and jz < rz - PREFIX_GAP)
    if lc.lower() in OWN_WORD_PREFIXES and lex.known(joined):
        rare = False  # `exclaim`, `unselfishness`: the closed form is the word
    if lc.lower() in CLOSED_PREFIXES and rc[0].islower():
        rare = False  # `unquenched`: print sets `un-` closed before a lower-case word
    if prefix and lex.known(rc) and rare:
        why = "joined form unknown" if not lex.known(joined) else f"joined form rare ({jz})"
        return HyphenDecision("keep", kept_text, f"prefix '{lc.lower()}-' + word; {why}")
    halves = min(lz, rz)
    suffix = rc.lower() in SUFFIXES
    if (
        len(lc) >= 2
        and len(rc) >= 2
        and halves >= HALF_ZIPF
        and not suffix
        and lc.lower() not in FUNCTION_WORDS
        and not lex.known(joined)
    ):
        return HyphenDecision("keep", kept_text, f"both halves words ({lz}, {rz}), joined unknown")
    return _split(joined_text, jz, lex.known(joined))


def _chained_compound(pre: str, rest: str, lc: str, rc: str, jz: float, lex: Lexicon) -> str | None:
    """Why the line-end hyphen joins parts of a compound of three or more (`five-year-` /
    `old`, `scratched-` / `but-handsome`), or None. A word split inside such a compound
    closes up into a word (`self-con-` / `scious`, `Ameri-` / `can-born`); parts of the
    compound do not, or only into a rare fusion the word list caught (`yearold` 1.7, `inlaw`
    2.0). Function words count here: `up-to-date`, `mother-in-law`."""
    if not (pre.endswith("-") or (rest.startswith("-") and rest[1:2].isalpha())):
        return None
    if jz >= PREFIX_RARE or min(lex.zipf(lc), lex.zipf(rc)) < CHAIN_PART_ZIPF:
        return None
    side = "before" if pre.endswith("-") else "after"
    return f"one part of a longer compound (a hyphen {side}); both parts words, joined rare"


def _printed_on_page(
    lc: str, rc: str, joined_text: str, kept_text: str, jz: float, lex: Lexicon
) -> HyphenDecision | None:
    """The page's own spelling, where it prints the word whole one way only: the closed form
    (`Binstock` twice elsewhere: `Bin-` / `stock` is a split, though both halves are words) or
    the hyphenated one (`to-day` mid-line: kept at the line end too)."""
    closed, hyphenated = lex.printed(lc + rc), lex.printed(f"{lc}-{rc}")
    if closed == hyphenated:
        return None
    if closed:
        return HyphenDecision("join", joined_text, "joined form printed whole on the page", jz)
    return HyphenDecision("keep", kept_text, "hyphenated form printed whole on the page")


def _split(joined_text: str, jz: float, known: bool, why: str = "") -> HyphenDecision:
    """The halves joined: a word split at the line end."""
    extra = f"; {why}" if why else ""
    if known:
        return HyphenDecision("join", joined_text, f"joined word known ({jz}){extra}", jz)
    why = f"joined form unknown and no compound evidence: assume a split{extra}"
    return HyphenDecision("join", joined_text, why)


def interrupted(left: str, right: str, lex: Lexicon) -> bool:
    """Does other text (a byline, a heading, a running head) open the line after a split
    word's first half? A capital there that makes no word or compound with it (`pro-` /
    `By`), not a digit or a mark (`1914-` / `1918` is a range)."""
    lm, rm = _LEFT.match(left), _RIGHT.match(right)
    if not lm or not rm or not rm["core"][0].isupper() or lm["core"].isupper():
        return False
    return decide(left, right, lex) is None


# On a degraded page a speck by a line-end hyphen is read as a quote or a dash, on either side
# of the break (`chan-` / `'nels`, `gentle-` / `-men`, `con-“` / `ceived`: 5 of the 17 split
# words left on the heavy pages of bench.articlegen). A word never holds a quote mark inside it.
STRAY_MARKS = "\"'‘’“”-–—~·•*.,"
_STRAY = re.compile(r"^[\"'‘’“”\-–—~·•*.,]{1,2}(?=[^\W\d_])")


def without_stray_marks(left: str, right: str) -> tuple[str, str] | None:
    """(`con-`, `ceived`) from (`con-“`, `ceived`) or (`con-`, `“ceived`): the marks a speck
    left between a line-end hyphen and a lower-case continuation, dropped; None when none."""
    core_left = left.rstrip(STRAY_MARKS.replace("-", ""))
    if len(left) - len(core_left) > 2:
        return None
    m = _STRAY.match(right)
    core_right = right[m.end() :] if m else right
    if core_left == left and core_right == right:
        return None
    if not is_split_candidate(core_left) or not core_right[:1].islower():
        return None
    return core_left, core_right


# --- line ends without a hyphen ------------------------------------------------------------

LOST_JOIN_ZIPF = 3.5  # a joined word this common (as the corrector's extra-space join needs)
COMMON_HALF_ZIPF = 3.0  # both halves this common: two words, not a split (`in` / `deed`)
_GUILLEMET = re.compile(r"^(?P<pre>[^\w]*)(?P<core>[^\W\d_]+)[«»]$")
_PLAIN = re.compile(r"^(?P<pre>[\"'‘“(]*)(?P<core>[^\W\d_]+)$")
_NEXT = re.compile(r"^(?P<core>[^\W\d_]+)")


def _joinable(left: str, right: str, lex: Lexicon) -> float | None:
    """Zipf of left+right when that is a common word and the halves are not two words."""
    if not right[:1].islower() or len(left) < 2:
        return None
    if min(lex.zipf(left), lex.zipf(right)) >= COMMON_HALF_ZIPF:
        return None
    jz = lex.zipf(left + right)
    return jz if jz >= LOST_JOIN_ZIPF else None


def decide_lost(left: str, right: str, lex: Lexicon) -> HyphenDecision | None:
    """`con` / `stitution`: a line-end split whose hyphen the OCR lost altogether, or None.

    Joined only when the halves are not both common words and the joined word is common
    (Zipf >= LOST_JOIN_ZIPF); the left half must be plain letters (no closing punctuation).
    """
    lm, rm = _PLAIN.match(left), _NEXT.match(right)
    if not lm or not rm:
        return None
    jz = _joinable(lm["core"], rm["core"], lex)
    if jz is None:
        return None
    why = f"hyphen lost at the line end: joined word known ({jz}), halves not both words"
    return HyphenDecision("join", left + right, why, jz)


_COLON = re.compile(r"^(?P<pre>[^\w]*)(?P<core>[^\W\d_]+)[:;]$")


def colon_end(left: str, right: str | None, lex: Lexicon) -> tuple[str, str] | None:
    """`req:` / `uisition`: a line-end hyphen with a speck under it read as a colon.

    Only on the lexicon's word that the continuation is no word and the halves make one
    (a colon before a fragment is no colon); the hyphen then goes to `decide` as printed.
    """
    m = _COLON.match(left)
    nm = _NEXT.match(right) if right else None
    if not m or not nm or not right or not right[0].islower():
        return None
    core, rest = m["core"], nm["core"]
    if lex.known(rest) or not lex.known(core + rest):
        return None
    why = "line-end colon read for a hyphen: the next line goes on with no word"
    return m["pre"] + core + "-", why


def stray_end(left: str, right: str | None, lex: Lexicon) -> tuple[str, str] | None:
    """`to-` / `relatives`: a speck at a function word's end read as a hyphen, the next line
    going on with a common word they make none with: the hyphen dropped, the words apart.

    No compound starts with a function word and a split into one closes up into a word
    (`to-` / `gether`, `in-` / `stinct`); so after a lower-case function word, a common
    second word (Zipf >= HALF_ZIPF: not a fragment such as `stinet`) and an unknown join mean
    no split. A capitalised first word may be a name's half (`By-` / `grave`): left to `decide`.
    """
    lm = _LEFT.match(left)
    nm = _NEXT.match(right) if right else None
    if not lm or not nm or not right or not right[0].islower():
        return None
    lc, rc = lm["core"], nm["core"]
    if not lc.islower() or lc not in FUNCTION_WORDS or lex.zipf(rc) < HALF_ZIPF:
        return None
    if lex.known(lc + rc) or lex.printed(f"{lc}-{rc}"):
        return None
    return left[:-1], "line-end hyphen after a function word joins no word: a stray mark"


_DOUBLE_HYPHEN = re.compile(r"^(?P<pre>[^\w]*)(?P<core>[^\W\d_]+)[=⸗]$")


def double_hyphen_end(left: str, right: str | None) -> tuple[str, str] | None:
    """`pro=` / `vided`: the double hyphen German print (`⸗`) and typists (`=`) set at a line
    end, read as `=`; a hyphen before a lower-case continuation (then decided as any split)."""
    m = _DOUBLE_HYPHEN.match(left)
    if not m or not right or not right[0].islower():
        return None
    return m["pre"] + m["core"] + "-", "line-end double hyphen read as a hyphen"


def guillemet_end(left: str, right: str | None, lex: Lexicon) -> tuple[str, str] | None:
    """A line-end `«`/`»` after letters: (what the token should read, why), or None.

    Newspaper OCR reads a hyphen, a comma or a full stop at the line end as a guillemet.
    Decided by the lexicon: before a lower-case word, read as a hyphen when the halves join
    into a common word (`re»` / `ceived`) or the left part is no word or a prefix
    (`re»` / `ceceive`); after a word (common, or known and 3+ letters), as a full stop when
    the next line starts with a capital (`made«` / `The`), else as a stray mark (`bridge»`).
    """
    m = _GUILLEMET.match(left)
    if not m:
        return None
    core = m["core"]
    nm = _NEXT.match(right) if right else None
    common = lex.zipf(core) >= COMMON_HALF_ZIPF
    word = common or (len(core) >= 3 and lex.known(core))
    if nm and right and right[0].islower():
        if _joinable(core, nm["core"], lex) is not None:
            return m["pre"] + core + "-", "line-end guillemet read as a hyphen: the halves join"
        if not word or core.lower() in PREFIXES:
            why = "line-end guillemet read as a hyphen: a word fragment before lower case"
            return m["pre"] + core + "-", why
    if len(core) < 2 or not word:
        return None
    if right and right[:1].isupper():
        return m["pre"] + core + ".", "line-end guillemet read as a full stop before a capital"
    return m["pre"] + core, "line-end guillemet after a known word: stray mark dropped"
