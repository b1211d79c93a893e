"""Stage 3's reading order: the page's lines into headline, byline, body, captions, footnotes.

`analyse` is a short list of named steps: cut lines Tesseract merged across a gutter; decide
whose block order the body follows (`order.choose`: Tesseract's unless blocks read upward);
measure the type (`typesize`); name the headline; find the pictures once and take the captions
that have evidence; mark small type as footnotes or captions (`regions`); order the body once
— Tesseract's mended block order, or the XY-cut (`xycut`) — then byline, footnotes in place
and line pieces joined. Specks, rules and bullets are repaired on the lines before this
(`specks`).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from pipeline.model import Box, Line, OcrPage, sideways
from pipeline.repair import order
from pipeline.repair.regions import (
    CAPTION_PITCH,
    CAPTION_RATIO,
    CAPTION_WIDTH,
    HEADLINE_RATIO,
    HEADLINE_WIDTH,
    at_foot,
    below,
    byline_band,
    caption_under,
    empty_above,
    group_small,
    in_one_column,
    mark_footnotes,
    pictures,
    split_credit,
    take_byline,
    text_above,
)
from pipeline.repair.typesize import (
    body_of,
    body_size,
    char_width,
    line_box,
    line_sizes,
    pitches,
    top_down,
    y_centre,
)
from pipeline.repair.xycut import (
    Segment,
    count_columns,
    join_row_pieces,
    order_body,
    text_columns,
)


@dataclass
class Layout:
    headline: list[Line] = field(default_factory=list)
    byline: list[Line] = field(default_factory=list)
    body: list[Segment] = field(default_factory=list)
    captions: list[list[Line]] = field(default_factory=list)  # caption, then its credit
    unplaced: list[Line] = field(default_factory=list)  # lines without boxes, in OCR order
    notes: list[tuple[str, list[str]]] = field(default_factory=list)  # (note, line ids)
    size: float = 0.0  # median body type size in pixels
    columns: int = 0
    order: str = "tesseract"  # whose block order the body follows (order.py)
    order_reason: str = ""
    pictures: tuple[Box, ...] = ()  # picture regions (regions.pictures)
    in_column: set[str] = field(default_factory=set)  # ids of captions inside one column


def _tesseract_segments(
    runs: list[list[Line]], keep: set[str], size: float, pics: tuple[Box, ...]
) -> list[Segment]:
    """Body segments in Tesseract's (mended) block order; a block holding two text columns
    side by side is read by the XY-cut."""
    segs: list[Segment] = []
    for run in runs:
        run = [ln for ln in run if ln.id in keep]
        if not run:
            continue
        if text_columns(run, size):
            segs += order_body(run, size, pics=pics)
        else:
            segs.append(Segment(run))
    return segs


def _one_column(
    runs: list[list[Line]], keep: set[str], captions: list[list[Line]], size: float, pics
) -> bool:
    """The page, captions included, reads as one column (a book page with a figure)."""
    everything = keep | {ln.id for group in captions for ln in group}
    return count_columns(_tesseract_segments(runs, everything, size, pics)) <= 1


def _captions_in_place(
    lay: Layout, marked: list[tuple[list[Line], str]], keep: set[str], one_column: bool
) -> None:
    """On a one-column page the text reads past the figure, and its caption is read there
    (the book pages' transcriptions have it there): captions stay where Tesseract read them,
    marked, instead of going after the body. So does the caption of a picture standing inside
    one column of a wider page (two book pages scanned side by side, a figure in a column);
    a caption under a picture set across columns belongs to no column, and is read after
    them."""
    stay = [g for g in lay.captions if one_column or {ln.id for ln in g} <= lay.in_column]
    ids_staying = {ln.id for g in stay for ln in g}
    for group in stay:
        marked.append((group, "caption"))
        keep |= {ln.id for ln in group}
    where = "(one column)" if one_column else "(its picture stands inside one column)"
    lay.notes = [
        (note.replace("placed after the body", f"kept where Tesseract read it {where}"), ids)
        if set(ids) <= ids_staying and ids
        else (note, ids)
        for note, ids in lay.notes
    ]
    lay.captions = [g for g in lay.captions if g not in stay]


@dataclass(frozen=True)
class Measures:
    """The page's type, measured once: every region and order decision compares against it."""

    pitch: dict[str, float]  # line id -> distance to its nearest neighbour in its column
    sizes: dict[str, float]  # line id -> type size (typesize.line_sizes)
    size: float  # the body type size
    widths: dict[str, float]  # line id -> mean character width
    width: float  # the page's median character width


def analyse(page: OcrPage, lines: list[Line] | None = None) -> Layout:
    """Split `lines` (default: all of the page's lines) into headline, byline, body, captions.

    The body keeps Tesseract's block order unless `order.choose` finds it wrong."""
    lines = [ln for ln in (page.lines() if lines is None else lines) if ln.words]
    side = set_aside(lines)
    aside = {ln.id for ln in side}
    boxed = [ln for ln in lines if ln.box and ln.id not in aside]
    lay = Layout(unplaced=[ln for ln in lines if not ln.box])
    if not boxed:
        _place_sideways(lay, side)
        return lay
    boxed, runs = _cut_merged_lines(boxed, lay)
    m = measure(boxed)
    lay.size = m.size
    pics = tuple(pictures(page, m.size))
    lay.pictures = pics
    choice, runs = order.choose(runs, pics)
    if choice.order == "geometry":
        choice, runs = _xycut_earned(choice, runs, boxed, m.size, pics)
    lay.order, lay.order_reason = choice.order, choice.reason
    geometry = choice.order == "geometry"
    sequence = [ln.id for run in runs for ln in run]
    body = _take_headline(lay, boxed, m, sequence, geometry, page.height)
    taken = _take_picture_captions(lay, body, pics, m)
    marked = _take_small_type(lay, body, taken, m, geometry)
    body = [ln for ln in body if ln.id not in taken]
    if geometry:
        lay.byline, body = byline_band(body, m.size)
        segs = order_body(body, m.size, pics=pics)
    else:
        segs = _tesseract_order(lay, body, runs, sequence, taken, marked, m.size, pics)
    lay.columns = count_columns(segs)
    if geometry and not lay.byline:
        segs, lay.byline = take_byline(segs, m.size)
    if lay.byline:
        lay.notes.append(("byline: lines between headline and columns", [x.id for x in lay.byline]))
    _finish_body(lay, mark_footnotes(segs, marked))
    _place_sideways(lay, side)
    return lay


def set_aside(lines: list[Line]) -> list[Line]:
    """The sideways lines, when they are the page's minority: a page that is mostly sideways
    was scanned turned, and its lines are its text."""
    side = [ln for ln in lines if sideways(ln)]
    letters = sum(c.isalnum() for ln in lines for c in ln.text)
    aside = sum(c.isalnum() for ln in side for c in ln.text)
    return side if 2 * aside < letters else []


def _place_sideways(lay: Layout, side: list[Line]) -> None:
    """Sideways lines after the body with the captions, one paragraph for each Tesseract
    block, in Tesseract's order: before, such a credit was read as the next line of the
    column beside it and ran on into its last sentence."""
    groups: dict[str, list[Line]] = {}
    for ln in side:
        groups.setdefault(ln.block or ln.id, []).append(ln)
    for group in groups.values():
        lay.captions.append(group)
        note = "text set sideways (a credit or a margin note): placed after the body"
        lay.notes.append((note, [ln.id for ln in group]))


def _xycut_earned(
    choice: order.OrderChoice,
    runs: list[list[Line]],
    boxed: list[Line],
    size: float,
    pics: tuple[Box, ...],
) -> tuple[order.OrderChoice, list[list[Line]]]:
    """The XY-cut's order where Tesseract's is lost, unless it interleaves the columns:
    jumps from line to line more than XYCUT_JUMPS times as often as Tesseract's order mended
    block by block, which is then kept."""
    mended = order.mended_order(runs, pics)
    ours = order.jumps([ln for run in mended for ln in run])
    theirs = order.jumps([ln for seg in order_body(boxed, size, pics=pics) for ln in seg.lines])
    if theirs <= order.XYCUT_JUMPS * ours:
        return choice, runs
    why = (
        f"{choice.reason.split(':')[0]}, but the XY-cut's order jumps between lines "
        f"{theirs} times, Tesseract's mended {ours}: Tesseract's order kept, mended"
    )
    return order.OrderChoice("tesseract-mended", why, choice.moves), mended


def _cut_merged_lines(boxed: list[Line], lay: Layout) -> tuple[list[Line], list[list[Line]]]:
    """Lines Tesseract merged across a column gutter cut there, and Tesseract's block runs with
    each right half moved to its column's block and each block of left halves read in its
    column."""
    size = body_size(boxed)
    lines, cut = order.cut_at_gutters(boxed, size)
    for ids in cut:
        lay.notes.append(("line merged across a column gutter: cut at the gutter", ids))
    runs = order.block_runs(lines)
    if cut:
        lefts = {ids[0] for ids in cut}
        astray = order.astray_lefts(runs, lefts)
        runs = order.reseat(order.rehome(runs, {ids[1] for ids in cut} | astray), lefts)
    # a block of two text columns is the XY-cut's (`_tesseract_segments`); any other block
    # whose lines stand in two columns is two runs
    return lines, [part for run in runs for part in _column_runs(run, size)]


def _column_runs(run: list[Line], size: float) -> list[list[Line]]:
    return [run] if text_columns(run, size) else order.split_columns(run)


def measure(boxed: list[Line]) -> Measures:
    pitch = pitches(boxed)
    widths = {ln.id: char_width(ln) for ln in boxed}
    sizes = line_sizes(boxed, pitch)
    return Measures(
        pitch=pitch,
        sizes=sizes,
        size=body_of(list(sizes.values())),
        widths=widths,
        width=statistics.median(widths.values()),
    )


def _take_headline(
    lay: Layout,
    boxed: list[Line],
    m: Measures,
    sequence: list[str],
    geometry: bool,
    height: int,
) -> list[Line]:
    """Name the headline (large type and wide characters, near the top, nothing over it) and
    return the rest; in Tesseract's order only when Tesseract reads it first."""
    big = [
        ln
        for ln in boxed
        if m.sizes[ln.id] >= HEADLINE_RATIO * m.size and m.widths[ln.id] >= HEADLINE_WIDTH * m.width
    ]
    big_ids = {ln.id for ln in big}
    body = [ln for ln in boxed if ln.id not in big_ids]
    centres = sorted(y_centre(ln) for ln in body) or [height / 2]
    near_top = centres[len(centres) // 4]
    top = [ln for ln in big if y_centre(ln) < near_top and not text_above(ln, body)]
    lay.headline = top_down(top)
    if not geometry and lay.headline:
        # in Tesseract's order the headline is only named, never moved: it must come first
        head = {ln.id for ln in lay.headline}
        if set(sequence[: len(head)]) != head:
            lay.headline = []
    head_ids = {ln.id for ln in lay.headline}
    body += [ln for ln in big if ln.id not in head_ids]  # sub-heads stay in the flow
    if lay.headline:
        ids = [ln.id for ln in lay.headline]
        lay.notes.append((f"headline: {len(ids)} line(s) in large type put first", ids))
    return body


def _take_picture_captions(
    lay: Layout, body: list[Line], pics: tuple[Box, ...], m: Measures
) -> set[str]:
    """Captions and credits under the pictures, each only with evidence beyond its place;
    returns the ids taken out of the flow."""
    widths_px = [line_box(ln)[2] - line_box(ln)[0] for ln in body if len(ln.words) >= 3]
    body_width = statistics.median(widths_px) if widths_px else 0.0
    taken: set[str] = set()
    for pic in pics:
        group = caption_under(pic, [ln for ln in body if ln.id not in taken], m.size)
        if not group:
            continue
        why = order.caption_evidence(group, below(group, body), m.size, body_width, m.sizes)
        if not why:
            note = "text under a picture kept in the flow: nothing but its place says caption"
            lay.notes.append((note, [x.id for x in group]))
            continue
        parts = split_credit(group, pic, m.size)
        if in_one_column(pic, group, body):
            lay.in_column |= {ln.id for ln in group}
        for part, what in zip(parts, ("caption", "credit"), strict=False):
            lay.captions.append(part)
            taken |= {ln.id for ln in part}
            note = f"{what} under a picture region placed after the body ({'; '.join(why)})"
            lay.notes.append((note, [x.id for x in part]))
    return taken


def _take_small_type(
    lay: Layout, body: list[Line], taken: set[str], m: Measures, geometry: bool
) -> list[tuple[list[Line], str]]:
    """Small type away from the pictures: footnotes at the foot of their column and, in
    Tesseract's order, captions marked where they stand (returned, as (lines, kind)); credit
    lines, and any small type on a page read by the XY-cut, go after the body (added to
    `taken`)."""
    flow = CAPTION_PITCH * statistics.median(m.pitch.values()) if m.pitch else 0.0
    small = [
        ln
        for ln in body
        if m.sizes[ln.id] <= CAPTION_RATIO * m.size
        and m.widths[ln.id] <= CAPTION_WIDTH * m.width
        and m.pitch.get(ln.id, 0.0) < flow
        and len(ln.words) > 1
        and ln.id not in taken
    ]
    marked: list[tuple[list[Line], str]] = []
    small_ids = {ln.id for ln in small}
    rest = [ln for ln in body if ln.id not in taken and ln.id not in small_ids]
    for group in group_small(small, m.size):
        ids = [x.id for x in group]
        if at_foot(group, rest, m.size):
            marked.append((group, "footnote"))
            note = "footnote: small type at the foot of its column, kept with the column"
            lay.notes.append((note, ids))
            continue
        credit = any(order.CREDIT.match(x.text) for x in group)
        if not geometry and not credit:
            # Tesseract placed it; small type alone does not say where a caption is read
            marked.append((group, "caption"))
            lay.notes.append(("caption (small type) marked where Tesseract read it", ids))
            continue
        lay.captions.append(group)
        taken |= set(ids)
        where = "under an empty region" if empty_above(group, rest, m.size) else "small type"
        lay.notes.append((f"caption ({where}) placed after the body", ids))
    return marked


def _tesseract_order(
    lay: Layout,
    body: list[Line],
    runs: list[list[Line]],
    sequence: list[str],
    taken: set[str],
    marked: list[tuple[list[Line], str]],
    size: float,
    pics: tuple[Box, ...],
) -> list[Segment]:
    """The body in Tesseract's mended block order: the byline where Tesseract reads it after
    the headline, pieces of one printed line gathered, captions of a one-column page kept in
    place."""
    head_ids = {ln.id for ln in lay.headline}
    byline, rest = byline_band(body, size)
    by_ids = {ln.id for ln in byline}
    after_head = [i for i in sequence if i not in head_ids and i not in taken]
    if byline and set(after_head[: len(by_ids)]) == by_ids:
        lay.byline, body = byline, rest
    keep = {ln.id for ln in body}
    runs, pieces = order.gather_pieces(runs, size)
    for ids in pieces:
        note = "piece of a printed line Tesseract put in another block: moved after the rest"
        lay.notes.append((note, ids))
    if lay.captions:
        _captions_in_place(lay, marked, keep, _one_column(runs, keep, lay.captions, size, pics))
    return _tesseract_segments(runs, keep, size, pics)


def _finish_body(lay: Layout, segs: list[Segment]) -> None:
    """The ordered segments, pieces of one printed line side by side joined."""
    lay.body = []
    for seg in segs:
        seg, joined = join_row_pieces(seg)
        lay.body.append(seg)
        for ids in joined:
            lay.notes.append(("pieces of one printed line side by side: joined", ids))
    if lay.columns > 1:
        lay.notes.append((f"{lay.columns} columns read left to right", []))
