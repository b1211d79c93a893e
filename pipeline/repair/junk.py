"""Junk lines (photo texture, rules, mastheads read as text) and stray leading characters.

Junk score of a line, in [0, 1]; the line is junk when the score is >= JUNK_THRESHOLD (0.5):

    score = 0.45 * bad_tokens      share of the line's characters in implausible tokens
          + 0.15 * (1 - letters)   share of non-space characters that are not letters or digits
          + 0.10 * symbols         3 x share of characters outside letters, digits and ordinary
                                   punctuation (`§ « ■ = ^`, runs of 3+ equal marks), capped at 1
          + 0.15 * (1 - known)     share of word tokens not known to the lexicon
          + 0.15 * (1 - conf)      mean OCR confidence / 100; when the input has no
                                   confidences (raw .txt) this weight goes to (1 - known)

A token is implausible when it holds a symbol (`§gsmmm`, `Pe**BOn`), mixes letters and digits
(`S3s`), is a lone character other than `a`/`A`/`I`/`&`/a digit, is punctuation only and longer
than two marks, or has a letter run of 3+ letters without a vowel (`gsmmm`) or a run of 6+
consonants (`isfflffittsa`): the vowel-ratio and word-shape components. A run of XHEIGHT_RUN or
more lower-case letters none of which rises above the x-height (no b d f h k l t) is a dotted
rule or leader read as letters (`suceencavuusuuasevaneanavounvee...`, 25-64 letters, at a
newspaper's column head): no word of the 321,000 in the lexicon is one (the longest,
`immunosuppression`, has 17), nor any run in the archive OCR text of `ocr-text-dev`.
Known words, numbers (`12`, `1862.`, `£100`, `3rd`) and initials (`W.`, `J`) are always
plausible. Garbled real words (`WïIlNPSDAÏ`, `puLicn`) are plausible: they are text for the
correction stage, not junk.

Overrides, so that real text is never dropped:
  * a line where at least half the word tokens are lexicon words (initials count), or which
    holds two lexicon words of 3+ letters or one of 6+, is never junk (`He said no.`),
    however short;
  * a line of numbers only (`12`, `1862.`, `-9`) is kept: page numbers and figures are text;
  * a line that is a single letter (`v`, `i`, `I` alone) is junk: stray marks at column edges;
    except a capital other than `I` that Tesseract is sure of (confidence >= SIGNATURE_CONF):
    a book's signature mark (`D`, `E` under the last line of a gathering's first page) or a
    section letter, printed as a letter (on the development scans the two such lines were both
    in the ground truth; the stray letters dropped there were lower case, read at 74-77).
  * an e-mail address or a web address (`David.Risinger@morganstanley.com`) is a plausible
    token: its `@` and dots are not picture texture (analysts' addresses under a research
    note's by-line were dropped as junk), and a phone number may open with `+`.

Stray marks are also stripped from the ends of kept lines (`stray_prefix`, `stray_suffix`):
`i The council met`, `I The new rectory` (a lone `I` where the pronoun cannot stand, or in a
box as tall as several lines, is a column rule), `in tho |`, `Chippen- I`.

Raw archive text (no word boxes, no confidences) has been zoned by the archive's own OCR, so
picture texture is mostly gone already; a line there holding TEXT_MIN_LETTERS letters or
more is garbled print (a display-type heading: `_A"SH___V W-ATMOBC` for MARSHALL V.
WHATMORE), and is kept (`garbled_print`): deleting it costs every character of the printed
line, leaving it costs only the misread ones. On the dev set every such drop raised the CER.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lexicon import Lexicon

JUNK_THRESHOLD = 0.5
# In body type sizes (ascender to descender): a letter's box is at most 1; lines are set about
# 1.2 apart, so a box this tall reaches well into the next line: a rule, not a letter.
RULE_TALL = 1.8
# Handwriting, stamps and drawings read as a line of text: Tesseract puts the strokes in one
# line box far taller than the page's lines, and is unsure of every word. On the 125 real
# development pages every line at least HAND_TALL x the median line height with a mean word
# confidence under HAND_CONF (no word over HAND_MAX_CONF) was a signature or a drawing (7
# lines, no word of them in the ground truth); the synthetic pages' headlines, as tall, are
# read at 80-96.
HAND_TALL = 2.0
HAND_CONF = 50.0
HAND_MAX_CONF = 60.0
SIGNATURE_CONF = 80.0  # a lone capital read at least this sure is a printed letter
TEXT_MIN_LETTERS = 8  # raw text: a line with this many letters is garbled print, never junk
ORDINARY_PUNCT = set(".,;:'\"!?()-–—’‘“”/&%£$")
VOWELS = set("aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûüÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ")
SINGLE_WORDS = {"a", "A", "I", "&"}
XHEIGHT_RUN = 20  # letters in a run without an ascender: dots read as letters, not a word
ASCENDERS = set("bdfhklt")
STRAY_MARKS = set("ijlvíìï|!¦_■•·»«§*~^¡")  # what column rules and specks are read as
STRAY_END = set("ijl|¦¡_■")  # alone at a line end: never a word
STRAY_END_AFTER_MARK = set("I!")  # alone at a line end after punctuation: a stray mark
NOISE_MARKS = set("|¦‖■□▪•·~°¡_=+^¤¬")  # a token of these alone, anywhere: never print
ELLIPSIS_MARKS = set(".…")  # a lone dot beside a token of these is part of a spaced ellipsis
AFTER_MARK = set(".,;:!?-–—")  # a lone dot after a token ending so is a speck
OPENING = "\"'‘“(["  # what may open a word before its first letter
_NUMBER = re.compile(r"^[(£$#]?\d[\d,./:-]*(st|nd|rd|th|d|s)?[).,;:%]*$", re.IGNORECASE)
# A quantity with a short unit or multiplier (`17.2x`, `30mm`, `5kg`): two of them joined by
# `_` are two figures of a table row with the space between them misread.
_QUANTITY = re.compile(r"^[(£$#]?\d[\d,.]*[a-z%]{0,3}[).,;:]*$", re.IGNORECASE)
_ADDRESS = re.compile(
    r"^[(<]?(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}|(?:https?://|www\.)[\w.-]+\.[A-Za-z]{2,}\S*)"
    r"[)>.,;:]*$"
)
_INITIAL = re.compile(r"^[(\"']?[A-Z]\.[,;:)]*$")
_CORE = re.compile(r"^[\W_]*(.*?)[\W_]*$", re.DOTALL)
_PARTS = re.compile(r"[^\W\d_]+")
_CONS_RUN = re.compile(r"[^\Waeiouyàáâäèéêëìíîïòóôöùúûü\d_]{6,}", re.IGNORECASE)
_RUN3 = re.compile(r"(\W)\1\1")
_POSSESSIVE = re.compile(r"[A-Za-z]['’]s$")
# Words the pronoun `I` cannot precede: articles, demonstratives, titles, prepositions.
NOT_AFTER_PRONOUN = {
    "the", "a", "an", "this", "these", "those", "mr", "mrs", "messrs", "dr",
    "of", "to", "in", "at", "on", "for", "from", "by", "with", "into", "upon",
}  # fmt: skip


@dataclass(frozen=True)
class JunkScore:
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    override: str = ""

    @property
    def is_junk(self) -> bool:
        return self.score >= JUNK_THRESHOLD

    def describe(self) -> str:
        parts = ", ".join(f"{k}={v:.2f}" for k, v in self.parts.items())
        extra = f"; {self.override}" if self.override else ""
        cmp = ">=" if self.is_junk else "<"
        return f"junk score {self.score:.2f} {cmp} {JUNK_THRESHOLD} ({parts}){extra}"


def core(token: str) -> str:
    """The token without leading/trailing punctuation."""
    m = _CORE.match(token)
    return m.group(1) if m else token


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token.lstrip("-–+")))


def is_address(token: str) -> bool:
    """An e-mail or web address: `name@example.com`, `www.example.org`, `https://...`."""
    return bool(_ADDRESS.match(token))


def known_word(token: str, lex: Lexicon) -> bool:
    """A lexicon word, a compound of lexicon words (`King-street`), or an initial (`W.`)."""
    if _INITIAL.match(token):
        return True
    c = core(token)
    if len(c) < 2 and c not in SINGLE_WORDS:
        return False
    c = re.sub(r"['’]s$", "", c)
    if lex.known(c):
        return True
    parts = c.split("-")
    return len(parts) > 1 and all(len(p) > 1 and lex.known(p) for p in parts)


def plausible(token: str, lex: Lexicon) -> bool:
    """Could this token be printed text (see the module docstring)?"""
    if token in SINGLE_WORDS or is_number(token) or known_word(token, lex) or is_address(token):
        return True
    c = core(token)
    if not c:
        return len(token) <= 2 and all(ch in ORDINARY_PUNCT for ch in token)
    if len(c) == 1:
        return c in SINGLE_WORDS or c.isdigit() or (c.isupper() and len(token) == 1)
    if any(not ch.isalnum() and ch not in ORDINARY_PUNCT for ch in c):
        return False
    if any(ch.isdigit() for ch in c) and any(ch.isalpha() for ch in c):
        return False
    for part in _PARTS.findall(c):
        if len(part) >= 3 and not any(ch in VOWELS for ch in part):
            return False
        if _CONS_RUN.search(part):
            return False
        if len(part) >= XHEIGHT_RUN and part.islower() and not ASCENDERS & set(part):
            return False
    return True


def score_line(words: list[str], confs: list[float | None], lex: Lexicon) -> JunkScore:
    """The documented junk score of one line (see the module docstring)."""
    text = "".join(words)
    if not text:
        return JunkScore(1.0, {}, "empty")
    alpha = [w for w in words if any(ch.isalpha() for ch in w)]
    known = [w for w in alpha if known_word(w, lex)]
    long_known = [len(core(w)) for w in known if len(core(w)) >= 3]
    if alpha and (len(known) * 2 >= len(alpha) and any(len(core(w)) > 1 for w in known)):
        return JunkScore(0.0, {"known": len(known) / len(alpha)}, "most words known: never junk")
    if len(long_known) >= 2 or any(n >= 6 for n in long_known):
        return JunkScore(0.0, {"known": len(known) / len(alpha)}, "real words: never junk")
    if not alpha and all(is_number(w) for w in words):
        return JunkScore(0.0, {}, "numbers only: kept")
    if len(words) == 1 and len(text) == 1 and text.isalpha():
        sure = confs[0] is not None and confs[0] >= SIGNATURE_CONF
        if text.isupper() and text != "I" and sure:
            return JunkScore(0.0, {"conf": confs[0] / 100}, "a lone capital read surely: kept")
        return JunkScore(1.0, {}, "a single stray letter")
    bad = sum(len(w) for w in words if not plausible(w, lex)) / len(text)
    letters = sum(ch.isalnum() for ch in text) / len(text)
    sym = sum(1 for ch in text if not ch.isalnum() and ch not in ORDINARY_PUNCT)
    sym += sum(len(m.group(0)) for m in _RUN3.finditer(text) if m.group(1) in ORDINARY_PUNCT)
    symbols = min(1.0, 3 * sym / len(text))
    unknown = 1 - (len(known) / len(alpha) if alpha else 0.0)
    real_confs = [c for c in confs if c is not None and c >= 0]
    parts = {"bad_tokens": bad, "letters": letters, "symbols": symbols, "known": 1 - unknown}
    s = 0.45 * bad + 0.15 * (1 - letters) + 0.10 * symbols
    if real_confs:
        conf = sum(real_confs) / len(real_confs) / 100
        parts["conf"] = conf
        s += 0.15 * unknown + 0.15 * (1 - conf)
    else:
        s += 0.30 * unknown
    return JunkScore(round(min(1.0, s), 3), parts)


def handwriting(height: float, median_height: float, confs: list[float | None]) -> bool:
    """A line far taller than the page's lines, every word of it unsure: strokes, not type.

    A signature's strokes read as short words (`I ven Arenal, i. [Veen`) that the lexicon
    may know, so this goes before the known-word overrides of `score_line`.
    """
    real = [c for c in confs if c is not None and c >= 0]
    if not real or median_height <= 0 or height < HAND_TALL * median_height:
        return False
    return sum(real) / len(real) < HAND_CONF and max(real) < HAND_MAX_CONF


def garbled_print(words: list[str]) -> bool:
    """A raw-text line that is misread display type (a heading) rather than photo texture.

    Headings in large capitals come out garbled (`_A"SH___V W-ATMOBC` for MARSHALL V.
    WHATMORE), and dropping one costs all its characters; texture from photos and rules reads
    as runs of lower-case shapes (`■Si'ssb isfflffittsa-- 2`, `§gsmmm`). So: enough letters,
    most of them capitals.
    """
    letters = [ch for w in words for ch in w if ch.isalpha()]
    return len(letters) >= TEXT_MIN_LETTERS and sum(ch.isupper() for ch in letters) >= 0.6 * len(
        letters
    )


def stray_suffix(words: list[str]) -> bool:
    """Is the last token a stray mark at the line end (`... in tho |`, `NOTICES. I`)?

    Column rules and specks at a column's right edge are read as `| i j l ¡`, none of them a
    word alone; a lone `I` or `!` only counts after a line-end hyphen (`Chippen- I`), where
    the pronoun cannot stand (after punctuation it can: `he said, I` / `ran away. I`). On
    the smh dev set no line-end mark of these kinds was printed text.
    """
    if len(words) < 2 or len(words[-1]) != 1:
        return False
    last, before = words[-1], words[-2]
    if last in STRAY_END:
        return True
    return last in STRAY_END_AFTER_MARK and before[-1] == "-"


def noise_tokens(words: list[str]) -> list[int]:
    """Positions of tokens made only of marks that specks, rules and halftone dots are read as.

    On the development set's raw archive OCR, 90 such standalone tokens (`|`, `■`, `•`, `_`,
    `~`, `°`, `¡`) against 4 in its ground truth (`_` rules); Tesseract reads specks on a
    degraded page the same way (`_`, `=`, `+`, `°`). Dashes and ordinary punctuation are not
    among them: alone, those are print.
    """
    return [i for i, w in enumerate(words) if w and all(c in NOISE_MARKS for c in w)]


def stray_dots(words: list[str]) -> tuple[list[int], list[int]]:
    """Positions of lone `.` tokens that are specks, and of those that are the last word's
    full stop set apart.

    Tesseract reads a speck beside the text as a full stop of its own (`approve. .`, `diet, .
    extra`, `spirit . of`): 11 such tokens in the final texts of the development pages, none in
    their ground truths. After punctuation or before a lower-case word the dot is a speck and
    is dropped; after a bare word, at the line's end or before a capital, it is that word's
    full stop (`word . The` -> `word. The`). Dots beside another lone dot are a spaced ellipsis
    (`will . . .`), and a dot opening a line is what is left of a list's number (`. Platt,
    born 1785` for `9. Platt`): both are left as read.
    """
    drop, attach = [], []
    for k, w in enumerate(words):
        if w != ".":
            continue
        near = words[max(0, k - 1) : k] + words[k + 1 : k + 2]
        if any(n and set(n) <= ELLIPSIS_MARKS for n in near):
            continue
        nxt = words[k + 1] if k + 1 < len(words) else None
        if k == 0:  # `. Platt, born 1785`: a list number's stop, its figures lost
            continue
        if words[k - 1][-1:] in AFTER_MARK:
            drop.append(k)
        elif nxt is None or nxt.lstrip(OPENING)[:1].isupper():
            attach.append(k)
        elif nxt[:1].islower():
            drop.append(k)
    return drop, attach


def stray_prefix(words: list[str], lex: Lexicon, rule_box: bool = False) -> bool:
    """Is the first token a stray mark glued to the line start (`i The council met`)?

    Conservative: only one of the marks column rules and specks are read as (`i l j v | _ ■`,
    never a capital letter, which is usually an initial: `S Smith`), and only before a
    capitalised lexicon word; or a `*` before a lower-case word (`* clerk, the undertaker`:
    Tesseract on a specked page; never so in the development set's text).

    A lone `I` is also the pronoun (`I WILL NOT RESIGN`, `I Remember Mama`), so it is taken
    for a rule only with evidence: its box is as tall as several lines (`rule_box`, from
    the word boxes), or the next word is one the pronoun is never followed by (an article,
    a title, a preposition, a possessive: `I The new rectory`, `I Mr. Eliot`, `I TO THE
    EDITOR`, `I Prince's escape`). On the smh dev set's raw OCR 15 lines start with `I`
    before a capital, none in its ground truth; 6 of them carry that grammatical evidence.
    """
    if len(words) >= 2 and words[0] == "I" and _capitalised_word(core(words[1])):
        return rule_box or never_after_pronoun(words[1])
    if len(words) < 2 or len(words[0]) != 1 or words[0] not in STRAY_MARKS:
        return False
    nxt = core(words[1])
    if words[0] == "*" and nxt[:1].islower():
        return True  # a footnote star never opens a line before lower case: a speck
    return len(nxt) > 1 and nxt[0].isupper() and lex.known(nxt)


def never_after_pronoun(word: str) -> bool:
    """A word the pronoun `I` is never followed by: `I` before it is a mark, not a word."""
    w = word.strip("\"'‘“(").rstrip(".,;:")
    return w.lower() in NOT_AFTER_PRONOUN or bool(_POSSESSIVE.search(w))


def _capitalised_word(word: str) -> bool:
    letters = word.replace("'", "").replace("’", "")
    return len(word) > 1 and word[0].isupper() and letters.isalpha()


def underscores(token: str, lex: Lexicon) -> list[str]:
    """A token with `_` glued to letters as print would have it, one policy for OCR and text
    input: `_bargain` -> `bargain`, `a_` -> `a`; `a_barkeeper` -> `a`, `barkeeper` (a space
    read as `_`) when every piece is a word or a figure (`17.2x_14.6x`: a table row);
    otherwise the pieces joined
    (`HE.TtA_'D` -> `HE.TtA'D`: a letter read as `_`), left for the corrector.

    Print has no `_` in words: 19 such tokens in the development set's raw OCR, none in its
    ground truth. Tokens of `_` alone are `noise_tokens`.
    """
    if "_" not in token or not any(c.isalpha() for c in token):
        return [token]
    parts = [p for p in token.split("_") if p]
    if len(parts) > 1 and all(
        p in SINGLE_WORDS or is_number(p) or _QUANTITY.match(p) or known_word(p, lex) for p in parts
    ):
        return parts
    return ["".join(parts)]
