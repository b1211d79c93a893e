"""Reading order from the line boxes, not from Tesseract's block order.

A newspaper page is read as: the headline (lines in a face clearly larger than the body, near
the top), then the byline (the few lines between headline and the columns), then the columns,
left to right, each top to bottom, then captions. Columns are found from the x-extents of body
lines: a gutter is a vertical strip no body line crosses. Where there is none, a strip that
only a few lines cross (1 in SPAN_SHARE) is a gutter too, and the lines across it (a byline,
a sub-head or intro set across columns) cut the page into horizontal bands, read in order,
each with its own columns (found again inside the band, recursively).

Type size is estimated per line from word box heights corrected for the letters in the word
(`mama` has no ascenders or descenders, `Judge` has both), so a line without descenders is not
taken for smaller type. Captions: lines in type noticeably smaller than the body
(<= CAPTION_RATIO) are taken out of the flow and read after the body; each is noted with
whether an empty (non-text) region lies above it, the usual photo/caption arrangement.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from pipeline.model import Box, Line, OcrPage, union

HEADLINE_RATIO = 1.6  # type size vs the page's median body size
CAPTION_RATIO = 0.78
MIN_GUTTER = 0.6  # in body sizes: narrower white strips are word spaces or ragged edges
SPAN_SHARE = 10  # a gutter may be crossed by up to 1 line in this many (bylines, sub-heads)
MAX_DEPTH = 4
ASCENDERS = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'\"()[]/!?&%$£§")
DESCENDERS = set("gjpqy,;()[]")


@dataclass
class Segment:
    """Lines read top to bottom as one unit: a column of a band, or one spanning line."""

    lines: list[Line]
    columns: int = 1  # how many columns the band this segment belongs to has
    spanning: bool = False  # one line set across the columns of the bands around it


@dataclass
class Layout:
    headline: list[Line] = field(default_factory=list)
    byline: list[Line] = field(default_factory=list)
    body: list[Segment] = field(default_factory=list)
    captions: list[list[Line]] = field(default_factory=list)
    unplaced: list[Line] = field(default_factory=list)  # lines without boxes, in OCR order
    notes: list[tuple[str, list[str]]] = field(default_factory=list)  # (note, line ids)
    size: float = 0.0  # median body type size in pixels
    columns: int = 0


def _box(line: Line) -> Box:
    assert line.box is not None
    return line.box


def line_size(line: Line) -> float:
    """Estimated full type size (ascender to descender) of a line, in pixels."""
    sizes = []
    for w in line.words:
        if not w.box or not w.text:
            continue
        units = 1.0 + 0.45 * any(c in ASCENDERS for c in w.text)
        units += 0.3 * any(c in DESCENDERS for c in w.text)
        sizes.append((w.box[3] - w.box[1]) * 1.75 / units)
    if sizes:
        return statistics.median(sizes)
    b = _box(line)
    return float(b[3] - b[1])


def _yc(line: Line) -> float:
    b = _box(line)
    return (b[1] + b[3]) / 2


def top_down(lines: list[Line]) -> list[Line]:
    """Top to bottom; lines side by side on one row (overlapping in y) left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=_yc):
        b = _box(ln)
        if rows:
            r = union([_box(x) for x in rows[-1]])
            overlap = min(b[3], r[3]) - max(b[1], r[1])
            if overlap > 0.5 * min(b[3] - b[1], r[3] - r[1]):
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda x: _box(x)[0])]


def gutters(lines: list[Line], min_width: float, allow: int = 0) -> list[tuple[int, int]]:
    """Vertical strips inside the lines' x-range crossed by at most `allow` lines."""
    events = sorted([(_box(ln)[0], 1) for ln in lines] + [(_box(ln)[2], -1) for ln in lines])
    out = []
    depth, start = 0, None
    for x, step in events:
        depth += step
        if depth <= allow and start is None and step == -1:
            start = x
        elif depth > allow and start is not None:
            if x - start >= min_width:
                out.append((start, x))
            start = None
    return out


def _split_columns(lines: list[Line], gaps: list[tuple[int, int]]) -> list[list[Line]]:
    cols: list[list[Line]] = [[] for _ in range(len(gaps) + 1)]
    for ln in lines:
        b = _box(ln)
        xc = (b[0] + b[2]) / 2
        cols[sum(1 for g in gaps if xc > g[1])].append(ln)
    return [c for c in cols if c]


def order_body(lines: list[Line], size: float, depth: int = 0) -> list[Segment]:
    """Columns left to right, bands top to bottom, recursively (see the module docstring)."""
    return _order(lines, size, depth)[0]


def _columns(
    lines: list[Line], gaps: list[tuple[int, int]], size: float, depth: int
) -> tuple[list[Segment], int]:
    parts = [_order(col, size, depth + 1) for col in _split_columns(lines, gaps)]
    ncols = sum(n for _, n in parts)
    segs = [seg for part, _ in parts for seg in part]
    for seg in segs:
        if not seg.spanning:
            seg.columns = max(seg.columns, ncols)
    return segs, ncols


def _order(lines: list[Line], size: float, depth: int) -> tuple[list[Segment], int]:
    """Segments in reading order and how many columns sit side by side in them at most."""
    if len(lines) <= 1 or depth >= MAX_DEPTH:
        return ([Segment(top_down(lines))] if lines else []), 1
    min_w = MIN_GUTTER * size
    gaps = gutters(lines, min_w)
    if gaps:
        return _columns(lines, gaps, size, depth)
    # No clean gutter: look for one that only a few lines cross; those lines cut bands.
    gaps = gutters(lines, min_w, allow=max(1, len(lines) // SPAN_SHARE))
    mids = [(g0 + g1) / 2 for g0, g1 in gaps]
    spanning = [ln for ln in lines if any(_box(ln)[0] < m < _box(ln)[2] for m in mids)]
    if gaps and not spanning:
        # the lines only nibble at the gutter's edges (a speck after a hyphen): still columns
        return _columns(lines, gaps, size, depth)
    if not spanning or len(spanning) == len(lines):
        return [Segment(top_down(lines))], 1
    spanning = top_down(spanning)
    span_ids = {ln.id for ln in spanning}
    cuts = [_yc(ln) for ln in spanning]
    bands: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    for ln in lines:
        if ln.id not in span_ids:
            bands[sum(1 for c in cuts if _yc(ln) > c)].append(ln)
    out: list[Segment] = []
    ncols = 1
    for i, band in enumerate(bands):
        segs, n = _order(band, size, depth + 1)
        out.extend(segs)
        ncols = max(ncols, n)
        if i < len(spanning):
            out.append(Segment([spanning[i]], spanning=True))
    return out, ncols


def _group_captions(lines: list[Line], size: float) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for ln in top_down(lines):
        b = _box(ln)
        if groups:
            g = union([_box(x) for x in groups[-1]])
            if b[1] - g[3] < 1.2 * size and min(b[2], g[2]) > max(b[0], g[0]):
                groups[-1].append(ln)
                continue
        groups.append([ln])
    return groups


def _empty_above(group: list[Line], others: list[Line], size: float) -> bool:
    g = union([_box(x) for x in group])
    for ln in others:
        b = _box(ln)
        if min(b[2], g[2]) > max(b[0], g[0]) and g[1] - 4 * size < b[3] <= g[1]:
            return False
    return g[1] > 4 * size


def _take_byline(segs: list[Segment], size: float) -> tuple[list[Segment], list[Line]]:
    """Lines above the tops of all the columns, set off by a gap: the byline (at most 3 lines).

    They are either segments of their own before the first multi-column segment (a byline
    across a gutter) or the first lines of one column (a byline over one column's width).
    """
    multi = [s for s in segs if s.columns > 1 and not s.spanning and s.lines]
    if len(multi) < 2:
        return segs, []
    first = segs.index(multi[0])
    lead = [ln for s in segs[:first] for ln in s.lines]
    tops = {id(s): _box(s.lines[0])[1] for s in multi}
    cut: dict[int, int] = {}
    for s in multi:
        others = min(t for k, t in tops.items() if k != id(s))
        n = 0
        while n < len(s.lines) - 1 and _box(s.lines[n])[3] <= others:
            if _box(s.lines[n + 1])[1] - _box(s.lines[n])[3] > size:
                cut[id(s)] = n + 1
            n += 1
    lead += [ln for s in multi for ln in s.lines[: cut.get(id(s), 0)]]
    if not lead or len(lead) > 3:
        return segs, []
    top = min(_box(s.lines[cut.get(id(s), 0)])[1] for s in multi)
    if any(_box(ln)[3] > top for ln in lead):
        return segs, []
    rest = []
    for s in segs[first:]:
        k = cut.get(id(s), 0)
        if k:
            s = Segment(s.lines[k:], s.columns, s.spanning)
        rest.append(s)
    return rest, top_down(lead)


def _text_above(line: Line, body: list[Line]) -> bool:
    """A headline has no body text over it; a body line whose box Tesseract inflated does."""
    x0, y0, x1, _ = _box(line)
    for other in body:
        b = _box(other)
        if b[3] <= y0 and min(x1, b[2]) - max(x0, b[0]) > 0.3 * min(x1 - x0, b[2] - b[0]):
            return True
    return False


def analyse(page: OcrPage, lines: list[Line] | None = None) -> Layout:
    """Split `lines` (default: all of the page's lines) into headline, byline, body, captions."""
    lines = [ln for ln in (page.lines() if lines is None else lines) if ln.words]
    boxed = [ln for ln in lines if ln.box]
    lay = Layout(unplaced=[ln for ln in lines if not ln.box])
    if not boxed:
        return lay
    sizes = {ln.id: line_size(ln) for ln in boxed}
    med = statistics.median(sizes.values())
    core = [s for s in sizes.values() if 0.7 * med <= s <= 1.4 * med]
    size = statistics.median(core) if core else med
    lay.size = size
    big = [ln for ln in boxed if sizes[ln.id] >= HEADLINE_RATIO * size]
    small = [ln for ln in boxed if sizes[ln.id] <= CAPTION_RATIO * size]
    odd = {ln.id for ln in big} | {ln.id for ln in small}
    body = [ln for ln in boxed if ln.id not in odd]
    centres = sorted(_yc(ln) for ln in body) or [page.height / 2]
    near_top = centres[len(centres) // 4]
    lay.headline = top_down(
        [ln for ln in big if _yc(ln) < near_top and not _text_above(ln, body)]
    )
    head_ids = {ln.id for ln in lay.headline}
    body += [ln for ln in big if ln.id not in head_ids]  # sub-heads stay in the flow
    if lay.headline:
        ids = [ln.id for ln in lay.headline]
        lay.notes.append((f"headline: {len(ids)} line(s) in large type put first", ids))
    segs = order_body(body, size)
    lay.columns = max((s.columns for s in segs), default=0)
    segs, lay.byline = _take_byline(segs, size)
    if lay.byline:
        lay.notes.append(("byline: lines between headline and columns", [x.id for x in lay.byline]))
    lay.body = segs
    if lay.columns > 1:
        lay.notes.append((f"{lay.columns} columns read left to right", []))
    for group in _group_captions(small, size):
        lay.captions.append(group)
        where = "under an empty region" if _empty_above(group, body, size) else "small type"
        lay.notes.append((f"caption ({where}) placed after the body", [x.id for x in group]))
    return lay
