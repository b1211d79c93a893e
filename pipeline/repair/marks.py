"""Marks inside the text that OCR garbles without touching a word: quotes and year apostrophes.

* Quotes: OCR mixes curly (“ ” ‘ ’) and straight (" ') quotes on one page, depending on
  the glyph it matched. One style a page is kept: curly only when at least CURLY_SHARE of
  the page's quote marks are curly, else straight (a typewriter has only straight quotes,
  and Tesseract reads them curly about as often as straight: 11 curly to 10 straight on
  typewritten EHRI-ET-YV3549264_06, whose text has 12 straight to 3 curly; printed pages
  read curly 34:1, 47:1). Curly quotes become straight ones directly;
  straight ones become curly by position: opening at the start of a token, closing
  (or apostrophe) elsewhere.
  A double quote read as two single ones (`‘‘former`, `citizens.’’`, typed `''`) is one
  double quote: two single quotes of one direction never nest (nesting alternates double and
  single), so the pair can only be one mark. On a scan scaled x2.2 (multicol_05) Tesseract
  read 26 of the page's 30 double quotes so, 1.2 points of CER.
* Year apostrophes: `'62` read as `9 62` (the apostrophe taken for a 9 and a space
  inserted). Only a lone `9` followed by a two-digit number, after a month or a word that
  introduces a year (`in`, `of`, `since`, ...), is read so. A month counts as a year
  context: a day and a year are printed with a comma (`March 9, 62`), which is left alone,
  while `March '62` is the common way to print a short year.

* Bullets in plain text: Tesseract reads a `►` bullet as `>`. A line that starts a paragraph
  (first line, after a blank line or a finished sentence) with a lone `>` before a capital
  gets its `►` back; with boxes, `specks.restore_bullets` measures the glyph instead. A `»`
  or `*` there is left alone: in archive text those are misread letters or specks.

* Footnote marks: a `*` (or `†`, `‡`) opening a line is the mark of a footnote, not a bullet,
  when a word elsewhere on the page ends in it (`cendel,*`: the reference to the note); the
  bullet `specks.restore_bullets` gave it is taken back (`footnote_marks`).

Every change is a Decision (action `mark`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.model import Decision, Line, Paragraph, Token
from pipeline.repair.paragraphs import ends_sentence
from pipeline.repair.specks import BULLET

CURLY_SHARE = 2 / 3  # of a page's quote marks curly: the page prints curly quotes
CURLY_TO_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
YEAR_WORDS = frozenset(
    "in of since until till from to and class year summer winter spring autumn christmas "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TWO_DIGITS = re.compile(r"^\d\d(?P<trail>[.,;:)]*)$")
_OPEN_PAIR = re.compile(r"(?<![\w'‘’])(‘‘|'')(?=[\w(])")
_CLOSE_PAIR = re.compile(r"(?<=[\w.,;:!?)])(’’|'')(?![\w'‘’])")
_MISREAD_BULLETS = {">", ">>"}
_ITEM_START = re.compile(r"^[\"'‘“(]?[A-Z0-9]")
FOOTNOTE_MARKS = ("*", "†", "‡")


def footnote_marks(
    before: list[Line], after: list[Line], decisions: list[Decision]
) -> tuple[list[Line], list[Decision]]:
    """`after` (lines with bullets restored from `before`) with footnote marks given back.

    A line whose first token was a footnote mark (`* A rich description of silk.`) keeps it
    when another word on the page ends in that mark, its reference (`cendel,*`); the bullet
    decision for that line is dropped from `decisions`.
    """
    refs = {
        m
        for ln in before
        for w in ln.words
        for m in FOOTNOTE_MARKS
        if w.text.endswith(m) and any(c.isalnum() for c in w.text)
    }
    if not refs:
        return after, decisions
    original = {ln.id: ln for ln in before}
    out, undone = [], set()
    for ln in after:
        old = original.get(ln.id)
        if (
            old is not None
            and old.words
            and old.words[0].text in refs
            and ln.words
            and ln.words[0].text == BULLET
        ):
            undone.add(ln.id)
            ln = old
        out.append(ln)
    kept = [d for d in decisions if not (d.action == "mark" and set(d.lines) & undone)]
    return out, kept


def text_bullets(items: list[Line | None]) -> tuple[list[Line | None], list[Decision]]:
    """Plain-text lines (None = blank line) with `>` bullets read back as `►`."""
    out: list[Line | None] = []
    notes: list[Decision] = []
    prev: Line | None = None
    for item in items:
        if item is not None and len(item.words) > 1:
            first, second = item.words[0], item.words[1]
            starts = prev is None or ends_sentence(prev.text)
            if first.text in _MISREAD_BULLETS and starts and _ITEM_START.match(second.text):
                words = [replace(first, text=BULLET), *item.words[1:]]
                fixed = replace(item, words=words)
                why = "a '>' starting a paragraph before a capital is a bullet Tesseract misread"
                notes.append(Decision("mark", why, item.text, fixed.text, [item.id]))
                item = fixed
        out.append(item)
        prev = item
    return out, notes


def quote_style(paragraphs: list[Paragraph]) -> str:
    """`curly` when at least CURLY_SHARE of the page's quote marks are, else `straight`."""
    text = " ".join(t.text for p in paragraphs for t in p.tokens)
    curly = sum(text.count(c) for c in "“”‘’")
    straight = text.count('"') + text.count("'")
    return "curly" if curly and curly >= CURLY_SHARE * (curly + straight) else "straight"


def double_quotes(text: str) -> str:
    """`‘‘word’’` -> `“word”` (and `''` -> `"`): a double quote read as two single ones."""
    if "‘‘" not in text and "’’" not in text and "''" not in text:
        return text
    text = _OPEN_PAIR.sub(lambda m: "“" if m.group(1) == "‘‘" else '"', text)
    return _CLOSE_PAIR.sub(lambda m: "”" if m.group(1) == "’’" else '"', text)


def _to_curly(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        opening = i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,;:!?)")
        if ch == '"':
            out.append("“" if opening else "”")
        elif ch == "'":
            out.append("‘" if opening and i + 1 < len(text) and text[i + 1].isalpha() else "’")
        else:
            out.append(ch)
    return "".join(out)


def normalise_quotes(
    paragraphs: list[Paragraph], line_of: dict[str, str]
) -> tuple[list[Paragraph], list[Decision]]:
    """The paragraphs with one quote style (see the module docstring); a Decision a token.

    `line_of`: word id -> line id, for the Decisions.
    """
    style = quote_style(paragraphs)
    out, decisions = [], []
    for par in paragraphs:
        tokens = []
        for tok in par.tokens:
            new = double_quotes(tok.text)
            new = new.translate(CURLY_TO_STRAIGHT) if style == "straight" else new
            if style == "curly" and ('"' in new or "'" in new):
                new = _to_curly(new)
            if new != tok.text:
                why = f"quotes normalised to the page's {style} style"
                decisions.append(Decision("mark", why, tok.text, new, _lines(tok, line_of)))
                tok = replace(tok, text=new, src=list(tok.src))
            tokens.append(tok)
        out.append(replace(par, tokens=tokens, lines=list(par.lines)))
    return out, decisions


def _lines(tok: Token, line_of: dict[str, str]) -> list[str]:
    """Ids of the lines a token's words come from."""
    return sorted({line_of.get(s, s) for s in tok.src})


def year_apostrophes(
    paragraphs: list[Paragraph], line_of: dict[str, str]
) -> tuple[list[Paragraph], list[Decision]]:
    """`in 9 62` -> `in '62`: a lone 9 misread for the apostrophe of a short year."""
    out, decisions = [], []
    for par in paragraphs:
        toks = par.tokens
        tokens: list[Token] = []
        i = 0
        while i < len(toks):
            tok = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            prev = tokens[-1].text.lower().strip(".,") if tokens else ""
            if tok.text == "9" and nxt is not None and prev in YEAR_WORDS:
                m = _TWO_DIGITS.match(nxt.text)
                if m:
                    new = "'" + nxt.text
                    confs = [c for c in (tok.conf, nxt.conf) if c is not None]
                    why = f"lone 9 before a two-digit year after '{prev}': a misread apostrophe"
                    original = f"{tok.text} {nxt.text}"
                    lines = sorted(set(_lines(tok, line_of) + _lines(nxt, line_of)))
                    decisions.append(Decision("mark", why, original, new, lines))
                    tokens.append(Token(new, tok.src + nxt.src, min(confs, default=None)))
                    i += 2
                    continue
            tokens.append(tok)
            i += 1
        out.append(replace(par, tokens=tokens, lines=list(par.lines)))
    return out, decisions
