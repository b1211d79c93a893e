"""The recursive XY-cut over line boxes: reading order from the geometry alone.

Used where Tesseract's block order is wrong (`order.choose`) and inside a Tesseract block that
holds two text columns side by side. A page read so is its columns left to right, each top to
bottom:

  * a region is first cut at every horizontal whitespace band that crosses all of it and is at
    least BAND_GAP body sizes tall (the space around a byline, a rule, a sub-head); the bands
    are read top to bottom. Lines of a column sit one pitch apart, so no such band runs
    through columns, and a page whose columns share a baseline grid is not cut into rows;
  * otherwise it is cut at vertical gutters: strips no line crosses, a line's extent being
    its text without edge tokens that hold no letter or digit, trimmed by NIBBLE body sizes
    at each end (a speck after a hyphen, a rule mark Tesseract glued to a line end, must not
    close a gutter); the columns are read left to right;
  * otherwise, as a last resort, a gutter crossed by a few lines (1 in SPAN_SHARE) is still a
    gutter: columns if those lines only nibble at its edges (none crosses its middle), else
    the lines across it cut the region into bands, each ordered recursively.

A picture set inside the columns (a wordless region filling the whitespace band between two
bands, the columns above and below it matching) does not end them: the columns run on under
it, so the bands' columns are read column by column (col 2 above, col 2 below, col 3 above...),
not band by band.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Box, Line, union, x_overlap
from pipeline.repair import order
from pipeline.repair.typesize import COLUMN_SHARE, ROW_OVERLAP, line_box, top_down, y_centre

MIN_GUTTER = 0.6  # in body sizes: narrower white strips are word spaces or ragged edges


NIBBLE = 0.15  # in body sizes: how far a line may reach into a gutter and leave it open


BAND_GAP = 1.0  # in body sizes: a horizontal whitespace band at least this tall cuts a region


SPAN_SHARE = 10  # a gutter may be crossed by up to 1 line in this many (bylines, sub-heads)


MAX_DEPTH = 6
# A picture between two bands fills more than this share of the whitespace between them.
PICTURE_FILL = 0.5


@dataclass
class Segment:
    """Lines read top to bottom as one unit: a column of a band, or one spanning line."""

    lines: list[Line]
    columns: int = 1  # how many columns the band this segment belongs to has
    spanning: bool = False  # one line set across the columns of the bands around it
    kind: str = "body"  # or "footnote": small type at the foot of its column, kept there


def bands(lines: list[Line], min_gap: float) -> list[list[Line]]:
    """The lines cut at every horizontal whitespace band at least `min_gap` tall, top down."""
    out: list[list[Line]] = []
    bottom = None
    for ln in sorted(lines, key=lambda x: line_box(x)[1]):
        b = line_box(ln)
        if bottom is None or b[1] - bottom >= min_gap:
            out.append([])
            bottom = b[3]
        out[-1].append(ln)
        bottom = max(bottom, b[3])
    return out


def extent(line: Line) -> tuple[int, int]:
    """x-range of a line's text: edge tokens without a letter or digit (`.` `~` `'` specks,
    rule marks) do not count, so a speck beside a column does not close its gutter."""
    words = [w for w in line.words if w.box]
    while len(words) > 1 and not any(c.isalnum() for c in words[0].text):
        words = words[1:]
    while len(words) > 1 and not any(c.isalnum() for c in words[-1].text):
        words = words[:-1]
    if not words:
        b = line_box(line)
        return b[0], b[2]
    return min(w.box[0] for w in words), max(w.box[2] for w in words)


def gutters(lines: list[Line], min_width: float, allow: int = 0, trim: float = 0.0):
    """Vertical strips inside the lines' x-range crossed by at most `allow` lines, each line's
    box trimmed by `trim` px at both ends (never to less than a third of its width)."""
    events = []
    for ln in lines:
        x0, x1 = extent(ln)
        t = min(trim, (x1 - x0) / 3)
        events += [(x0 + t, 1), (x1 - t, -1)]
    events.sort()
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


def _split_columns(lines: list[Line], gaps) -> list[list[Line]]:
    cols: list[list[Line]] = [[] for _ in range(len(gaps) + 1)]
    for ln in lines:
        b = line_box(ln)
        xc = (b[0] + b[2]) / 2
        cols[sum(1 for g in gaps if xc > (g[0] + g[1]) / 2)].append(ln)
    return [c for c in cols if c]


def order_body(
    lines: list[Line], size: float, depth: int = 0, pics: tuple[Box, ...] = ()
) -> list[Segment]:
    """Segments in reading order (see the module docstring); `pics`: picture regions."""
    return cut_and_order(lines, size, depth, pics)[0]


def _columns(
    lines: list[Line], gaps, size: float, depth: int, pics: tuple[Box, ...]
) -> tuple[list[Segment], int]:
    parts = [cut_and_order(col, size, depth + 1, pics) for col in _split_columns(lines, gaps)]
    ncols = sum(n for _, n in parts)
    segs = [seg for part, _ in parts for seg in part]
    for seg in segs:
        if not seg.spanning:
            seg.columns = max(seg.columns, ncols)
    return segs, ncols


def _picture_between(upper: list[Line], lower: list[Line], pics: tuple[Box, ...]) -> bool:
    """A picture fills the whitespace band between two bands, inside their width."""
    top = max(line_box(ln)[3] for ln in upper)
    bottom = min(line_box(ln)[1] for ln in lower)
    x0 = min(line_box(ln)[0] for ln in upper + lower)
    x1 = max(line_box(ln)[2] for ln in upper + lower)
    for p in pics:
        inside = min(p[3], bottom) - max(p[1], top)
        if inside > PICTURE_FILL * (bottom - top) and min(p[2], x1) > max(p[0], x0):
            return True
    return False


def _same_columns(upper: list[Segment], lower: list[Segment]) -> bool:
    """Both bands are plain columns side by side, the same number, one over the other."""
    if len(upper) != len(lower) or len(upper) < 2:
        return False
    if any(s.spanning or not s.lines for s in upper + lower):
        return False
    boxes = [union([line_box(ln) for ln in s.lines]) for s in upper + lower]
    n = len(upper)
    for a, b in zip(boxes[:n], boxes[n:], strict=True):
        if x_overlap(a, b) < COLUMN_SHARE * min(a[2] - a[0], b[2] - b[0]):
            return False
    return all(boxes[i][2] <= boxes[i + 1][0] for i in range(n - 1))


def _through_pictures(
    cut: list[list[Line]], parts: list[list[Segment]], pics: tuple[Box, ...]
) -> list[Segment]:
    """Band order, except across a picture set inside the columns: the columns above it run on
    below it (col 2 above, col 2 below, col 3 above, col 3 below), as a newspaper reads."""
    runs: list[list[list[Segment]]] = [[parts[0]]]
    for i in range(1, len(parts)):
        if _picture_between(cut[i - 1], cut[i], pics) and _same_columns(runs[-1][-1], parts[i]):
            runs[-1].append(parts[i])
        else:
            runs.append([parts[i]])
    out: list[Segment] = []
    for run in runs:
        if len(run) == 1:
            out.extend(run[0])
            continue
        for k in range(len(run[0])):
            out.extend(band[k] for band in run)
    return out


def cut_and_order(
    lines: list[Line], size: float, depth: int, pics: tuple[Box, ...] = ()
) -> tuple[list[Segment], int]:
    """Segments in reading order and how many columns sit side by side in them at most."""
    if len(lines) <= 1 or depth >= MAX_DEPTH:
        return ([Segment(top_down(lines))] if lines else []), 1
    cut = bands(lines, BAND_GAP * size)
    if len(cut) > 1:
        parts = [cut_and_order(band, size, depth + 1, pics) for band in cut]
        segs = _through_pictures(cut, [p for p, _ in parts], pics)
        return segs, max(n for _, n in parts)
    trim = NIBBLE * size
    gaps = gutters(lines, (MIN_GUTTER + 2 * NIBBLE) * size, trim=trim)
    if gaps:
        return _columns(lines, gaps, size, depth, pics)
    # No clean gutter: look for one that only a few lines cross; those lines cut bands.
    allow = max(1, len(lines) // SPAN_SHARE)
    gaps = gutters(lines, (MIN_GUTTER + 2 * NIBBLE) * size, allow=allow, trim=trim)
    mids = [(g0 + g1) / 2 for g0, g1 in gaps]
    spanning = [ln for ln in lines if any(extent(ln)[0] < m < extent(ln)[1] for m in mids)]
    if gaps and not spanning:
        # the lines only nibble at the gutter's edges (a speck after a hyphen): still columns
        return _columns(lines, gaps, size, depth, pics)
    if not spanning or len(spanning) == len(lines):
        return [Segment(top_down(lines))], 1
    spanning = top_down(spanning)
    span_ids = {ln.id for ln in spanning}
    cuts = [y_centre(ln) for ln in spanning]
    parts_: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    for ln in lines:
        if ln.id not in span_ids:
            parts_[sum(1 for c in cuts if y_centre(ln) > c)].append(ln)
    out: list[Segment] = []
    ncols = 1
    for i, band in enumerate(parts_):
        segs, n = cut_and_order(band, size, depth + 1, pics)
        out.extend(segs)
        ncols = max(ncols, n)
        if i < len(spanning):
            out.append(Segment([spanning[i]], spanning=True))
    return out, ncols


def count_columns(segs: list[Segment]) -> int:
    """Most segments side by side: the largest set of disjoint x-ranges (bands count once)."""
    spans = sorted(
        (union([line_box(ln) for ln in s.lines]) for s in segs if s.lines and not s.spanning),
        key=lambda b: b[2],
    )
    n, right = 0, None
    for b in spans:
        if right is None or b[0] >= right:
            n, right = n + 1, b[2]
    return n


def text_columns(run: list[Line], size: float) -> bool:
    """One Tesseract block holding two columns of text side by side: a gutter with at least
    order.GUTTER_SIDE_LINES lines of several words on each side (a table's short cells, or a
    line merged across the gutter and then cut, are not read as text columns alone)."""
    if len(run) < 2 * order.GUTTER_SIDE_LINES:
        return False
    gaps = gutters(run, (MIN_GUTTER + 2 * NIBBLE) * size, trim=NIBBLE * size)
    for g0, g1 in gaps:
        mid = (g0 + g1) / 2
        left = [ln for ln in run if extent(ln)[1] <= mid and len(ln.words) >= 3]
        right = [ln for ln in run if extent(ln)[0] >= mid and len(ln.words) >= 3]
        if min(len(left), len(right)) >= order.GUTTER_SIDE_LINES:
            return True
    return False


def join_row_pieces(seg: Segment) -> tuple[Segment, list[list[str]]]:
    """A column's lines with the pieces of one printed line joined: Tesseract sometimes splits
    a justified line at a wide word space into two lines side by side, and the right piece
    would read as an indented line, a new paragraph; a middle piece, standing in the white
    between two of the line's words (`order.gap_holding`), goes in there. The joined line
    keeps the first id."""
    if seg.spanning:
        return seg, []
    out: list[Line] = []
    joined: list[list[str]] = []
    for ln in seg.lines:
        if out:
            a, b = line_box(out[-1]), line_box(ln)
            overlap = min(a[3], b[3]) - max(a[1], b[1])
            prev = out[-1]
            inside = b[0] < a[2] and order.gap_holding(prev, b) is not None
            if (b[0] >= a[2] or inside) and overlap > ROW_OVERLAP * min(a[3] - a[1], b[3] - b[1]):
                words = prev.words + ln.words
                if inside:  # the middle piece of a line cut in three: its words in their place
                    words = sorted(words, key=lambda w: w.box[0] if w.box else 0)
                out[-1] = Line(prev.id, words, union([a, b]), prev.block, prev.par)
                if joined and joined[-1][0] == prev.id:
                    joined[-1].append(ln.id)
                else:
                    joined.append([prev.id, ln.id])
                continue
        out.append(ln)
    return Segment(out, seg.columns, seg.spanning, seg.kind), joined
