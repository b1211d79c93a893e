"""Regions of the page that are not body text in its flow: headline, byline, captions and
credits, footnotes, pictures.

One size estimate is noisy, so each decision asks for agreeing clues:

  * headline: type at least HEADLINE_RATIO x the body size *and* characters at least
    HEADLINE_WIDTH x the page's median character width, above the first quarter of the body,
    no text over it;
  * byline: the first band of the page body (after the headline), of at most 3 lines, set off
    from columns below it by a whitespace band;
  * caption under a picture (a block of Tesseract's without words, larger than PICTURE_MIN
    body sizes both ways): the 1-4 lines directly under it, whose line gaps are small
    (<= CAPTION_GAP), each within the picture's width, and only with positive evidence
    (`order.caption_evidence`: smaller type, a credit line; never merely standing under a
    picture); a last line set flush right, or in smaller type and set in, is the credit. It
    is read where Tesseract read it when its picture stands inside one column of text (the
    column's lines over the picture and under the caption each span IN_COLUMN of its
    width): that column's text reads past the figure, as a book's does;
  * small type away from any picture: at most CAPTION_RATIO x the body size, narrow characters
    (<= CAPTION_WIDTH), not set at the body's line pitch (CAPTION_PITCH), more than one word.
    At the foot of a column (body text over it, no text line under it) it is a footnote.
"""

from __future__ import annotations

import re
import statistics

from pipeline.model import Box, Line, OcrPage, union, x_overlap
from pipeline.repair.typesize import line_box, line_size, top_down
from pipeline.repair.xycut import BAND_GAP, Segment, bands, cut_and_order

HEADLINE_RATIO = 1.6  # type size vs the page's median body size


HEADLINE_WIDTH = 1.4  # and character width vs the page's median: both must be big


CAPTION_RATIO = 0.78


CAPTION_WIDTH = 0.9  # small type is narrow too


CAPTION_PITCH = 0.92  # a line this close to its neighbour as body lines are is in the flow


PICTURE_MIN = 3.0  # in body sizes: a wordless block at least this wide and tall is a picture


CAPTION_REACH = 2.5  # in body sizes: a caption's first line starts this close under a picture


CAPTION_GAP = 0.75  # in body sizes: the largest gap between the lines of a caption


CAPTION_LINES = 4


FOOT_WORDS = 3  # a line of fewer words under small type is a page number or a mark, not text
# In body sizes: a caption may start this far up into the picture's box (Tesseract's region
# box takes in the picture's soft lower edge).
CAPTION_SLACK = 0.5
# A credit line is set flush right: its start this share of the picture's width right of the
# caption's left edge; or, alone, reaching past the ragged caption lines (by CREDIT_PAST body
# sizes) to within CREDIT_EDGE body sizes of the picture's right edge; or in type under
# CREDIT_SMALLER x the caption's.
CREDIT_INSET = 0.25
CREDIT_PAST = 0.5
CREDIT_EDGE = 0.6
CREDIT_SMALLER = 0.9
# In body sizes: lines of small type closer than this, one over the other, are one group.
SMALL_GROUP_GAP = 1.2
# Lines above or below one another share at least this share of the narrower one's width.
OVER_SHARE = 0.3


def pictures(page: OcrPage, size: float) -> list[Box]:
    """Wordless blocks big enough to be pictures (rules are thin), top to bottom."""
    big = PICTURE_MIN * size
    return sorted(
        (r for r in page.regions if r[2] - r[0] >= big and r[3] - r[1] >= big),
        key=lambda r: r[1],
    )


def _within(b: Box, pic: Box, size: float) -> bool:
    return b[0] >= pic[0] - size and b[2] <= pic[2] + size


# The nearest body lines over a picture and under its caption that span this share of the
# picture's width say it stands inside one column; a picture set across two columns has only
# column lines about half its width around it.
IN_COLUMN = 0.9
NEAR_LINES = 3  # lines looked at on each side (the nearest may end a paragraph short)


def _cover(b: Box, pic: Box) -> float:
    """How much of the picture's width the box spans, as a share."""
    return max(0.0, x_overlap(b, pic)) / max(pic[2] - pic[0], 1)


def in_one_column(pic: Box, group: list[Line], body: list[Line]) -> bool:
    """The picture stands inside one column of text: of the NEAR_LINES body lines nearest over
    it and nearest under its caption (`group`), one on each side that has any spans
    IN_COLUMN of its width (and there are lines on at least one side)."""
    ids = {x.id for x in group}
    g = union([line_box(x) for x in group])
    sharing = [ln for ln in body if ln.id not in ids and _cover(line_box(ln), pic) > 0]
    over = sorted(
        (ln for ln in sharing if line_box(ln)[3] <= pic[1] + 2), key=lambda ln: -line_box(ln)[3]
    )
    under = sorted(
        (ln for ln in sharing if line_box(ln)[1] >= g[3] - 2), key=lambda ln: line_box(ln)[1]
    )
    sides = [side[:NEAR_LINES] for side in (over, under) if side]
    return bool(sides) and all(
        max(_cover(line_box(ln), pic) for ln in side) >= IN_COLUMN for side in sides
    )


def caption_under(pic: Box, lines: list[Line], size: float) -> list[Line]:
    """The caption lines directly under a picture (see the module docstring)."""
    below = [ln for ln in lines if line_box(ln)[1] >= pic[3] - CAPTION_SLACK * size]
    below = [ln for ln in below if _within(line_box(ln), pic, size)]
    group: list[Line] = []
    for ln in top_down(below):
        b = line_box(ln)
        if not group:
            if b[1] - pic[3] > CAPTION_REACH * size:
                break
        elif b[1] - max(line_box(x)[3] for x in group) > CAPTION_GAP * size:
            break
        group.append(ln)
        if len(split_credit(group, pic, size)) == 2:
            break  # the credit closes the caption: what follows is body text
        if len(group) > CAPTION_LINES:
            return []  # a run of closely set lines under a picture: body text, not a caption
    return group


def split_credit(group: list[Line], pic: Box, size: float) -> list[list[Line]]:
    """[caption] or [caption, credit]: a last line set flush right or in smaller type."""
    if len(group) < 2:
        return [group]
    last = group[-1]
    b = line_box(last)
    left = min(line_box(x)[0] for x in group[:-1])
    right = max(line_box(x)[2] for x in group[:-1])
    flush_right = b[0] - left > CREDIT_INSET * (pic[2] - pic[0]) and b[2] >= right - size
    # or it alone reaches the picture's right edge, past every ragged caption line
    flush_right |= b[2] > right + CREDIT_PAST * size and abs(b[2] - pic[2]) <= CREDIT_EDGE * size
    # or smaller type, and not set flush left like the caption (one size estimate is noisy)
    smaller = line_size(last) < CREDIT_SMALLER * statistics.median(line_size(x) for x in group[:-1])
    smaller &= b[0] - left >= size
    return [group[:-1], [last]] if flush_right or smaller else [group]


def group_small(lines: list[Line], size: float) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for ln in top_down(lines):
        b = line_box(ln)
        if groups:
            g = union([line_box(x) for x in groups[-1]])
            if b[1] - g[3] < SMALL_GROUP_GAP * size and x_overlap(b, g) > 0:
                groups[-1].append(ln)
                continue
        groups.append([ln])
    return groups


def empty_above(group: list[Line], others: list[Line], size: float) -> bool:
    g = union([line_box(x) for x in group])
    for ln in others:
        b = line_box(ln)
        if x_overlap(b, g) > 0 and g[1] - 4 * size < b[3] <= g[1]:
            return False
    return g[1] > 4 * size


def take_byline(segs: list[Segment], size: float) -> tuple[list[Segment], list[Line]]:
    """Fallback when no whitespace band sets the byline off: lines above the tops of all the
    columns, set off by a gap (at most 3 lines), taken from the column they were put in."""
    multi = [s for s in segs if s.columns > 1 and not s.spanning and s.lines]
    if len(multi) < 2:
        return segs, []
    first = segs.index(multi[0])
    lead = [ln for s in segs[:first] for ln in s.lines]
    tops = {id(s): line_box(s.lines[0])[1] for s in multi}
    cut: dict[int, int] = {}
    for s in multi:
        others = min(t for k, t in tops.items() if k != id(s))
        n = 0
        while n < len(s.lines) - 1 and line_box(s.lines[n])[3] <= others:
            if line_box(s.lines[n + 1])[1] - line_box(s.lines[n])[3] > size:
                cut[id(s)] = n + 1
            n += 1
    lead += [ln for s in multi for ln in s.lines[: cut.get(id(s), 0)]]
    if not lead or len(lead) > 3:
        return segs, []
    top = min(line_box(s.lines[cut.get(id(s), 0)])[1] for s in multi)
    if any(line_box(ln)[3] > top for ln in lead):
        return segs, []
    rest = []
    for s in segs[first:]:
        k = cut.get(id(s), 0)
        if k:
            s = Segment(s.lines[k:], s.columns, s.spanning)
        rest.append(s)
    return rest, top_down(lead)


def text_above(line: Line, body: list[Line]) -> bool:
    """A headline has no body text over it; a body line whose box Tesseract inflated does."""
    x0, y0, x1, _ = line_box(line)
    for other in body:
        if not any(c.isalnum() for c in other.text):
            continue  # a speck is no text
        b = line_box(other)
        if b[3] <= y0 and min(x1, b[2]) - max(x0, b[0]) > OVER_SHARE * min(x1 - x0, b[2] - b[0]):
            return True
    return False


def byline_band(body: list[Line], size: float) -> tuple[list[Line], list[Line]]:
    """(byline, rest): the first band of the body when it is short and columns follow."""
    cut = bands(body, BAND_GAP * size)
    if len(cut) < 2 or len(cut[0]) > 3:
        return [], body
    rest = [ln for band in cut[1:] for ln in band]
    if cut_and_order(rest, size, 1)[1] < 2:
        return [], body
    return top_down(cut[0]), rest


def below(group: list[Line], lines: list[Line]) -> Line | None:
    """The first line under the group that shares its x-range: the text it would run on into."""
    g = union([line_box(x) for x in group])
    ids = {x.id for x in group}
    under = [
        ln
        for ln in lines
        if ln.id not in ids and line_box(ln)[1] >= g[3] - 2 and x_overlap(line_box(ln), g) > 0
    ]
    return min(under, key=lambda ln: line_box(ln)[1], default=None)


def at_foot(group: list[Line], body: list[Line], size: float) -> bool:
    """Small type with body text over it in its column and none under it: a footnote. Under it
    only text lines count (FOOT_WORDS words or more): a page number or a signature mark at
    the foot of the page leaves a footnote a footnote."""
    g = union([line_box(x) for x in group])
    ids = {x.id for x in group}
    over = under = False
    for ln in body:
        if ln.id in ids:
            continue
        b = line_box(ln)
        if x_overlap(b, g) <= OVER_SHARE * min(b[2] - b[0], g[2] - g[0]):
            continue
        over |= b[3] <= g[1]
        words = sum(any(c.isalnum() for c in w.text) for w in ln.words)
        under |= b[1] >= g[3] and words >= FOOT_WORDS
    return over and not under


_NOTE_START = re.compile(r"^[\(\[]?\d{1,2}[\)\].]?\s|^[*†‡§]")


def _merge_notes(segs: list[Segment]) -> list[Segment]:
    """Consecutive footnote segments are one note (small-type grouping breaks a note at every
    wider line gap) unless the next starts a note of its own (`2 The refugees`, `* See`)."""
    out: list[Segment] = []
    for seg in segs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and seg.kind == prev.kind == "footnote"
            and not _NOTE_START.match(seg.lines[0].text + " ")
        ):
            out[-1] = Segment(prev.lines + seg.lines, prev.columns, prev.spanning, prev.kind)
            continue
        out.append(seg)
    return out


def mark_footnotes(segs: list[Segment], notes: list[tuple[list[Line], str]]) -> list[Segment]:
    """Segments with each footnote's (or in-place caption's) lines split out where they
    stand, as a segment of that kind."""
    of = {ln.id: k for k, (group, _) in enumerate(notes) for ln in group}
    out: list[Segment] = []
    for seg in segs:
        cur: list[Line] = []
        cur_key: int | None = None
        for ln in seg.lines:
            key = of.get(ln.id)
            if cur and key != cur_key:
                kind = "body" if cur_key is None else notes[cur_key][1]
                out.append(Segment(cur, seg.columns, seg.spanning, kind))
                cur = []
            cur_key = key
            cur.append(ln)
        if cur:
            kind = "body" if cur_key is None else notes[cur_key][1]
            out.append(Segment(cur, seg.columns, seg.spanning, kind))
    return _merge_notes(out)
