"""Specks, column rules and bullets in the word boxes, put right before anything is ordered.

Column rules and specks are read as `_ | ¦ ‖`, dash-only tokens as tall as a letter, or lines
of marks far smaller than a letter: removed (`strip_rule_marks`). A bullet glyph read as
`> » * ¢` and measured bullet-sized at a line start gets its `►` back (`restore_bullets`).
Letters are never removed here, however thin: a lone `I` is judged in `junk.stray_prefix`,
and a `|` with a lower-case word after it and text running across it above and below is the
pronoun `I` read by its stroke (`_pronoun`), given back.
"""

from __future__ import annotations

import re

from pipeline.model import Action, Decision, Line, Word, union

RULE_MARKS = set("_|¦‖")  # never printed at a line edge: column rules read as text


STROKE_MARKS = RULE_MARKS | set("—–-=~")  # printed, these are thin and low, never letter-tall


# In body sizes: a capital `I` read as `|` stands this tall (cap height, more in spread ink; a
# rule is taller: junk.RULE_TALL), and at most this far from its neighbours (a justified word
# space).
PRONOUN_TALL = (0.6, 1.5)
PRONOUN_GAP = 1.0
PRONOUN_REACH = 3.0  # in body sizes: the lines above and below looked at for text across it


BULLET = "\u25ba"


BULLET_MIN = 0.3  # in body sizes: the least width and height of a bullet glyph
# In body sizes: a dash or rule mark at least this tall is a rule or a speck read as text; a
# printed dash is a low, flat box (a tenth of the size).
STROKE_TALL = 0.6
# In body sizes: a bullet glyph is at most this wide (a `►` is 0.5-0.7), plus this much for
# each mark read beside it (`®»`); and roughly square (width / height within BULLET_ASPECT).
BULLET_MAX = 0.9
BULLET_EXTRA = 0.3
BULLET_ASPECT = (0.5, 2.0)


BULLET_LOOKS = {">", "»", "*", "¢", "►", "▸", "▶", "•", "+", ">»", "»>", ">>", "»»"}


BULLET_MARKS = set(">»►▸▶•®")  # a short token of marks holding one of these is a bullet read


def rebox(line: Line, words: list[Word]) -> Line:
    """The line with only `words`, boxed round them: a stripped mark in the margin would
    otherwise still set the line's start, and the column's edge with it."""
    boxes = [w.box for w in words if w.box]
    return Line(line.id, words, union(boxes) if boxes else line.box, line.block, line.par)


def _is_stroke(word: Word, size: float) -> bool:
    """Dash or rule marks in a box as tall as a letter: a rule, a speck or a wide justified
    space read as text (a printed dash is a low, flat box)."""
    if not word.box or not word.text or any(c not in STROKE_MARKS for c in word.text):
        return False
    return word.box[3] - word.box[1] >= STROKE_TALL * size


def _dirt(word: Word, size: float) -> bool:
    """No letter or digit, in a box far smaller than a letter: a speck on the page."""
    if not word.box or any(c.isalnum() for c in word.text):
        return False
    return max(word.box[2] - word.box[0], word.box[3] - word.box[1]) < BULLET_MIN * size


BAR_TOKENS = {"|", '"|', "“|", "‘|", "'|"}  # the pronoun read as a bar, maybe after a quote


def _first_under(lines: list[Line], k: int, size: float) -> Word | None:
    """The first word of the line read after line k, when that line lies right under it."""
    if k + 1 >= len(lines):
        return None
    here, nxt = lines[k], lines[k + 1]
    if not here.box or not nxt.box or not nxt.words:
        return None
    return nxt.words[0] if 0 < nxt.box[1] - here.box[3] <= size else None


def _pronoun(words: list[Word], i: int, size: float, lines: list[Line], k: int) -> bool:
    """A `|` that is the pronoun `I` read by its stroke: as tall as a capital (not a rule's
    height), close to the word before it, before a lower-case word (the next in its line, or
    the first of the next line under it), and with the text of the lines just above or below
    running across it (a column rule stands in a gutter that they leave empty). `faction, |
    understand`, `and | left`, `till |` / `was a pilot`: on the heavy pages of
    bench.articlegen 9 `I`s were read so and stripped as column rules. `k`: the line's index."""
    w = words[i]
    # a bar alone opening a line is a rule at the column's edge; after a quote it is a word
    if w.text not in BAR_TOKENS or (i == 0 and w.text == "|") or not w.box:
        return False
    after = words[i + 1] if i + 1 < len(words) else _first_under(lines, k, size)
    if after is None or not after.box or not after.text[:1].islower():
        return False
    if not after.text.rstrip(".,;:!?-").isalpha():
        return False
    tall = w.box[3] - w.box[1]
    gaps = []
    if i > 0:
        before = words[i - 1]
        gaps.append(w.box[0] - before.box[2] if before.box else size * 10)
    if i + 1 < len(words):
        gaps.append(after.box[0] - w.box[2])
    if not PRONOUN_TALL[0] * size <= tall <= PRONOUN_TALL[1] * size:
        return False
    if gaps and max(gaps) > PRONOUN_GAP * size:
        return False
    cx, cy = (w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2
    return any(
        o.box
        and o.box[0] < cx < o.box[2]
        and 0 < abs((o.box[1] + o.box[3]) / 2 - cy) <= (PRONOUN_REACH * size)
        for ln in lines
        for o in ln.words
        if o is not w
    )


def strip_rule_marks(lines: list[Line], size: float) -> tuple[list[Line], list[Decision]]:
    """Remove what column rules and specks leave in lines; every removal is a `strip`.

    Removed: a line of specks only (no letter or digit, every box under BULLET_MIN body
    sizes); a token of rule marks only (`_ | ¦ ‖`) at either end of a line, or anywhere when
    its box is at least 0.6 body sizes tall, as are tokens of dashes, `=` and `~` that tall
    (a printed dash is a low flat box; Tesseract reads rules, specks and the blank of a wide
    justified word space this way). Underscores glued to a word (`a_barkeeper`, `a_`) are
    left to `junk.underscores`, the one policy for OCR and text input. Letters (`I`, `l`) are
    never removed, however thin.
    """
    out: list[Line] = []
    decisions: list[Decision] = []
    for k, ln in enumerate(lines):
        if ln.words and all(_dirt(w, size) for w in ln.words):
            reason = "a line of specks only"
            decisions.append(Decision("strip", reason, ln.text, "", [ln.id]))
            continue
        words: list[Word] = []
        n = len(ln.words)
        for i, w in enumerate(ln.words):
            if _pronoun(ln.words, i, size, lines, k):
                words.append(Word(w.id, w.text[:-1] + "I", w.box, w.conf))
                why = "a '|' at word spacing before a lower-case word: the pronoun I"
                decisions.append(Decision("mark", why, w.text, w.text[:-1] + "I", [ln.id]))
                continue
            edge = i == 0 or i == n - 1
            if (edge and w.text and all(c in RULE_MARKS for c in w.text)) or _is_stroke(w, size):
                continue
            if w.text and all(c in RULE_MARKS for c in w.text):
                continue  # a bare underscore inside a line: no text is printed as one
            words.append(w)
        if len(words) == len(ln.words):  # nothing stripped (a `|` maybe read as `I`)
            out.append(ln if words == ln.words else rebox(ln, words))
            continue
        new = rebox(ln, words)
        decisions.append(
            Decision("strip", "column rule or speck read as text", ln.text, new.text, [ln.id])
        )
        if words:
            out.append(new)
    return out, decisions


def _bullet_glyph(word: Word, size: float) -> bool:
    """A box the size of a bullet: about x-height tall and as wide (a `►` is 0.5-0.7 body
    sizes both ways, a `•` or `*` about a third; a quote or a speck read beside it adds a
    little width); a speck read as `*` or `+` is smaller."""
    if not word.box:
        return False
    w, h = word.box[2] - word.box[0], word.box[3] - word.box[1]
    widest = BULLET_MAX + BULLET_EXTRA * (len(word.text) - 1)
    return (
        BULLET_MIN * size <= w <= widest * size
        and h >= BULLET_MIN * size
        and BULLET_ASPECT[0] <= w / max(h, 1) <= BULLET_ASPECT[1]
    )


def _speck(word: Word, size: float) -> bool:
    """A bullet look-alike in a box far smaller than a bullet or a letter: dirt on the page."""
    if not word.box or not _looks_like_bullet(word.text):
        return False
    w, h = word.box[2] - word.box[0], word.box[3] - word.box[1]
    return w < BULLET_MIN * size and h < BULLET_MIN * size


def _looks_like_bullet(text: str) -> bool:
    """`>`, `»`, `*` and kin, or a short run of marks around one (`®»`, `‘»`, `®.`)."""
    if text in BULLET_LOOKS:
        return True
    return (
        len(text) <= 3
        and any(c in BULLET_MARKS for c in text)
        and not any(c.isalnum() for c in text)
    )


_STARTS_ITEM = re.compile(r"^[\"'‘“(]?[A-Z0-9]")


_LEAD_BULLET = re.compile(r"^(>|»|►|▸|▶|•)+(?=[\"'‘“(]?[A-Z])")


def restore_bullets(lines: list[Line], size: float) -> tuple[list[Line], list[Decision]]:
    """`► ` back where Tesseract read the bullet glyph as `>`, `»`, `*`, `¢` and the like.

    The rule: the first token of a line is one of those look-alikes, its box is bullet-sized
    (roughly square, BULLET_MIN-0.9 body sizes: a speck is smaller) and the next word starts
    an item (a capital or a digit, maybe after an opening quote); or the first token is a
    bullet look-alike glued to a capitalised word (`>The`; not `*`, `¢`: glued to a word,
    those are specks more often than bullets, and the glyph cannot be measured there). A
    bullet starts a line that starts a paragraph, so a look-alike inside a line is left alone.
    A look-alike at a line start in a box under BULLET_MIN body sizes both ways is a speck:
    it is removed, so that the line does not seem to start left of its column's edge.
    """
    out: list[Line] = []
    decisions: list[Decision] = []
    for ln in lines:
        first = ln.words[0] if ln.words else None
        new_words = None
        if (
            first
            and len(ln.words) > 1
            and _looks_like_bullet(first.text)
            and _bullet_glyph(first, size)
            and _STARTS_ITEM.match(ln.words[1].text)
        ):
            if first.text != BULLET:
                new_words = [Word(first.id, BULLET, first.box, first.conf), *ln.words[1:]]
        elif first and (m := _LEAD_BULLET.match(first.text)) and first.text[0] != BULLET:
            rest = first.text[m.end() :]
            new_words = [
                Word(first.id, BULLET, first.box, first.conf),
                Word(first.id, rest, first.box, first.conf),
                *ln.words[1:],
            ]
        elif first and len(ln.words) > 1 and _speck(first, size):
            # dropped, and the line's box with it: it would seem to start left of the text
            new = rebox(ln, ln.words[1:])
            reason = "speck at the line start read as a bullet look-alike"
            decisions.append(Decision("strip", reason, ln.text, new.text, [ln.id]))
            out.append(new)
            continue
        if new_words is None:
            out.append(ln)
            continue
        new = Line(ln.id, new_words, ln.box, ln.block, ln.par)
        reason = "bullet glyph at the line start read as a look-alike: restored"
        decisions.append(Decision(Action.MARK, reason, ln.text, new.text, [ln.id]))
        out.append(new)
    return out, decisions


def starts_with_bullet(line: Line) -> bool:
    return bool(line.words) and line.words[0].text == BULLET
