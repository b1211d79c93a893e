"""Lines to paragraphs, and paragraphs to tokens with line-end hyphens resolved.

Geometry (OCR input), within a column: a new paragraph starts when the line pitch is clearly
larger than usual (> GAP_RATIO x the page's median pitch; for the lines of a heading in large
type, x their type's size over the body's: `_heading_scale`), when the line is indented from
the column's left edge by INDENT_EM or more, or when the previous line stops well short of the
column's right edge (SHORT_EM) after sentence-final punctuation. A line starting with a
bullet (`►`) starts a paragraph; its turn-over lines, set to the bullet's hang (where the text
after the bullet starts), are not indents, unless the line before ends a sentence short of the
column's right edge (RAGGED_EM): a justified line runs to the edge, a paragraph's last does
not, so the line at the hang is then a new paragraph's first-line indent. The same indent /
short-line tests apply across a column break, where the vertical gap means nothing.
A set-in line is no first-line indent when it goes on a passage set in (a quotation, the lines
beside a drop capital: `_within_indent`) or goes on lower-case mid-sentence; a line opening
with a list number after a full stop starts an item (`_numbered`). At a jump to another column
or box, a short line before a capital ends its paragraph (`_jumps_to_capital`), and so does a
jump down and back to the left (the next row of a grid of boxes, `_next_row`). A running head
is a paragraph of its own (`running_heads`).

Plain text (.txt input): a blank line is a paragraph break unless the text clearly runs on
(previous line ends in a split hyphen, or ends without sentence-final punctuation and the next
line starts lower-case: a page or column break in the archive file). Without blank lines, a
line much shorter than the file's median line (< SHORT_TEXT) ending a sentence, followed by a
line starting with a capital or digit, also ends a paragraph (headings, short last lines), as
does any line ending a sentence before a `►` bullet.

A paragraph whose last word is a split candidate (`So-`) runs on into the next body paragraph
when that starts lower-case: a word split across a column break or an interposed junk line.
When other text stands between the halves (a byline, a heading, an editor's note set at the
head of the next column: paragraphs opening with no lower-case letter), the second half is
looked for at the start of the first lower-case paragraph within SPLIT_LOOKAHEAD, and only
that word comes back (`rejoin_split_words`): nothing else moves.

Plain text again: a sentence cut off by a few short paragraphs (at most INTERPOSED_WORDS words,
INTERPOSED_LINES lines each) and picked up lower-case right after them was interrupted by a
caption, a photo credit or a pull quote set into the column (unless one of them stops
mid-sentence too: then it is body text out of order); those paragraphs move after the
page's text (where the geometric path puts captions) and the sentence is joined up again.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field, replace

from pipeline.lexicon import Lexicon
from pipeline.model import Box, Decision, Line, Paragraph, Token, Word
from pipeline.repair import hyphens
from pipeline.repair.specks import BULLET, starts_with_bullet
from pipeline.repair.typesize import line_size
from pipeline.repair.xycut import Segment

GAP_RATIO = 1.6
HEADING_TYPE = 1.5  # x the body's type size: a heading's type (`_heading_scale`)
SAME_TYPE = 1.25  # two lines' heights within this ratio: one size of type
HEAD_GAP = 1.25  # x the line pitch: a running head's set-apart (development heads 1.33-2.0)
INDENT_EM = 0.6
SHORT_EM = 2.0
RAGGED_EM = 0.4
SHORT_TEXT = 0.6
INLINE_ZIPF = 3.0
INTERPOSED_WORDS = 40
INTERPOSED_LINES = 3
INTERPOSED_LOOKAHEAD = 3  # paragraphs
# A split word's second half past other text: looked for this many paragraphs on, and joined
# only into a word at least this common (Zipf), since the join reaches over other text.
SPLIT_LOOKAHEAD = 3
SPLIT_AFAR_ZIPF = 3.0
# Lettering in a figure: a block of Tesseract's of at most this many lines, each within
# PICTURE_SLACK body sizes of a picture region's edges.
FIGURE_TEXT_LINES = 3
PICTURE_SLACK = 0.25
COLUMN_REACH = 1.0  # body sizes between a column's line and one running on past a picture
_LIST_NUMBER = re.compile(r"(\d{1,3}|[IVXL]{1,4})[.,)]")  # `2.`, `10,`, `IV.`: a list item's
_LIST_MARK = re.compile(r"\(?[a-z][.)]")  # `a)`, `(b)`: a lettered item opens lower-case
_LOWER_WORD = re.compile(r"(?<![\w.])[a-z]+,?$")  # a line ending on a lower-case word
_FINAL = re.compile(r"[.!?:][\"'’”)\]]*$")


@dataclass
class Block:
    """A paragraph before tokenising: its kind and its source lines in reading order."""

    kind: str
    lines: list[Line] = field(default_factory=list)
    lettering: bool = False  # text standing inside a picture (`figure_text`)


def ends_sentence(text: str) -> bool:
    return bool(_FINAL.search(text))


def _edges(lines: list[Line]) -> tuple[float, float]:
    """Left and right edge of a column; bullet lines start at its edge, however few they are
    among their turn-over lines (which would otherwise make the hang look like the edge)."""
    xs0 = sorted(ln.box[0] for ln in lines if ln.box)
    xs1 = sorted(ln.box[2] for ln in lines if ln.box)
    bullets = [ln.box[0] for ln in lines if ln.box and starts_with_bullet(ln)]
    return min([xs0[len(xs0) // 4], *bullets]), xs1[(3 * len(xs1)) // 4]


def line_pitch(segments: list[Segment], size: float) -> float:
    """Median distance between the centres of consecutive lines in a column."""
    diffs = []
    for seg in segments:
        for a, b in zip(seg.lines, seg.lines[1:], strict=False):
            assert a.box and b.box
            d = (b.box[1] + b.box[3] - a.box[1] - a.box[3]) / 2
            if 0 < d < 3 * size:
                diffs.append(d)
    return statistics.median(diffs) if diffs else 1.2 * size


def _heading_scale(prev: Line, ln: Line, size: float) -> float:
    """How far a heading's own pitch stretches the paragraph gap between two of its lines (1
    otherwise). A heading set in two or three lines of large type (`Elections mark start of
    next` / `chapter in drug pricing`, `IRVING BANK-` / `COLUMBIA TRUST`) is set at its type's
    pitch, over GAP_RATIO body pitches: when stage 3 has not named it the headline (text
    stands over it), its lines would each be a paragraph. Two lines of one Tesseract block,
    both in type HEADING_TYPE times the body's `size` or larger and of one size (within
    SAME_TYPE), the first not ending a sentence, are measured against their own size."""
    if prev.block != ln.block or size <= 0 or ends_sentence(prev.text):
        return 1.0
    a, b = line_size(prev), line_size(ln)
    if min(a, b) < HEADING_TYPE * size or max(a, b) > SAME_TYPE * min(a, b):
        return 1.0
    return min(a, b) / size


def figure_text(segments: list[Segment], pics: tuple[Box, ...], size: float) -> dict[str, Box]:
    """Line id -> the picture it is lettering in: the lines of a short block of Tesseract's
    (at most FIGURE_TEXT_LINES) standing wholly inside one picture region that holds no line
    of a longer block. Tesseract's picture regions are boxes round irregular shapes, and a
    photo's box can take in the columns set round its corner (multicol_08): there a short
    block may be the end of a column, and nothing in that box is taken for lettering. Nor is
    a line running on in the column (`_runs_in_column`) past the picture's edge: over or
    under a line of a longer block, or of a short one standing outside every picture."""
    slack = PICTURE_SLACK * size

    def inside(ln: Line, pic: Box) -> bool:
        return bool(
            ln.box
            and ln.box[0] >= pic[0] - slack
            and ln.box[1] >= pic[1] - slack
            and ln.box[2] <= pic[2] + slack
            and ln.box[3] <= pic[3] + slack
        )

    by_block: dict[str, list[Line]] = {}
    for seg in segments:
        for ln in seg.lines:
            by_block.setdefault(ln.block or ln.id, []).append(ln)
    short = [b for b in by_block.values() if len(b) <= FIGURE_TEXT_LINES]
    long_lines = [ln for b in by_block.values() if len(b) > FIGURE_TEXT_LINES for ln in b]
    clean = [p for p in pics if not any(inside(ln, p) for ln in long_lines)]
    # the column's text: longer blocks' lines, and short blocks' lines outside every picture
    column = long_lines + [ln for b in short for ln in b if not any(inside(ln, p) for p in pics)]
    found: dict[str, Box] = {}
    for lines in short:
        pic = next((p for p in clean if all(inside(ln, p) for ln in lines)), None)
        if pic is not None and not any(_runs_in_column(ln, column, size) for ln in lines):
            found.update((ln.id, pic) for ln in lines)
    return found


def _runs_in_column(ln: Line, column: list[Line], size: float) -> bool:
    """A line of the column running past a picture's edge, not lettering in it: set straight
    over or under a column's line (within COLUMN_REACH body sizes), from the same left edge,
    in the same type, at least half as wide. Tesseract's picture box can take in the line
    under a photo (`radcliffe_udolpho_p31` with a picture set in, bench.stress `pic2`), and
    as lettering it was moved after the sentence it stands in."""
    if not ln.box:
        return False
    x0, y0, x1, y1 = ln.box
    for o in column:
        if not o.box or abs(o.box[0] - x0) > size:
            continue
        gap = max(o.box[1] - y1, y0 - o.box[3])
        wide = x1 - x0 >= 0.5 * (o.box[2] - o.box[0])
        a, b = line_size(ln), line_size(o)
        if gap <= COLUMN_REACH * size and wide and max(a, b) <= SAME_TYPE * min(a, b):
            return True
    return False


def split_segments(segments: list[Segment], size: float, pics: tuple[Box, ...] = ()) -> list[Block]:
    """Body paragraphs from columns in reading order (see the module docstring).

    Lettering in a picture (`figure_text`) is a caption paragraph of its own: `THE OLD` in a
    figure was read as the first line of the body text under the figure, cutting `In ex-` /
    `actly` apart (`join_past_lettering` puts them together again)."""
    pitch = line_pitch(segments, size)
    heads = running_heads(segments, size, pitch)
    lettering = figure_text(segments, pics, size) if pics else {}
    blocks: list[Block] = []
    prev: Line | None = None
    prev_pic: Box | None = None
    prev_right = 0.0
    prev_left: float | None = None  # left edge of the last body segment's column
    prev_spanning = False
    hang: float | None = None  # bullet item's text start, from the column edge: turn-overs
    for seg in segments:
        if seg.kind != "body":
            # a footnote stays where its column put it, one paragraph of its own kind
            blocks.append(Block(seg.kind, list(seg.lines)))
            prev, prev_spanning, hang, prev_pic, prev_left = None, False, None, None, None
            continue
        left, right = _edges(seg.lines)
        if (
            len(seg.lines) == 1
            and prev_left is not None
            and abs(left - prev_left) < INDENT_EM * size
        ):
            # a column's last line set apart as a block of its own: its column's right edge is
            # the one before it, or the line would be measured against itself and never look
            # short, and the next column's first line would run on into its paragraph
            right = max(right, prev_right)
        for i, ln in enumerate(seg.lines):
            assert ln.box
            bullet = starts_with_bullet(ln)
            pic = lettering.get(ln.id)
            after_head = prev is not None and prev.id in heads
            new = prev is None or seg.spanning or prev_spanning or bullet or pic != prev_pic
            if not new and prev is not None and prev.box:
                indent = len(seg.lines) > 1 and ln.box[0] - left >= INDENT_EM * size
                if indent and i > 0 and not _LIST_MARK.fullmatch(_first_word(ln)):
                    # a passage set in from the column (a quotation), or a line going on
                    # lower-case mid-sentence: a paragraph does not open so
                    indent = not (
                        _within_indent(prev, ln, left, prev_right, size) or _runs_on(prev, ln)
                    )
                at_hang = hang is not None and abs(ln.box[0] - left - hang) < INDENT_EM * size
                ragged = prev.box[2] < prev_right - RAGGED_EM * size and ends_sentence(prev.text)
                if indent and at_hang and not ragged:
                    indent = False  # a bullet item's turn-over line, set to the hang
                elif ln.box[0] - left < INDENT_EM * size:
                    hang = None
                stops = prev.box[2] < prev_right - SHORT_EM * size
                short = stops and (ends_sentence(prev.text) or _jumps_to_capital(i, prev, ln))
                row = _next_row(i, prev, ln)
                step = (ln.box[1] + ln.box[3] - prev.box[1] - prev.box[3]) / 2
                gap = step > GAP_RATIO * pitch * _heading_scale(prev, ln, size) and (
                    i > 0 or (_below(prev, ln) and not _runs_on(prev, ln))
                )
                item = _numbered(ln) and ends_sentence(prev.text)
                new = indent or short or gap or item or row or after_head or ln.id in heads
            if new:
                blocks.append(Block("caption", lettering=True) if pic else Block("body"))
                hang = _hang(ln, left) if bullet else None
            blocks[-1].lines.append(ln)
            prev, prev_right, prev_pic = ln, right, pic
        prev_spanning, prev_left = seg.spanning, left
    return blocks


def running_heads(segments: list[Segment], size: float, pitch: float) -> set[str]:
    """Running heads (`THE BOY APPRENTICED TO AN ENCHANTER`, `HATE 3`, `viii PREFACE`): a line
    alone in its block with no text above it (the top of a page, or of each page of a spread),
    set apart from the block under it (HEAD_GAP x the line pitch), and not a line of that
    block's text: set in from its edges, or without a lower-case letter. A book page's text
    often starts mid-sentence, lower-case, under its head, and ran on into it; a line that
    runs on into the block below fills its column from edge to edge, in lower case."""
    lines = [(ln, s) for s in segments if s.kind == "body" for ln in s.lines if ln.box]
    heads = set()
    for s in segments:
        if s.kind != "body" or len(s.lines) != 1 or not s.lines[0].box:
            continue
        head = s.lines[0]
        x0, y0, x1, y1 = head.box
        if any(o.box[1] < y0 and o.box[0] < x1 and o.box[2] > x0 for o, _ in lines):
            continue
        under = [(o, t) for o, t in lines if t is not s and _below(head, o)]
        if not under:
            continue
        first, seg = min(under, key=lambda p: p[0].box[1])
        if (first.box[1] + first.box[3] - y0 - y1) / 2 <= HEAD_GAP * pitch:
            continue
        left, right = _edges(seg.lines)
        if (
            x0 - left >= INDENT_EM * size
            or x1 < right - SHORT_EM * size
            or not any(c.islower() for c in head.text)
        ):
            heads.add(head.id)
    return heads


def _within_indent(prev: Line, ln: Line, left: float, right: float, size: float) -> bool:
    """`ln` goes on a passage set in from the column's edge: the line above is set in too and
    runs to the column's right edge, `ln` starts no further in than it, and the text runs on,
    lower-case or after a line ending on a lower-case word (`Over the horizon and the hills` /
    `the sun has appeared`: a quotation set in by its own measure; `is whether the department
    of` / `Election Laws and Methods`: the lines beside a drop capital). A centred heading
    stops short of the right edge; a new paragraph's first line is set in further than the
    line above; the rows of a table or a list set in do not run on."""
    assert prev.box and ln.box
    return (
        prev.box[0] - left >= INDENT_EM * size
        and prev.box[2] >= right - SHORT_EM * size
        and ln.box[0] <= prev.box[0] + INDENT_EM * size / 2
        and (_runs_on(prev, ln) or _LOWER_WORD.search(prev.text) is not None)
    )


def _numbered(ln: Line) -> bool:
    """The line opens with a list number (`2. Rhoda, born 1 April, 1787;`): after a sentence's
    end it starts an item, though the item before ran to the column's edge."""
    return bool(ln.words) and _LIST_NUMBER.fullmatch(ln.words[0].text) is not None


def _jumps_to_capital(i: int, prev: Line, ln: Line) -> bool:
    """At a jump to another column or box, a line stopping short of its column's edge ended
    its paragraph even without a full stop when the next starts with a capital (a card's last
    line, `AGRICULTURE` / `DAN D. QUINN`, on a page of cards): text running on across a
    column fills the column's last line."""
    return i == 0 and not _below(prev, ln) and not _first_word(ln)[:1].islower()


def _next_row(i: int, prev: Line, ln: Line) -> bool:
    """A jump down and back to the left, to a line opening with a capital: the next row of a
    grid of boxes (the election programme's cards, each line a block of its own, centred, so
    none looks short). Text running on into the next column climbs to its top."""
    assert prev.box and ln.box
    return (
        i == 0
        and ln.box[1] > prev.box[3]
        and ln.box[2] < prev.box[0]
        and not _first_word(ln)[:1].islower()
        and not hyphens.is_split_candidate(prev.words[-1].text)
    )


def _below(prev: Line, ln: Line) -> bool:
    """`ln` starts under `prev`, the two overlapping across: the gap between them is a gap in
    one column (a heading Tesseract set apart as a block of its own, then its text), not the
    jump from a column's foot to the next column's head."""
    assert prev.box and ln.box
    return ln.box[1] >= prev.box[3] and min(ln.box[2], prev.box[2]) > max(ln.box[0], prev.box[0])


def _hang(ln: Line, left: float) -> float | None:
    """How far in from the column edge a bullet line's text (its second word) starts."""
    second = ln.words[1].box if len(ln.words) > 1 else None
    return float(second[0] - left) if second else None


def _first_word(ln: Line) -> str:
    return ln.words[0].text if ln.words else ""


def _runs_on(prev: Line, nxt: Line) -> bool:
    last, first = prev.words[-1].text, _first_word(nxt)
    if not first or not first[0].islower():
        return False
    return hyphens.is_split_candidate(last) or not ends_sentence(prev.text)


def split_text(items: list[Line | None]) -> tuple[list[Block], list[Decision]]:
    """Body paragraphs from text lines, None marking a blank line (see the module docstring)."""
    lengths = [len(x.text) for x in items if x is not None]
    median_len = statistics.median(lengths) if lengths else 0
    blocks: list[Block] = []
    notes: list[Decision] = []
    blank = False
    for item in items:
        if item is None:
            blank = True
            continue
        prev = blocks[-1].lines[-1] if blocks else None
        if prev is None:
            new = True
        elif blank:
            new = not _runs_on(prev, item)
            if not new:
                notes.append(
                    Decision(
                        "order",
                        "text runs on across a blank line: same paragraph",
                        f"{prev.words[-1].text} / {_first_word(item)}",
                        lines=[prev.id, item.id],
                    )
                )
        else:
            first = _first_word(item)
            new = ends_sentence(prev.text) and (
                first == BULLET
                or (
                    len(prev.text) < SHORT_TEXT * median_len
                    and bool(first)
                    and (first[0].isupper() or first[0].isdigit())
                )
            )
        if new:
            blocks.append(Block("body"))
        blocks[-1].lines.append(item)
        blank = False
    return blocks, notes


def _words(block: Block) -> int:
    return sum(len(ln.words) for ln in block.lines)


def _cut_off(block: Block) -> bool:
    """A body paragraph that stops mid-sentence (the caption test needs a real sentence)."""
    if block.kind != "body" or not block.lines or _words(block) < 8:
        return False
    last = block.lines[-1]
    return hyphens.is_split_candidate(last.words[-1].text) or not ends_sentence(last.text)


def _picked_up(block: Block) -> bool:
    first = _first_word(block.lines[0]) if block.kind == "body" and block.lines else ""
    return first[:1].isalpha() and first[0].islower()


def _pick_up(blocks: list[Block], i: int) -> int | None:
    """Index of the paragraph that picks up block i's sentence past a few short ones, or None."""
    for j in range(i + 2, min(i + 2 + INTERPOSED_LOOKAHEAD, len(blocks))):
        between = blocks[i + 1 : j]
        if sum(_words(b) for b in between) > INTERPOSED_WORDS or any(
            len(b.lines) > INTERPOSED_LINES or b.kind != "body" or _cut_off(b) for b in between
        ):
            return None
        if _picked_up(blocks[j]):
            return j
    return None


def _ran_on(first: Block, between: list[Block], then: Block, why: str) -> Decision:
    """The record of a sentence joined past the paragraphs `between`."""
    lines = [ln for b in between for ln in b.lines]
    ids = [first.lines[-1].id, *(ln.id for ln in lines), then.lines[0].id]
    return Decision("order", why, " / ".join(ln.text for ln in lines), lines=ids)


def move_interruptions(blocks: list[Block]) -> tuple[list[Block], list[Decision]]:
    """Join sentences that captions or credits cut in two; the captions go after the text."""
    out = [Block(b.kind, list(b.lines)) for b in blocks]
    moved: list[Block] = []
    notes: list[Decision] = []
    i = 0
    while i < len(out):
        j = _pick_up(out, i) if _cut_off(out[i]) else None
        if j is None:
            i += 1
            continue
        between = out[i + 1 : j]
        why = (
            "short paragraphs cut a sentence in two (a caption or credit set into the column): "
            "moved after the text, the sentence joined"
        )
        notes.append(_ran_on(out[i], between, out[j], why))
        moved += [Block("caption", b.lines) for b in between]
        out[i].lines.extend(out[j].lines)
        del out[i + 1 : j + 1]  # out[i] is looked at again: it may be cut off further on
    return out + moved, notes


def split_at_interruptions(blocks: list[Block], lex: Lexicon) -> list[Block]:
    """A body paragraph cut where a line ending in a split word's first half is followed by
    other text (`hyphens.interrupted`: `pro-` / `By Carrie Chapman Catt`), so the second
    half can be looked for past it (`rejoin_split_words`)."""
    out: list[Block] = []
    for b in blocks:
        if b.kind != "body":
            out.append(b)
            continue
        run: list[Line] = []
        for ln in b.lines:
            last = run[-1].words if run else []
            if last and ln.words and hyphens.interrupted(last[-1].text, ln.words[0].text, lex):
                out.append(Block(b.kind, run))
                run = []
            run.append(ln)
        out.append(Block(b.kind, run))
    return out


def join_past_lettering(blocks: list[Block]) -> tuple[list[Block], list[Decision]]:
    """A body paragraph cut off mid-sentence, lettering in a figure, and a paragraph picking
    the sentence up in lower case: the sentence ran on past the figure (`In ex-` / `THE OLD`
    / `actly the same`). The two halves are joined and the lettering follows them."""
    out = [Block(b.kind, list(b.lines), b.lettering) for b in blocks]
    notes: list[Decision] = []
    i = 0
    while i + 2 < len(out):
        j = i + 1
        while j < len(out) and out[j].lettering:
            j += 1
        if j == i + 1 or j == len(out) or not _cut_off(out[i]) or not _picked_up(out[j]):
            i += 1
            continue
        why = (
            "the text runs on past lettering in a figure: the sentence joined, the "
            "lettering placed after it"
        )
        notes.append(_ran_on(out[i], out[i + 1 : j], out[j], why))
        out[i].lines.extend(out[j].lines)
        out[i + 1 : j + 1] = out[i + 1 : j]
    return out, notes


def merge_split_words(blocks: list[Block]) -> list[Block]:
    """Join a body paragraph to the next when a word is split between them."""
    out: list[Block] = []
    for b in blocks:
        if out and out[-1].kind == "body" == b.kind and out[-1].lines and b.lines:
            last, first = out[-1].lines[-1].words[-1].text, _first_word(b.lines[0])
            if hyphens.is_split_candidate(last) and first[:1].islower():
                out[-1].lines.extend(b.lines)
                continue
        out.append(Block(b.kind, list(b.lines)))
    return out


def rejoin_split_words(
    paras: list[Paragraph], owners: list[int], lex: Lexicon
) -> tuple[list[Paragraph], list[int], list[Decision]]:
    """A body paragraph ending in a split word's first half (`pro-`) gets the second half
    (`gram`) from the first paragraph within SPLIT_LOOKAHEAD that opens in lower case, when
    only paragraphs opening otherwise (`By Carrie Chapman Catt`) stand between, all in the
    same section (`owners`), and the two make a common word. Returns the paragraphs, their
    owners (a paragraph left empty is dropped) and the decisions."""
    paras, owners = list(paras), list(owners)
    decisions: list[Decision] = []
    for i in range(len(paras)):
        p = paras[i]
        if p.kind != "body" or not p.tokens or not hyphens.is_split_candidate(p.tokens[-1].text):
            continue
        for j in range(i + 1, min(i + 1 + SPLIT_LOOKAHEAD, len(paras))):
            q = paras[j]
            if owners[j] != owners[i]:
                break
            first = q.tokens[0].text if q.tokens else ""
            if not first[:1].islower():
                continue
            d = hyphens.decide(p.tokens[-1].text, first, lex) if q.kind == "body" else None
            if j > i + 1 and d is not None and d.action == "join" and d.zipf >= SPLIT_AFAR_ZIPF:
                left, right = p.tokens[-1], q.tokens[0]
                joined = Token(d.result, left.src + right.src, _min_conf(left.conf, right.conf))
                paras[i] = replace(p, tokens=[*p.tokens[:-1], joined])
                paras[j] = replace(q, tokens=q.tokens[1:])
                why = f"split word's second half {j - i} paragraphs on, past other text; "
                original = f"{left.text} … {right.text}"
                lines = p.lines[-1:] + q.lines[:1]
                decisions.append(Decision("join", why + d.reason, original, d.result, lines))
            break
    kept = [k for k, p in enumerate(paras) if p.tokens]
    return [paras[k] for k in kept], [owners[k] for k in kept], decisions


def _min_conf(*confs: float | None) -> float | None:
    real = [c for c in confs if c is not None]
    return min(real) if real else None


def _merge(tokens: list[Token], right: Word, d: hyphens.HyphenDecision) -> None:
    left = tokens[-1]
    tokens[-1] = Token(d.result, left.src + [right.id], _min_conf(left.conf, right.conf))


def _mend_line_end(
    tokens: list[Token], nxt: str, lex: Lexicon, line: Line, decisions: list[Decision]
) -> Token:
    """The last token of a line with a misread line-end mark (`re»`) mended; recorded."""
    left = tokens[-1]
    found = (
        hyphens.guillemet_end(left.text, nxt, lex)
        or hyphens.stray_end(left.text, nxt, lex)
        or hyphens.colon_end(left.text, nxt, lex)
        or hyphens.double_hyphen_end(left.text, nxt)
    )
    if found is None:
        return left
    text, why = found
    decisions.append(Decision("mark", why, left.text, text, [line.id]))
    tokens[-1] = Token(text, list(left.src), left.conf)
    return tokens[-1]


def _stray_marks_split(left: str, right: str, lex: Lexicon) -> hyphens.HyphenDecision | None:
    """A line-end split with a speck's quote or dash beside the hyphen, decided without it."""
    cleaned = hyphens.without_stray_marks(left, right)
    d = hyphens.decide(*cleaned, lex) if cleaned else None
    if d is None:
        return None
    return replace(d, reason=f"{d.reason}; a stray mark at the break dropped")


def _lone(text: str) -> bool:
    """A token of one or two marks, no letter or digit: a speck read as punctuation."""
    return len(text) <= 2 and not any(c.isalnum() for c in text)


def _split_before_lower(left: str, right: str, lex: Lexicon) -> hyphens.HyphenDecision | None:
    """`left` ending in a split's hyphen, `right` going on in lower case: decided."""
    if not hyphens.is_split_candidate(left) or not right[:1].islower():
        return None
    return hyphens.decide(left, right, lex)


def _lone_mark(d: hyphens.HyphenDecision) -> hyphens.HyphenDecision:
    return replace(d, reason=f"{d.reason}; a lone mark at the break dropped")


def _across_marks(
    tokens: list[Token], words: list[Word], lex: Lexicon
) -> tuple[hyphens.HyphenDecision, Word, int] | None:
    """At a line start, the split decided over what a speck left at the break: a mark glued
    to a half (`con-“` / `ceived`), a lone mark opening this line (`in-` / `.` `terest`) or
    ending the last (`in- .` / `terest`). Returns the decision, the continuation word and its
    index in `words`; the last token then carries the lone mark's word id."""
    left, w = tokens[-1], words[0]
    d = _stray_marks_split(left.text, w.text, lex)
    if d is not None:
        return d, w, 0
    if len(words) > 1 and _lone(w.text):
        d = _split_before_lower(left.text, words[1].text, lex)
        if d is not None:
            tokens[-1] = Token(f"{left.text} {w.text}", [*left.src, w.id], left.conf)
            return _lone_mark(d), words[1], 1
    if len(tokens) > 1 and _lone(left.text):
        before = tokens[-2]
        d = _stray_marks_split(before.text, w.text, lex) or _split_before_lower(
            before.text, w.text, lex
        )
        if d is not None:
            tokens.pop()
            text = f"{before.text} {left.text}"
            tokens[-1] = Token(text, [*before.src, *left.src], before.conf)
            return _lone_mark(d), w, 0
    return None


def tokenise(block: Block, lex: Lexicon, pid: str) -> tuple[Paragraph, list[Decision]]:
    """One paragraph's tokens; a split word across a line end becomes one token with two ids.

    At a line end, a misread mark (`re»`, `made«`) is mended first (`hyphens.guillemet_end`),
    and a split whose hyphen was lost (`con` / `stitution`) is joined (`hyphens.decide_lost`).
    Archive text also has splits inside a line (`deter- mined`: the line break became a space);
    those are joined only when the joined word is common (Zipf >= INLINE_ZIPF; web word lists
    hold junk such as `forthe` at 2.5), and otherwise left as printed (`pre- and post-war`).
    """
    tokens: list[Token] = []
    decisions: list[Decision] = []
    prev_line: Line | None = None
    for ln in block.lines:
        skip = -1
        for i, w in enumerate(ln.words):
            if i == skip:
                continue
            left = tokens[-1] if tokens else None
            line_start = left is not None and i == 0 and prev_line is not None
            if line_start:
                left = _mend_line_end(tokens, w.text, lex, prev_line, decisions)
            d = hyphens.decide(left.text, w.text, lex) if left is not None and left.src else None
            if line_start and d is None:
                found = _across_marks(tokens, ln.words, lex)
                if found is not None:
                    d, w, skip = found
                    left = tokens[-1]
            if line_start and d is None:
                d = hyphens.decide_lost(left.text, w.text, lex)
            if line_start and d is not None:
                _merge(tokens, w, d)
                original = f"{left.text} {w.text}"
                lines = [prev_line.id, ln.id]
                decisions.append(Decision(d.action, d.reason, original, d.result, lines))
            elif left is not None and d is not None and i > 0 and d.zipf >= INLINE_ZIPF:
                _merge(tokens, w, d)
                reason = f"split inside a line; {d.reason}"
                original = f"{left.text} {w.text}"
                decisions.append(Decision(d.action, reason, original, d.result, [ln.id]))
            else:
                tokens.append(Token(w.text, [w.id], w.conf))
        prev_line = ln
    return Paragraph(pid, tokens, block.kind, [ln.id for ln in block.lines]), decisions
