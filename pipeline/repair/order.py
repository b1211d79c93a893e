"""Whose reading order stage 3 uses: Tesseract's own, unless the geometry shows it is wrong.

On real scans Tesseract's block order is mostly right, and a page re-ordered by our XY-cut
read worse than Tesseract's (scans-dev: multi-column CER 2.8x plain Tesseract's, newspapers
2.9x, book pages with a moved block). So Tesseract's block sequence is kept, and the
geometry takes over only on evidence that Tesseract read something in an impossible order:

  * it reads a block that lies wholly above a block it read earlier, in the same column
    (sharing most of the narrower one's width): reading a column upward, or a headline after
    the column text under it. That block moves back before the first such block (or a stray
    read early moves on); only when over a quarter of the blocks (and 2 or more) end out of
    Tesseract's sequence (`displaced`) is the order lost, and the XY-cut's used (unless the
    XY-cut's own order interleaves the columns: `jumps`, checked by `layout`);
  * it reads a picture set into some of the columns, or a paragraph gap that happens to line
    up across the columns, as a break across the page (the column tops side by side, then
    the text under the picture or the gap): a column's text under it moves up to follow its
    text above (`across_breaks`);
  * inside one of its blocks, lines of two columns alternate (a block that spans a clear
    gutter with lines on both sides): that block alone is re-ordered by the XY-cut.

A line Tesseract merged across a gutter (its words on both sides of a strip that the lines
around it leave empty) is first cut at the gutter (`cut_at_gutters`) and its right half put
in the block of its column (`rehome`; so is a left half Tesseract had read in the next
column's block, `astray_lefts`); the right piece of a line Tesseract split at a wide
word space and put in another block comes back after its left piece (`gather_pieces`), and
so do pieces of a paragraph cut into blocks too small to show their column's edges, when the
lines over and under them run across the white between them (`bridged_pieces`).
Captions need positive evidence (`caption_evidence`), never merely a place under a picture.

Everything here is pure: lines in, lines / decisions out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from pipeline.model import Box, Line, union, x_overlap
from pipeline.repair.typesize import ROW_OVERLAP, line_size

# A block read after another that lies wholly above it and shares at least this share of the
# narrower one's width is read upward in one column (typesize.COLUMN_SHARE).
SAME_COLUMN = 0.5
# Two lines sharing at most this share of the narrower one's width stand in two columns.
COLUMN_TOUCH = 0.05
# Share of Tesseract's blocks out of place (`displaced`: all but the longest run the mended
# order keeps in Tesseract's sequence) over which its order is taken as broken and the
# XY-cut's used instead. No scans-dev or synthetic page came near it (at most 1 block of 30
# or more); it stands for an order Tesseract has plainly lost, where mending block by block
# would be guesswork.
GEOMETRY_SHARE = 0.25
# and at least this many blocks: one block read upward on a page of few blocks is mended
# (a headline read last on a three-block page is one move, not a lost order).
GEOMETRY_MIN_MOVES = 2
# ... and then only if the XY-cut's order jumps (`jumps`) at most this many times as often as
# Tesseract's mended one: under salt-and-pepper noise (bench.stress `noise`) Tesseract broke a
# broadsheet into ~100 blocks, over a quarter read upward, and the XY-cut, cutting through
# gutters the noise had filled, interleaved its columns (115-147 jumps against the mended
# order's 28-34; CER 68-75 % against 12-23 %). A page whose columns Tesseract reads right to
# left (a test page) jumps alike both ways (4 against 5) and is read by the XY-cut.
XYCUT_JUMPS = 2.0
# A page whose stray blocks, moved on, chase each other over this many moves a block is mended
# by moving the blocks read late back only.
EARLY_MOVES = 4
# The next line "under" the last: its top at most this many line heights lower.
JUMP_REACH = 3.0
# A caption or credit under a picture: a block of at most this many lines starting within
# CAPTION_REACH of its line heights under the picture (not the column's text running on).
CAPTION_LINES = 2
CAPTION_REACH = 3.0
# A column runs on across white at most this many of its line heights tall (a paragraph gap;
# cards of a grid and stories stacked in a column stand further apart).
RUN_ON_LINES = 2.0
# In body sizes: the least width of a gutter a merged line is cut at (xycut.MIN_GUTTER plus
# the two nibbles, the XY-cut's own gutter width).
GUTTER_MIN = 0.9
# A gutter used by the lines around it: at least this many lines end left of it and start
# right of it within the band of the merged line (a column of text on each side).
GUTTER_SIDE_LINES = 3
# In body sizes: how far above and below a merged line the lines that define its gutter lie.
GUTTER_REACH = 8.0
# Lines over or under a line within this share of its height of the nearest are one row.
ROW_SLACK = 0.5
# Pieces of one printed line (`bridged_pieces`): at most this many body sizes apart, of
# heights within this ratio (`seat.` stands 0.6 as tall as a line with capitals), and the
# rows over and under them within this many line heights.
PIECE_GAP = 4.0
PIECE_SIZES = 2.0
PIECE_REACH = 1.5
# A right-hand piece and its left piece are one type: estimated sizes within this ratio. A
# short piece's estimate wobbles (`return` / `lies in` on a degraded newspaper: 1.64x, `Weit`
# 1.69x); `2016` in display type under a graphic beside body text measures 2.0x
# (`multicol_01` at 1.25x its pixels, where it took the next column's line as its piece).
PIECE_TYPE = 1.75
TYPE_LETTERS = 3  # letters or figures a piece needs for its size to be told
# Rows split at the same white next to a pair of pieces, looked past (a river of wide spaces
# two lines deep: `oldbooks_j066` beside two pages, bench.stress `cols3`); three or more rows
# split there are a gutter.
RIVER_ROWS = 1
# A line none of whose words Tesseract reads this sure of is no evidence of a row over or
# under a pair of pieces: picture texture read as a word (`ee` at 15 under one piece of a line
# cut over a picture) made the row look split, and the line's left piece was read after it.
EVIDENCE_CONF = 50.0


@dataclass(frozen=True)
class OrderChoice:
    """`order` is "tesseract" or "geometry"; `reason` says which figure decided."""

    order: str
    reason: str
    moves: list[tuple[str, str]]  # (block moved, "before b4" / "after b9")


def _box(lines: list[Line]) -> Box:
    return union([ln.box for ln in lines if ln.box])


def block_runs(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped by Tesseract block, in Tesseract's order (consecutive lines of one block)."""
    runs: list[list[Line]] = []
    for ln in lines:
        if runs and runs[-1][-1].block == ln.block:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def split_columns(run: list[Line]) -> list[list[Line]]:
    """A run split where its next line stands in another column (`_in_two_columns`)."""
    out = [[run[0]]]
    for a, b in zip(run, run[1:], strict=False):
        if _in_two_columns(a, b):
            out.append([b])
        else:
            out[-1].append(b)
    return out


def _in_two_columns(a: Line, b: Line) -> bool:
    """Line b, read after a in one block, stands in another column: neither shares the other's
    width (COLUMN_TOUCH) nor height, and they are alike in width. Tesseract put a column's last
    line and the next column's line under and beside it in one block (a broadsheet at 1.5x its
    pixels), whose box then spans both columns; a short last line and an indented next line
    are not alike, and pieces of one printed line share its height."""
    if not a.box or not b.box:
        return False
    wa, wb = a.box[2] - a.box[0], b.box[2] - b.box[0]
    if wa <= a.box[3] - a.box[1] or wb <= b.box[3] - b.box[1]:  # a line set sideways
        return False
    if _beside(a.box, b.box):  # pieces of one printed line (`gather_pieces`)
        return False
    apart = x_overlap(a.box, b.box) <= COLUMN_TOUCH * min(wa, wb)
    return apart and max(wa, wb) <= 2 * min(wa, wb)


def _upward(a: Box, b: Box) -> bool:
    """b lies wholly above a and in the same column."""
    shared = x_overlap(a, b)
    narrow = min(a[2] - a[0], b[2] - b[0])
    return b[3] <= a[1] and shared >= SAME_COLUMN * max(1, narrow)


def mend(
    runs: list[list[Line]], early: bool = True
) -> tuple[list[list[Line]], list[tuple[str, str]]]:
    """Tesseract's block order with each block that it read after text below it in the same
    column put right: (runs, [(block moved, "before b4" or "after b9")]).

    Mostly the later block was read late (a headline read after its column's text), and moves
    back before the first such block. But where the earlier block is a stray (a line of
    another column read among this one's: the blocks read before and after it are not its
    column's text running on) with a place further on (`_home`: the block it runs on from),
    it was read early: it moves on to that place instead, when the page's order then jumps
    less (`jumps`) than with the later block moved back. On bench.stress `blur2`'s
    broadsheet, moving a column's top back to a stray line of it, read in the middle of the
    column beside, cost 4.4 points of CER; a headline read after two columns' text jumps as
    often either way, and moves back. `early=False`: blocks read late move back only."""
    out = [r for r in runs if any(ln.box for ln in r)]
    moves: list[tuple[str, str]] = []
    i = 1
    while i < len(out):
        b = _box(out[i])
        j = next((j for j in range(i) if _upward(_box(out[j]), b)), None)
        if j is None:
            i += 1
            continue
        if len(moves) >= EARLY_MOVES * len(out):  # the moves chase each other
            return mend(runs, early=False)
        back = out[:j] + [out[i]] + out[j:i] + out[i + 1 :]
        home = _home(out, j, i) if early and _stray(out, j) else None
        if home is not None:
            on = out[:j] + out[j + 1 : home + 1] + [out[j]] + out[home + 1 :]
            if _jumps_of(on) < _jumps_of(back):
                moves.append((out[j][0].block, f"after {out[home][0].block}"))
                out = on
                i -= 1  # block i again: more of its column's text may have been read before it
                continue
        moves.append((out[i][0].block, f"before {out[j][0].block}"))
        out = back
        i += 1
    return out, moves


def _jumps_of(runs: list[list[Line]]) -> int:
    return jumps([ln for r in runs for ln in r])


def _stray(runs: list[list[Line]], k: int) -> bool:
    """Block k is neither its column's text running on from the block read before it nor
    run on by the block read after it."""
    before = k > 0 and _runs_under(runs[k - 1][-1], runs[k][0])
    after = k + 1 < len(runs) and _runs_under(runs[k][-1], runs[k + 1][0])
    return not (before or after)


def _home(runs: list[list[Line]], j: int, i: int) -> int | None:
    """The block, read at i or after, whose text block j runs on from (j's place), if any."""
    return next((k for k in range(i, len(runs)) if _runs_under(runs[k][-1], runs[j][0])), None)


def _runs_under(a: Line, b: Line) -> bool:
    """Line b is the next under line a in its column (`jumps`' test)."""
    if not a.box or not b.box:
        return False
    drop = b.box[1] - a.box[1]
    return 0 <= drop <= JUMP_REACH * max(1, a.box[3] - a.box[1]) and _shared(a.box, b.box)


def _shared(a: Box, b: Box) -> bool:
    """a and b share a column: most of the narrower one's width."""
    shared = x_overlap(a, b)
    return shared >= SAME_COLUMN * max(1, min(a[2] - a[0], b[2] - b[0]))


def _beside(a: Box, b: Box) -> bool:
    """a and b overlap in height."""
    return min(a[3], b[3]) > max(a[1], b[1])


def across_breaks(
    runs: list[list[Line]], pics: tuple[Box, ...]
) -> tuple[list[list[Line]], list[tuple[str, str]]]:
    """Tesseract's order with a column's text read right after the text above it, where
    Tesseract read across the page as if at a break that is none.

    Tesseract reads a picture set into some of the columns as a break across the page: the
    tops of the columns beside each other, then the text under the picture (news-clean-06 of
    bench.pagegen: 19 % CER where the column order gives 0.03 %). A column's text runs on
    under a picture set into it, so a block wholly under an earlier one in its column, with a
    picture between them, moves up to follow it when everything read between is in other
    columns or in the picture's own band (its caption and credit), and the picture leaves room
    beside it for a column (a picture across the whole page does break the page in two). It
    does the same with no picture, where the columns' paragraph gaps happen to line up
    (`multicol_05` at three quarters of its pixels: the first column's top, the second's,
    then the rest of the first; CER 46 % against 4 %): a block of running text under an
    earlier one in its column, with nothing between them and no more than RUN_ON_LINES of its
    lines' height of white, is the column running on, and moves up alike. So does the story
    under a heading that Tesseract read right after its column's text before going across to
    the next column's (bench.stress `threeq`'s broadsheet: CER 18.6 % against 3.3 %), but not
    where all it went across to are a grid's short cells. Nothing moves that lies under what
    Tesseract read across as well as under the column (rows set across a box of names and
    telephone numbers come after both: `rot15`'s `multicol_01`, CER 7.07 % against 4.54 %).
    """
    out = [r for r in runs if any(ln.box for ln in r)]
    boxes = [_box(r) for r in out]
    moves: list[tuple[str, str]] = []
    for i in range(len(out) - 2):
        # a byline, a caption: no column's text; but a heading read right under its column's
        # text ends that column's run as well as the text would
        short = len(out[i]) <= CAPTION_LINES
        if short and not (
            i > 0 and len(out[i - 1]) > CAPTION_LINES and _upward(boxes[i], boxes[i - 1])
        ):
            continue
        k = _continuation(out, boxes, i, pics)
        # ... and then only where what Tesseract read across to holds a column's text, not
        # only a grid's short cells (telephone numbers beside a name and title)
        if k is None or (short and all(len(r) <= CAPTION_LINES for r in out[i + 1 : k])):
            continue
        end = k + 1  # with the blocks Tesseract read next down the same column
        while end < len(out) and _down(boxes[end], boxes[end - 1]):
            end += 1
        moves.append((out[k][0].block, f"before {out[i + 1][0].block}"))
        out[i + 1 : end] = out[k:end] + out[i + 1 : k]
        boxes[i + 1 : end] = boxes[k:end] + boxes[i + 1 : k]
    return out, moves


def _down(b: Box, a: Box) -> bool:
    """b lies in a's column, not above it: the column read on (a piece of a line of a's, a
    block under it)."""
    return _shared(a, b) and b[1] >= a[1]


def _continuation(
    out: list[list[Line]], boxes: list[Box], i: int, pics: tuple[Box, ...]
) -> int | None:
    """The index of the block that continues block i's column under a picture or across a
    break that is none, when Tesseract read other columns' text between them (see
    `across_breaks`), else None."""
    p = boxes[i]
    below = [k for k in range(i + 1, len(out)) if _upward(boxes[k], p)]
    if not below:
        return None
    pic = next(
        (
            q
            for q in pics
            if _shared(q, p)
            and p[3] <= (q[1] + q[3]) / 2 <= boxes[below[0]][1]
            and any(_beside(c, q) and not _shared(c, q) for c in boxes)
        ),
        None,
    )
    if pic is None:  # no picture: the column runs on across a paragraph's gap, or not
        k = below[0]
        if len(out[k]) <= CAPTION_LINES or not _column_runs_on(out, boxes, i, k, pics):
            return None
    else:  # the column's text under the picture: not a caption or credit line right under it
        k = next((k for k in below if not _caption_like(out[k], boxes[k], pic)), None)
        if k is None or _story_under(out, boxes, p, boxes[k], pic):
            return None
    if k == i + 1:
        return None
    gap = (p[3], boxes[k][1])
    between = boxes[i + 1 : k]
    # Tesseract went across: it read the next column's text beside this one's first
    beside = [c for c in between if _beside(c, p) and not _shared(c, p)]
    # ... and read in its column between them only pieces of its own lines (split off at a
    # wide space, gathered later: `bridged_pieces`) or what stands in the white between them
    in_band = all(
        not _shared(c, p) or p[1] <= c[1] <= c[3] <= p[3] or gap[0] <= c[1] <= c[3] <= gap[1]
        for c in between
    )
    # and block k runs on p's column alone, not under what was read across too (a row set
    # across a box's names and telephone numbers, which comes after both)
    alone = not any(_shared(c, boxes[k]) for c in beside)
    return k if beside and in_band and alone else None


def _column_runs_on(
    out: list[list[Line]], boxes: list[Box], i: int, k: int, pics: tuple[Box, ...]
) -> bool:
    """Block k stands under block i in its column with at most RUN_ON_LINES of i's line
    heights of white between them, and no block or picture in that white over the column."""
    p, q = boxes[i], boxes[k]
    line_height = (p[3] - p[1]) / len(out[i])
    if not 0 <= q[1] - p[3] <= RUN_ON_LINES * line_height:
        return False
    others = [c for j, c in enumerate(boxes) if j not in (i, k)] + list(pics)
    return not any(x_overlap(c, p) > 0 and p[3] <= (c[1] + c[3]) / 2 <= q[1] for c in others)


def _story_under(out: list[list[Line]], boxes: list[Box], p: Box, q: Box, pic: Box) -> bool:
    """Something but the picture and its caption stands between p and q under it (a headline
    there starts another story under the picture)."""
    return any(
        p[3] < (c[1] + c[3]) / 2 < q[1]
        and x_overlap(c, pic) > 0
        and not _caption_like(out[j], c, pic)
        for j, c in enumerate(boxes)
    )


def _caption_like(run: list[Line], box: Box, pic: Box) -> bool:
    """A block of a line or two right under a picture (within three of its line heights)."""
    if len(run) > CAPTION_LINES:
        return False
    line_height = (box[3] - box[1]) / len(run)
    return 0 <= box[1] - pic[3] <= CAPTION_REACH * line_height


def jumps(lines: list[Line]) -> int:
    """How often, in this order, the next line is not the one under the last in its column
    (sharing most of the narrower one's width, its top at most JUMP_REACH line heights lower):
    a right order jumps at column and block ends only, one that interleaves columns at
    nearly every line."""
    count = 0
    for a, b in zip(lines, lines[1:], strict=False):
        if a.box and b.box:
            count += not _runs_under(a, b)
    return count


def mended_order(runs: list[list[Line]], pics: tuple[Box, ...] = ()) -> list[list[Line]]:
    """Tesseract's order mended block by block (`mend`, then `across_breaks`)."""
    return across_breaks(mend(runs)[0], pics)[0]


def choose(
    runs: list[list[Line]], pics: tuple[Box, ...] = ()
) -> tuple[OrderChoice, list[list[Line]]]:
    """Tesseract's block order, mended where it reads a column upward or across a picture;
    the XY-cut's when most blocks would need it (see the module docstring). Returns the
    choice and the runs."""
    mended, moves = mend(runs)
    moved = displaced(runs, mended)
    mended, crossed = across_breaks(mended, pics)
    n = len(mended)
    if moved >= GEOMETRY_MIN_MOVES and moved > GEOMETRY_SHARE * n:
        reason = (
            f"Tesseract read {moved} of its {n} blocks out of place in their column (over "
            f"{GEOMETRY_SHARE:.0%}): geometric order (XY-cut) used"
        )
        return OrderChoice("geometry", reason, moves), runs
    if moves or crossed:
        parts = []
        if moves:
            first = ", ".join(f"{a} {b}" for a, b in moves[:3])
            parts.append(
                f"{len(moves)} of its {n} blocks read after text below them in the same "
                f"column, or before text above them, moved ({first})"
            )
        if crossed:
            first = ", ".join(f"{a} {b}" for a, b in crossed[:3])
            parts.append(
                f"{len(crossed)} read across a picture or a gap as if the page broke there, "
                "moved up to "
                f"follow their column ({first})"
            )
        reason = f"Tesseract's order kept but for {'; '.join(parts)}"
        return OrderChoice("tesseract-mended", reason, moves + crossed), mended
    reason = (
        f"Tesseract's order kept: none of its {n} blocks is read after text below it in the "
        "same column"
    )
    return OrderChoice("tesseract", reason, moves), mended


def displaced(runs: list[list[Line]], mended: list[list[Line]]) -> int:
    """How many blocks `mend` put elsewhere: all but the longest sequence it left in
    Tesseract's order. One stray read early (a page's footer set left of the last column,
    read before that column: every block of the column moves back before it, one by one) is
    one block out of place, not the nine it took to move the column round it."""
    at = {id(r): k for k, r in enumerate(runs)}
    tails: list[int] = []  # patience sorting: the least last index of a sequence of each length
    for r in mended:
        k = at[id(r)]
        pos = bisect_left(tails, k)
        tails[pos : pos + 1] = [k]
    return len(mended) - len(tails)


# ---------------------------------------------------------------- lines merged across a gutter

# A gutter may be crossed by 1 line in this many of the lines around it and still be one
# (bylines, sub-heads; xycut.SPAN_SHARE).
GUTTER_CROSS_SHARE = 10
# A line whose words are this x taller than the lines around it is display type, whose wide
# word spaces may fall over a gutter by chance: never cut.
GUTTER_DISPLAY = 1.3
# In body sizes: how far apart the edges of two lines' spaces may be and still be one gutter
# (a justified column's margins; a chance river in one column lines up far less closely).
GUTTER_EDGE = 0.3
# A line lies in a cut block's column when its edges are within this share of the column's
# width of the cut lines' edges (indents, short last lines).
RESEAT_SLACK = 0.1


def _span(line: Line) -> tuple[int, int] | None:
    words = [w for w in line.words if w.box and any(c.isalnum() for c in w.text)]
    if not words:
        return None
    return min(w.box[0] for w in words), max(w.box[2] for w in words)


def _height(line: Line) -> float:
    hs = sorted(w.box[3] - w.box[1] for w in line.words if w.box)
    return float(hs[len(hs) // 2]) if hs else 0.0


def _gaps(line: Line) -> tuple[tuple[int, int], ...]:
    boxes = [w.box for w in line.words if w.box]
    pairs = zip(boxes, boxes[1:], strict=False)
    return tuple((a[2], b[0]) for a, b in pairs if b[0] > a[2])


@dataclass(frozen=True)
class _Around:
    """What `_gutter_used` asks of each line, measured once a page (pages have hundreds)."""

    line: Line
    yc: float
    span: tuple[int, int] | None
    height: float
    gaps: tuple[tuple[int, int], ...]  # the spaces between its words, left to right


def _around(lines: list[Line]) -> tuple[list[_Around], list[float]]:
    """The boxed lines' measures, sorted by their centre's height, and those centres."""
    geo = sorted(
        (
            _Around(ln, (ln.box[1] + ln.box[3]) / 2, _span(ln), _height(ln), _gaps(ln))
            for ln in lines
            if ln.box
        ),
        key=lambda a: a.yc,
    )
    return geo, [a.yc for a in geo]


def _gutter_used(
    line: Line, gap: tuple[int, int], geo: list[_Around], centres: list[float], size: float
) -> bool:
    """Lines around `line` leave the strip of `gap` empty, with a column of text each side.

    A line merged across the same gutter (a space with both edges where this one's are: the
    columns' margins) counts on both sides; a display line (a headline over both columns)
    bounds the band: lines beyond it are another story's.
    """
    assert line.box
    mid = (gap[0] + gap[1]) / 2
    yc = (line.box[1] + line.box[3]) / 2
    reach = GUTTER_REACH * size
    lo, hi = bisect_left(centres, yc - reach), bisect_right(centres, yc + reach)
    near = [o for o in geo[lo:hi] if o.line is not line and o.span is not None]
    if not near:
        return False
    heights = sorted(o.height for o in near)
    display = GUTTER_DISPLAY * heights[len(heights) // 2]
    heads = [o.yc for o in near if o.height > display and _crosses(o, mid)]
    top = max((y for y in heads if y < yc), default=-reach - yc)
    bottom = min((y for y in heads if y > yc), default=yc + reach + 1)
    left = right = cross = 0
    for o in near:
        span = o.span
        assert span is not None
        if not top < o.yc < bottom:
            continue  # beyond a headline over the gutter: another story's columns
        if span[0] < mid < span[1] and _same_gap(o.gaps, gap, GUTTER_EDGE * size):
            left, right = left + 1, right + 1
        elif span[0] < mid < span[1]:
            cross += 1
        elif line.box[0] <= span[1] <= mid:
            left += 1
        elif mid <= span[0] <= line.box[2]:
            right += 1
    if min(left, right) < GUTTER_SIDE_LINES or cross > (left + right) // GUTTER_CROSS_SHARE:
        return False
    return _height(line) <= display


def _crosses(o: _Around, mid: float) -> bool:
    return o.span is not None and o.span[0] < mid < o.span[1]


def _same_gap(gaps: tuple[tuple[int, int], ...], gap: tuple[int, int], slack: float) -> bool:
    return any(abs(g0 - gap[0]) <= slack and abs(g1 - gap[1]) <= slack for g0, g1 in gaps)


def cut_at_gutters(lines: list[Line], size: float) -> tuple[list[Line], list[list[str]]]:
    """Lines Tesseract merged across a clear gutter cut there: a word space at least
    GUTTER_MIN body sizes wide over a strip the lines around it leave empty, with a column of
    text on each side. The right piece gets the id `<line>r`. Returns lines and the cuts."""
    out: list[Line] = []
    cuts: list[list[str]] = []
    geo, centres = _around(lines)
    for ln in lines:
        words = [w for w in ln.words if w.box]
        at = None
        if ln.box and size and len(words) == len(ln.words) and len(words) >= 2:
            for k in range(1, len(words)):
                g0, g1 = words[k - 1].box[2], words[k].box[0]  # type: ignore[index]
                if g1 - g0 >= GUTTER_MIN * size and _gutter_used(ln, (g0, g1), geo, centres, size):
                    at = k
                    break
        if at is None:
            out.append(ln)
            continue
        left, right = words[:at], words[at:]
        rid = f"{ln.id}r"
        out.append(Line(ln.id, left, union([w.box for w in left if w.box]), ln.block, ln.par))
        out.append(Line(rid, right, union([w.box for w in right if w.box]), ln.block, ln.par))
        cuts.append([ln.id, rid])
    return out, cuts


def rehome(runs: list[list[Line]], pieces: set[str]) -> list[list[Line]]:
    """Each right-hand piece of a cut line moved into the block of the column it stands in:
    the block holding the nearest line over or under it that shares most of its width,
    at its height in that block. A piece with no such block stays where it was."""
    out = [list(r) for r in runs]
    for k, run in enumerate(runs):
        for piece in [ln for ln in run if ln.id in pieces and ln.box]:
            pb = piece.box
            assert pb is not None
            best: tuple[float, int] | None = None
            for j, other in enumerate(out):
                for ln in other:
                    if ln is piece or not ln.box:
                        continue
                    shared = x_overlap(pb, ln.box)
                    if shared < SAME_COLUMN * (pb[2] - pb[0]):
                        continue
                    d = abs(ln.box[1] - pb[1])
                    if best is None or d < best[0]:
                        best = (d, j)
            if best is None or best[1] == k:
                continue
            out[k] = [ln for ln in out[k] if ln is not piece]
            target = out[best[1]]
            at = sum(1 for ln in target if ln.box and ln.box[1] < pb[1])
            target.insert(at, piece)
    return [r for r in out if r]


def astray_lefts(runs: list[list[Line]], lefts: set[str]) -> set[str]:
    """Left halves of cut lines that Tesseract had put in the next column's block: every other
    line of their block starts right of them (a merged line read with the right column's
    text). `rehome` moves them to their own column as it moves right halves; left halves in
    a block of their own column, or of their own, stay for `reseat`."""
    out: set[str] = set()
    for run in runs:
        for ln in run:
            if ln.id not in lefts or not ln.box:
                continue
            others = [o.box for o in run if o.box and o.id not in lefts and o is not ln]
            if others and all(b[0] >= ln.box[2] for b in others):
                out.add(ln.id)
    return out


def reseat(runs: list[list[Line]], lefts: set[str]) -> list[list[Line]]:
    """A block whose lines were cut at a gutter, read after the next column's block only
    because its merged lines reached into that column, put back right after the block above
    it in its own column — when every block read in between lies right of it. Only the
    block's lines in that column move; a line past them (a headline over both columns
    below) stays where Tesseract read it."""
    out = [list(r) for r in runs]
    for run in [r for r in runs if any(ln.id in lefts for ln in r)]:
        k = next(i for i, r in enumerate(out) if r == run)
        b = _box([ln for ln in run if ln.id in lefts])
        slack = RESEAT_SLACK * (b[2] - b[0])
        n = 0
        while n < len(run) and _within(_span(run[n]), b[0] - slack, b[2] + slack):
            n += 1
        if not any(ln.id in lefts for ln in run[:n]):
            continue
        top, bottom = _box(run[:n])[1::2]
        col = (b[0], top, b[2], bottom)  # a speck beside a line does not widen the column
        for j in range(k - 1, -1, -1):
            o = _box(out[j])
            shared = x_overlap(o, col)
            if (
                o[1] < col[1]
                and o[3] <= (col[1] + col[3]) / 2
                and shared >= SAME_COLUMN * min(o[2] - o[0], col[2] - col[0])
            ):
                between = out[j + 1 : k]
                if between and all(_box(r)[0] >= col[2] for r in between):
                    rest = out[k][n:]
                    out[k : k + 1] = [rest] if rest else []
                    out.insert(j + 1, run[:n])
                break
    return out


def _within(span: tuple[int, int] | None, x0: float, x1: float) -> bool:
    return span is not None and x0 <= span[0] and span[1] <= x1


def gather_pieces(runs: list[list[Line]], size: float) -> tuple[list[list[Line]], list[list[str]]]:
    """The right-hand piece of a printed line that Tesseract split at a wide word space and
    put in another block, moved in after its left piece (where `xycut.join_row_pieces`
    mends the line). A piece is a line on the same row, right of the left piece, inside the
    x-range of the left piece's block (a line of the next column lies beyond
    it). Then the middle pieces of lines cut in three (`middle_pieces`), a line's left piece
    read after its right one as two one-line blocks (`_left_pieces_read_last`), and the
    pieces of blocks too small to show a column's x-range (`bridged_pieces`): the one in the
    smaller block moves beside the other. Returns the runs and [left id, piece id] pairs."""
    out = [list(r) for r in runs]
    where = {id(ln): k for k, r in enumerate(out) for ln in r}
    every = [ln.box for r in runs for ln in r if ln.box]
    boxes = np.array(every, dtype=np.float64).reshape(-1, 4)
    moved: list[list[str]] = []
    gathered: set[str] = set()  # ids of every pair moved so far
    for k, run in enumerate(runs):
        boxed = [ln for ln in run if ln.box]
        if len(boxed) < GUTTER_SIDE_LINES:
            continue
        # the block's column edges as paragraphs.py takes them: a spanning line moves neither
        left_edge = sorted(ln.box[0] for ln in boxed)[len(boxed) // 4]  # type: ignore[index]
        right_edge = sorted(ln.box[2] for ln in boxed)[3 * len(boxed) // 4]  # type: ignore[index]
        for a in boxed:
            ab = a.box
            assert ab is not None
            if ab[0] < left_edge - size or not _any_piece(ab, boxes, right_edge, size):
                continue  # the common case, told at once: no line of any block fits
            for j, other in enumerate(out):
                if j == k:
                    continue
                for b in other:
                    bb = b.box
                    if bb is None or b.id in gathered:
                        continue
                    overlap = min(ab[3], bb[3]) - max(ab[1], bb[1])
                    if (
                        overlap > ROW_OVERLAP * min(ab[3] - ab[1], bb[3] - bb[1])
                        and ab[2] <= bb[0] < right_edge
                        and bb[2] <= right_edge + 0.5 * size
                        and ab[0] >= left_edge - size
                        and _one_type(a, b)
                    ):
                        out[j] = [x for x in out[j] if x is not b]
                        target = out[where[id(a)]]
                        target.insert(target.index(a) + 1, b)
                        where[id(b)] = where[id(a)]
                        moved.append([a.id, b.id])
                        gathered.update((a.id, b.id))
                        break
                else:
                    continue
                break
    out = [r for r in out if r]
    for a, b in middle_pieces(out, gathered, size):
        _move_beside(out, b, a, after=True)
        moved.append([a.id, b.id])
        gathered.add(b.id)
        out = [r for r in out if r]
    out = _left_pieces_read_last(out, gathered, moved, size)
    for a, b in bridged_pieces(out, size):
        if b.id in gathered or a.id in gathered:
            continue
        if len(_run_of(out, a)) >= len(_run_of(out, b)):  # the smaller block's piece moves
            _move_beside(out, b, a, after=True)
        else:
            _move_beside(out, a, b, after=False)
        moved.append([a.id, b.id])
        gathered.update((a.id, b.id))
        out = [r for r in out if r]
    return out, moved


def _run_of(runs: list[list[Line]], line: Line) -> list[Line]:
    return next(r for r in runs if any(x is line for x in r))


def _move_beside(runs: list[list[Line]], piece: Line, line: Line, after: bool) -> None:
    """`piece` taken from its run and put straight after (or before) `line` in line's run."""
    _run_of(runs, piece).remove(piece)
    run = _run_of(runs, line)
    run.insert(next(i for i, x in enumerate(run) if x is line) + (1 if after else 0), piece)


def bridged_pieces(runs: list[list[Line]], size: float) -> list[tuple[Line, Line]]:
    """Pieces of one printed line that Tesseract split at a wide word space into blocks too
    small to show their column's edges (a paragraph cut into one- and two-line blocks): `b`
    the next line right of `a` on its row, a word space or a few apart, read anywhere but
    straight after it in its block, and the lines over and under them the same line on each
    side that has one — text running across the white between them, which a gutter never
    has (`_bridged`). Returns the (left, right) pairs not already read side by side;
    `gather_pieces` moves the piece in the smaller block beside the other."""
    lines = [ln for r in runs for ln in r if ln.box]
    if len(lines) < 3:
        return []
    order = {id(ln): (k, i) for k, r in enumerate(runs) for i, ln in enumerate(r)}
    boxes = np.array([ln.box for ln in lines], dtype=np.float64)
    right = [_right_piece(boxes, i, size) for i in range(len(lines))]
    seen = boxes.copy()  # the lines that can stand over or under a pair: not the unsure
    seen[[_unsure(ln) for ln in lines]] = np.nan
    pairs = []
    for i, a in enumerate(lines):
        j = right[i]
        if j is None:
            continue
        b = lines[j]
        (ka, ia), (kb, ib) = order[id(a)], order[id(b)]
        if ka == kb and ib == ia + 1:
            continue  # read side by side already: `xycut.join_row_pieces` joins them
        sides = [_bridged(boxes, seen, right, i, j, side, RIVER_ROWS) for side in (-1, 1)]
        if False not in sides and True in sides:
            pairs.append((a, b))
    return pairs


def _right_piece(boxes: np.ndarray, i: int, size: float) -> int | None:
    """The next line right of line `i` on its row, at most PIECE_GAP body sizes away, of a
    height within PIECE_SIZES of its own."""
    x0, y0, y1 = boxes[:, 0], boxes[:, 1], boxes[:, 3]
    ax1, ah = boxes[i][2], boxes[i][3] - boxes[i][1]
    tall = y1 - y0
    row = _right_on_row(boxes[i], boxes) & (x0 - ax1 <= PIECE_GAP * size)
    row &= (tall <= PIECE_SIZES * ah) & (tall * PIECE_SIZES >= ah)
    if not row.any():
        return None
    return int(np.flatnonzero(row)[np.argmin(x0[row])])


def _unsure(line: Line) -> bool:
    confs = [w.conf for w in line.words if w.conf is not None]
    return bool(confs) and max(confs) < EVIDENCE_CONF


def _bridged(
    boxes: np.ndarray,
    seen: np.ndarray,
    right: list[int | None],
    i: int,
    j: int,
    side: int,
    river: int,
) -> bool | None:
    """Do the lines over (`side` -1) or under (+1) lines i and j run across the white between
    them: True when one line stands over both, None when neither has a line there, False for
    a line over each (a gutter) or over one only. Where the row there is split at the same
    white too (a river of wide spaces down a paragraph), the row beyond it answers, at most
    `river` rows on: further, it is a gutter."""
    over_a, over_b = _next_row(seen, boxes[i], i, side), _next_row(seen, boxes[j], j, side)
    if not over_a.isdisjoint(over_b):
        return True
    if not over_a and not over_b:
        return None
    if river > 0 and len(over_a) == len(over_b) == 1:
        i2, j2 = next(iter(over_a)), next(iter(over_b))
        same_white = min(boxes[j][0], boxes[j2][0]) > max(boxes[i][2], boxes[i2][2])
        if right[i2] == j2 and same_white:
            return _bridged(boxes, seen, right, i2, j2, side, river - 1)
    return False


def _next_row(boxes: np.ndarray, box: np.ndarray, i: int, side: int) -> set[int]:
    """The lines of the nearest row above (`side` -1) or below (+1) line `i` (boxed `box`)
    that stand over or under it (by a line's height at least, or half its width: not a rule's
    glyph read into a gutter), within a line's height or so of it; lines boxed NaN never."""
    x0, y0, x1, y1 = boxes.T
    ax0, ay0, ax1, ay1 = box
    h = ay1 - ay0
    over = (np.minimum(ax1, x1) - np.maximum(ax0, x0)) >= min(h, 0.5 * (ax1 - ax0))
    if side < 0:
        dist = ay0 - y1
    else:
        dist = y0 - ay1
    near = over & (dist > -ROW_SLACK * h) & (dist <= PIECE_REACH * h)
    near[i] = False
    if not near.any():
        return set()
    nearest = dist[near].min()
    return set(np.flatnonzero(near & (dist <= nearest + ROW_SLACK * h)).tolist())


def _one_type(a: Line, b: Line) -> bool:
    """Pieces of one type, or too short to tell (a lone figure's size estimate is noise)."""
    if min(sum(c.isalnum() for c in ln.text) for ln in (a, b)) < TYPE_LETTERS:
        return True
    sa, sb = line_size(a), line_size(b)
    return max(sa, sb) <= PIECE_TYPE * min(sa, sb)


def gap_holding(line: Line, box: Box) -> int | None:
    """The index of the word of `line` before which a piece boxed `box` stands in the white
    between two of its words: the middle of a printed line that Tesseract cut in three at
    two wide spaces, read in another block (book page `j066` with a picture set in,
    bench.stress `pic2`: `a light brown.` / `Inner bark is a nut brown in color.` / `The
    splints`). None when it stands in no such white."""
    boxes = [w.box for w in line.words]
    for k in range(1, len(boxes)):
        a, b = boxes[k - 1], boxes[k]
        if a is not None and b is not None and a[2] <= box[0] and box[2] <= b[0]:
            return k
    return None


def _left_pieces_read_last(
    runs: list[list[Line]], gathered: set[str], moved: list[list[str]], size: float
) -> list[list[Line]]:
    """Two one-line blocks read one after the other, on one row, the second left of the first
    and at most PIECE_GAP body sizes from it, in type of one size: one printed line read right
    piece first (a caption's `FIG. 40.` after `METHOD OF WEAVING THE FIRST STRAND.`, book page
    `j050`). The left piece goes first, in the right piece's block."""
    out = [list(r) for r in runs]
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        if len(a) == 1 and len(b) == 1 and a[0].box and b[0].box:
            ab, bb = a[0].box, b[0].box
            ha, hb = ab[3] - ab[1], bb[3] - bb[1]
            overlap = min(ab[3], bb[3]) - max(ab[1], bb[1])
            if (
                a[0].id not in gathered
                and b[0].id not in gathered
                and overlap > ROW_OVERLAP * min(ha, hb)
                and 0 <= ab[0] - bb[2] <= PIECE_GAP * size
                and max(ha, hb) <= PIECE_SIZES * min(ha, hb)
            ):
                out[k] = [b[0], a[0]]
                del out[k + 1]
                moved.append([b[0].id, a[0].id])
                gathered.update((a[0].id, b[0].id))
        k += 1
    return out


def middle_pieces(
    runs: list[list[Line]], gathered: set[str], size: float
) -> list[tuple[Line, Line]]:
    """(line, piece) pairs: a line of another block, a body size wide or more (a word, not a
    speck of a quote mark), standing on the line's row in the white between two of its
    words (`gap_holding`), not moved already. `join_row_pieces` puts its words in their
    place."""
    lines = [ln for r in runs for ln in r if ln.box]
    if len(lines) < 2:
        return []
    block = np.array([k for k, r in enumerate(runs) for ln in r if ln.box])
    boxes = np.array([ln.box for ln in lines], dtype=np.float64)
    x0, y0, x1, y1 = boxes.T
    pairs: list[tuple[Line, Line]] = []
    taken: set[str] = set(gathered)
    for i, a in enumerate(lines):
        ab = boxes[i]
        wide = _widest_gap(a)
        if wide <= 0:
            continue  # the common case: words a space apart hold no piece
        overlap = np.minimum(ab[3], y1) - np.maximum(ab[1], y0)
        fits = (overlap > ROW_OVERLAP * np.minimum(ab[3] - ab[1], y1 - y0)) & (block != block[i])
        fits &= (x0 > ab[0]) & (x1 < ab[2]) & (x1 - x0 <= wide) & (x1 - x0 >= size)
        for j in np.flatnonzero(fits):
            b = lines[j]
            if b.id not in taken and gap_holding(a, b.box) is not None:  # type: ignore[arg-type]
                pairs.append((a, b))
                taken.add(b.id)
    return pairs


def _widest_gap(line: Line) -> float:
    boxes = [w.box for w in line.words if w.box]
    return max((b[0] - a[2] for a, b in zip(boxes, boxes[1:], strict=False)), default=0.0)


def _any_piece(ab: Box, boxes: np.ndarray, right_edge: float, size: float) -> bool:
    """Could any line (of any block) be the right-hand piece of the line boxed `ab`: on its
    row, right of it, inside its block's right edge (the test of `gather_pieces`, all lines
    at once)."""
    x0, x1 = boxes[:, 0], boxes[:, 2]
    fits = _right_on_row(ab, boxes) & (x0 < right_edge) & (x1 <= right_edge + 0.5 * size)
    return bool(fits.any())


def _right_on_row(ab: Box | np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which of the lines boxed `boxes` stand on the row of the line boxed `ab` (their heights
    overlapping by over ROW_OVERLAP of the smaller), starting right of its end."""
    y0, y1 = boxes[:, 1], boxes[:, 3]
    overlap = np.minimum(ab[3], y1) - np.maximum(ab[1], y0)
    return (overlap > ROW_OVERLAP * np.minimum(ab[3] - ab[1], y1 - y0)) & (boxes[:, 0] >= ab[2])


# ---------------------------------------------------------------- captions: positive evidence

# Type at most this x the body size is smaller type (a caption's 22 px under 25-px body is 0.88;
# one line's size estimate wobbles by about 5 %, so 0.92 keeps body lines out).
CAPTION_SMALLER = 0.92
# In body sizes: white under a caption before the next text, where body lines sit 0.2-0.4 apart.
CAPTION_APART = 1.0
# A caption's width differs from the body's median line width by at least this share.
CAPTION_WIDTH_SHARE = 0.15
CREDIT = re.compile(
    r"^(photo(graph)?s?|courtesy|credit|picture|drawing|illustration|copyright|©|\(c\))\b",
    re.IGNORECASE,
)


def _runs_on(text: str) -> bool:
    """A line that cannot end a caption's text: it breaks a word or leaves a sentence open."""
    return text.endswith("-") or not re.search(r"[.!?:;)\]\"'’”]$", text)


def caption_evidence(
    group: list[Line], below: Line | None, size: float, body_width: float, sizes: dict[str, float]
) -> list[str]:
    """Why `group`, standing under a picture, is a caption (empty: it is body text).

    Standing under a picture is no evidence: body text runs on under pictures. Evidence is
    smaller type or a credit line; white under it with a width unlike the body's is noted
    but not enough alone (a date under a logo, a heading, a column's last line show it).
    Text that starts lower-case, or runs on into the lower-case line under it, is body text
    whatever else it shows.
    """
    first = group[0].text.lstrip("\"'‘“(")
    if first[:1].islower():
        return []
    if below is not None and _runs_on(group[-1].text) and below.text[:1].islower():
        return []
    why = []
    med = sorted(sizes.get(ln.id, size) for ln in group)[len(group) // 2]
    if med <= CAPTION_SMALLER * size:
        why.append(f"smaller type ({med / size:.2f} x body)")
    if any(CREDIT.match(ln.text) for ln in group):
        why.append("credit line")
    elif below is not None and CREDIT.match(below.text):
        why.append("a credit line under it")
    box = _box(group)
    gap = (below.box[1] - box[3]) if below is not None and below.box else None
    width = box[2] - box[0]
    if gap is not None and gap >= CAPTION_APART * size and body_width:
        if abs(width - body_width) >= CAPTION_WIDTH_SHARE * body_width:
            why.append(
                f"set apart ({gap / size:.1f} body sizes of white under it, "
                f"{width / body_width:.2f} x the body's line width)"
            )
    # being set apart alone is what a date, a heading or a column's last line shows too
    strong = [w for w in why if not w.startswith("set apart")]
    return why if strong else []
