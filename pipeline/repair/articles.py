"""Stage 3's articles: the lines of a page of several stories grouped story by story.

A newspaper page carries several articles; reading its columns top to bottom interleaves
them. Each headline (large, wide type; lines of one headline stacked close) starts an article
that owns the lines under it, in the columns its headline and first lines span, down to the
next headline in that column. A running head or folio alone in the page's top or bottom row,
a story's closing jump line and an advert are page furniture, read last; the top row is
furniture in large type too (a masthead or a logo heads no article: a research note's
`Morgan Stanley` logo, taken for a headline, owned the sidebar beside the note and had it read
first). Articles are read in the
XY-cut order of their boxes (the column blocks left to right, each top to bottom) — how the
ground truth of `bench.articlegen` and a reader go.

Conservative: a one-column page, fewer than two headlines each over MIN_ARTICLE_WORDS, or
headlines owning too little of the text (MIN_OWNED) is one story, read exactly as before
(`group` returns None). Text under no headline of its column, or cut from the text above by
a wide empty band, is an article of its own marked uncertain: a reader follows a split story,
not a merged one.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from pipeline.model import Article, Box, Line, Paragraph, Word, union, x_overlap
from pipeline.repair import paragraphs
from pipeline.repair.paragraphs import Block
from pipeline.repair.typesize import (
    body_size,
    char_width,
    line_box,
    line_size,
    pitches,
    top_down,
)
from pipeline.repair.xycut import Segment, order_body

# A headline of an article: type this many times the body size and characters this many times
# as wide (bench.articlegen's headlines measure 1.8-2.5x and 3-4x on its clean pages; its bold
# subheads and the layout's own headline test, regions.HEADLINE_RATIO 1.6 / 1.4, sit lower).
ARTICLE_HEAD_RATIO = 1.2
ARTICLE_HEAD_WIDTH = 1.8
# A line in capitals needs less: a one-column headline measured 1.1x (mild-05; its pitch caps
# the size), and a body line set in capitals is rare.
CAPS_HEAD_RATIO = 1.05
CAPS_SHARE = 0.8
# Lines of one headline are stacked closer than this many of their heights apart.
HEAD_STACK = 1.0
# Pieces of one headline line on one row are closer than this many of its heights (a word
# space of headline type is 0.3-0.4; the gutter between two headlines side by side 1.3 and more).
HEAD_PIECE = 0.7
# Pieces of one headline line are of one size: heights within this ratio (a one-column
# headline beside a lead's is set a size or two smaller).
HEAD_ALIKE = 1.25
# ... and letters this much wider (clean-04 of bench.articlegen: 1.27; a degraded box inflated
# in height keeps its letters' width: 0.8 the other way on news-heavy-02 of bench.pagegen).
HEAD_WIDER = 1.15
# Letters this much wider part two sizes whatever the heights say (heavy-02 of
# bench.articlegen: a rail headline's 27 px a letter beside the lead's 58, heights alike).
HEAD_MUCH_WIDER = 1.5
# A headline heads an article when this many words of text are under it; fewer, and it is a
# sub-head, a card or an advert's display line (an article of its own only beside two stories:
# the candidates' cards of a real page, read as articles, lost a sixth of its word triples).
MIN_ARTICLE_WORDS = 40
# The headlines must own this share of the page's text lines, else the page's stories are
# not told by headlines (real editorial and magazine pages of the development set: 0.2-0.3,
# whose text, cut into headline-less pieces, read worse than as one story; articlegen's pages
# 0.66-1.0).
MIN_OWNED = 0.6
# The first lines under a headline that set its article's column span: this many body sizes.
SPAN_REACH = 4.0
# Page furniture: a row in the top or bottom this share of the page height, over or under
# every article line.
FURNITURE_BAND = 0.08
# A vertical empty band this many body line pitches tall inside an article's column (no
# picture in it) ends the article there: what follows is another, headline-less, item.
WIDE_GAP = 4.0
# Line centres of one column lie closer than this share of the median line width (a column's
# lines are centred within a third of it; neighbouring columns a whole width apart).
COLUMN_JUMP = 0.4
# Furniture is parted from the text by at least this many body sizes of white, and short.
FURNITURE_GAP = 0.5
FURNITURE_WORDS = 16
# An advert: this share of its lines centred, each narrower than ADVERT_SHORT of the block.
ADVERT_CENTRED = 0.5
ADVERT_SHORT = 0.9
# A jump line closing a story cut short, continued on another page.
JUMP = re.compile(r"^\W*(continued on page \w+|see [\w' -]+, ?(page )?\d+[a-z]?)\W*$", re.I)
# A byline: a short line (at most this many words) right under the headline.
BYLINE_WORDS = 8
BYLINE_START = ("by ", "from ")
# A dateline or byline centred under its headline: its top within this many body sizes of the
# headline's foot, its centre within this share of the headline's width of the headline's
# centre, and no wider than this share of it (a story's first line starts at the column's edge
# and fills it).
DATELINE_REACH = 2.5
DATELINE_CENTRED = 0.1
DATELINE_WIDTH = 0.75


@dataclass
class Group:
    """One article before its paragraphs: headline lines, body segments, captions, notes."""

    id: str
    headline: list[Line] = field(default_factory=list)
    byline: list[Line] = field(default_factory=list)
    body: list[Segment] = field(default_factory=list)
    captions: list[list[Line]] = field(default_factory=list)
    why: list[str] = field(default_factory=list)

    def lines(self) -> list[Line]:
        return [
            *self.headline,
            *self.byline,
            *(ln for s in self.body for ln in s.lines),
            *(ln for c in self.captions for ln in c),
        ]

    @property
    def uncertain(self) -> bool:
        return not self.headline

    @property
    def box(self) -> Box:
        return union([line_box(ln) for ln in self.lines()])


@dataclass
class Grouping:
    articles: list[Group]
    furniture: list[list[Line]]  # items: the running head's row, jump lines, the foot's row


@dataclass
class _Head:
    lines: list[Line]
    box: Box
    span: tuple[float, float] = (0.0, 0.0)

    @property
    def foot(self) -> float:
        return _foot(self.lines)


def _foot(lines: list[Line]) -> float:
    """Where a headline's type ends: its lowest line's median word bottom (a degraded page
    glues a speck under one letter, and that word's box reaches into the line below)."""
    last = max(lines, key=lambda ln: line_box(ln)[1])
    bottoms = sorted(w.box[3] for w in last.words if w.box) or [line_box(last)[3]]
    return float(bottoms[len(bottoms) // 2])


def _headlines(lines: list[Line], size: float, width: float) -> list[_Head]:
    """Large, wide lines grouped: pieces on one row, then lines stacked close under each other."""
    # the type size from the word boxes, not capped by the line pitch as the body's is: the
    # lines of a headline in capitals are set close, and on a degraded page their noisy boxes
    # overlap (heavy-06 of bench.articlegen: a 1.5x headline measured 0.91x by its pitch);
    # the letters' width keeps body lines out
    big = [
        ln
        for ln in lines
        if _head_width(ln) >= ARTICLE_HEAD_WIDTH * width
        and line_size(ln) >= (CAPS_HEAD_RATIO if _capitals(ln) else ARTICLE_HEAD_RATIO) * size
        and next((c for c in ln.text if c.isalpha()), "a").isupper()
    ]
    # a further line of a headline in capitals is set as its first: a quote mark or a narrow
    # letter may pull its measured letter width a little under the bar (HEAD_WIDER)
    big_ids = {ln.id for ln in big}
    seconds = [
        ln
        for ln in lines
        if ln.id not in big_ids
        and _capitals(ln)
        and _head_width(ln) >= ARTICLE_HEAD_WIDTH / HEAD_WIDER * width
        and line_size(ln) >= CAPS_HEAD_RATIO * size
    ]
    heads: list[_Head] = []
    pieces = [piece for ln in big for piece in _split_sizes(ln)]
    for ln in sorted(pieces, key=lambda x: (line_box(x)[1], line_box(x)[0])):
        b = line_box(ln)
        h = b[3] - b[1]
        for head in heads:
            hb = head.box
            row = min(hb[3], b[3]) - max(hb[1], b[1]) > h / 2
            alike = max(h, hb[3] - hb[1]) <= HEAD_ALIKE * min(h, hb[3] - hb[1])
            beside = row and alike and -HEAD_PIECE * h < x_overlap(hb, b)
            # under it, or reaching into it (a degraded page inflates a box's height)
            stacked = b[1] > hb[1] and b[1] - hb[3] < HEAD_STACK * h and x_overlap(hb, b) > 0
            if beside or stacked:
                head.lines.append(ln)
                head.box = union([hb, b])
                break
        else:
            heads.append(_Head([ln], b))
    for ln in sorted(seconds, key=lambda x: line_box(x)[1]):
        b = line_box(ln)
        for head in heads:
            hb, last = head.box, head.lines[-1]
            stacked = b[1] > hb[1] and b[1] - hb[3] < HEAD_STACK * (b[3] - b[1])
            if stacked and x_overlap(hb, b) > 0 and _capitals(last):
                head.lines.append(ln)
                head.box = union([hb, b])
                break
    return heads


def _head_width(ln: Line) -> float:
    """The letter width of a line as its median word measures it: on a degraded page
    Tesseract may box one word of a bold subhead twice as wide as its letters (multi-heavy-09
    of bench.articlegen: `WORK` 141 px for 4 letters beside `THE` at 54 for 3), which made
    the whole line's mean (`char_width`) read 2.15x the body's, a headline's."""
    words = [w for w in _lettered(ln.words) if w.box]
    if not words:
        return char_width(ln)
    return statistics.median((w.box[2] - w.box[0]) / len(w.text) for w in words)


def _capitals(ln: Line) -> bool:
    letters = [c for c in ln.text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= CAPS_SHARE * len(letters)


def _split_sizes(ln: Line) -> list[Line]:
    """A headline line Tesseract read across two headlines side by side (a one-column one
    beside a lead's) cut where a wide space parts words of two sizes: taller and wider per
    letter alike (a degraded page inflates a box's height, not its letters' width); the right
    piece gets the id `<line>r`, as `order.cut_at_gutters` names its pieces."""
    words = ln.words
    if len(words) < 2 or not all(w.box for w in words):
        return [ln]
    for k in range(1, len(words)):
        left, right = words[:k], words[k:]
        if not _lettered(left) or not _lettered(right):
            continue
        hl, hr = _word_height(_lettered(left)), _word_height(_lettered(right))
        wl, wr = _letter_width(_lettered(left)), _letter_width(_lettered(right))
        gap = right[0].box[0] - left[-1].box[2]  # type: ignore[index]
        taller = max(hl, hr) > HEAD_ALIKE * min(hl, hr)
        wider = wr > HEAD_WIDER * wl if hr > hl else wl > HEAD_WIDER * wr
        much_wider = max(wl, wr) > HEAD_MUCH_WIDER * min(wl, wr)
        if gap >= HEAD_PIECE * min(hl, hr) and (taller and wider or much_wider):
            return [
                Line(ln.id, left, union([w.box for w in left if w.box]), ln.block, ln.par),
                Line(f"{ln.id}r", right, union([w.box for w in right if w.box]), ln.block, ln.par),
            ]
    return [ln]


def _lettered(words: list[Word]) -> list[Word]:
    """The words that are letters, not a speck or a rule mark read as `*` or `_`."""
    return [w for w in words if any(c.isalnum() for c in w.text)]


def _word_height(words: list[Word]) -> float:
    return statistics.median(w.box[3] - w.box[1] for w in words if w.box)


def _letter_width(words: list[Word]) -> float:
    return sum(w.box[2] - w.box[0] for w in words if w.box) / sum(len(w.text) for w in words)


def _spans(heads: list[_Head], rest: list[Line], size: float, pics: tuple[Box, ...]) -> None:
    """Each headline's column span: its own width and that of the lines, or the picture,
    right under it that it overlaps (a story's photograph under its headline spans its
    columns)."""
    for head in heads:
        hb = head.box
        under = [
            b
            for b in [*(line_box(ln) for ln in rest), *pics]
            if 0 <= b[1] - hb[3] < SPAN_REACH * size and x_overlap(hb, b) > 0
        ]
        head.span = (min([hb[0], *(b[0] for b in under)]), max([hb[2], *(b[2] for b in under)]))


def _owner(b: Box, heads: list[_Head]) -> int | None:
    """The nearest headline above a line whose span holds the line's centre."""
    cx = (b[0] + b[2]) / 2
    best, best_y = None, -1.0
    for i, head in enumerate(heads):
        if head.span[0] <= cx <= head.span[1] and head.foot <= (b[1] + b[3]) / 2:
            if head.foot > best_y:
                best, best_y = i, head.foot
    return best


def _adopt(
    heads: list[_Head], owner: dict[str, int | None], rest: list[Line], everything: list[Line]
) -> dict[int, list[str]]:
    """A column of text under no headline's span whose top is the first text under the nearest
    headline above it — nothing but white, a picture or that headline's own text between — is
    that headline's (a lead's
    headline is set narrower than its columns); returns each adopting headline's notes."""
    notes: dict[int, list[str]] = {}
    loose = [ln for ln in rest if owner[ln.id] is None]
    for col in _columns(loose) if loose else []:
        top = line_box(col[0])
        x0, x1 = min(line_box(ln)[0] for ln in col), max(line_box(ln)[2] for ln in col)
        above = [i for i, h in enumerate(heads) if h.box[3] <= top[1]]
        if not above:
            continue
        i = max(above, key=lambda k: heads[k].box[3])
        floor = heads[i].box[3]
        between = [
            ln
            for ln in everything
            if floor <= line_box(ln)[1] < top[1]
            and min(x1, line_box(ln)[2]) - max(x0, line_box(ln)[0]) > 0
            and owner.get(ln.id, -1) != i
        ]
        if between:
            continue
        for ln in col:
            owner[ln.id] = i
        note = f"column at x {x0}-{x1} joined: its first text is the next under this headline"
        notes.setdefault(i, []).append(note)
    return notes


def _furniture(lines: list[Line], height: int, size: float) -> list[Line]:
    """The top row and the bottom row when they sit in the page's furniture bands, short and
    parted from the text by white."""
    if not lines or not height:
        return []
    out: list[Line] = []
    top = min(line_box(ln)[1] for ln in lines)
    if top < FURNITURE_BAND * height:
        row = [ln for ln in lines if line_box(ln)[1] < top + size]
        below = [line_box(ln)[1] for ln in lines if ln not in row]
        gap = min(below, default=0) - max(line_box(ln)[3] for ln in row)
        if below and gap > FURNITURE_GAP * size and _short(row):
            out += row
    bottom = max(line_box(ln)[3] for ln in lines)
    if bottom > (1 - FURNITURE_BAND) * height:
        row = [ln for ln in lines if line_box(ln)[3] > bottom - size and ln not in out]
        above = [line_box(ln)[3] for ln in lines if ln not in row]
        gap = min((line_box(ln)[1] for ln in row), default=0) - max(above, default=0)
        if row and above and gap > FURNITURE_GAP * size and _short(row):
            out += row
    return out


def _short(row: list[Line]) -> bool:
    return sum(len(ln.words) for ln in row) <= FURNITURE_WORDS


def group(
    headline: list[Line],
    byline: list[Line],
    body: list[Segment],
    captions: list[list[Line]],
    columns: int,
    height: int,
    pics: tuple[Box, ...] = (),
) -> Grouping | None:
    """The page's lines as articles and furniture; None when the page reads as one story."""
    flow = [ln for s in body for ln in s.lines]
    everything = [*headline, *byline, *flow, *(ln for c in captions for ln in c)]
    boxed = [ln for ln in everything if ln.box]
    if columns < 2 or len(boxed) != len(everything) or len(boxed) < 2:
        return None
    size = body_size(boxed)
    width = statistics.median(char_width(ln) for ln in boxed)
    furniture = _furniture(boxed, height, size)
    masthead = {ln.id for ln in furniture if line_box(ln)[3] < height / 2}
    heads = [h for h in _headlines(boxed, size, width) if not masthead & {x.id for x in h.lines}]
    head_ids = {ln.id for h in heads for ln in h.lines}
    furniture = [ln for ln in furniture if ln.id not in head_ids]
    skip = head_ids | {ln.id for ln in furniture}
    rest = [ln for ln in boxed if ln.id not in skip]
    _spans(heads, rest, size, pics)
    owner = {ln.id: _owner(line_box(ln), heads) for ln in rest}
    owned = sum(o is not None for o in owner.values())
    adopted = _adopt(heads, owner, rest, boxed)
    words = [0] * len(heads)
    for ln in rest:
        if owner[ln.id] is not None:
            words[owner[ln.id]] += len(ln.words)
    if sum(w >= MIN_ARTICLE_WORDS for w in words) < 2:
        return None
    if owned < MIN_OWNED * len(owner):
        return None
    grouping = _build(heads, owner, body, captions, byline, furniture, size, pics, adopted)
    unsure = sum(g.uncertain for g in grouping.articles)
    if unsure > len(grouping.articles) - unsure:
        return None  # more pieces guessed at than stories under headlines: not told by them
    return grouping


def _build(
    heads: list[_Head],
    owner: dict[str, int | None],
    body: list[Segment],
    captions: list[list[Line]],
    byline: list[Line],
    furniture: list[Line],
    size: float,
    pics: tuple[Box, ...],
    adopted: dict[int, list[str]],
) -> Grouping:
    groups = [
        Group("", list(h.lines), why=[f"headline '{_text(h.lines)}' over its column(s)"])
        for h in heads
    ]
    for i, notes in adopted.items():
        groups[i].why += notes
    orphans: dict[int, list[Line]] = {}  # headline-less text, by column
    flow: list[list[Segment]] = [[] for _ in heads]
    other: list[list[Segment]] = [[] for _ in heads]  # footnotes, kept as the layout made them
    for seg in [Segment([ln for ln in byline if ln.id in owner]), *body]:
        parts: dict[int | None, list[Line]] = {}
        for ln in seg.lines:
            if ln.id in owner:
                parts.setdefault(owner[ln.id], []).append(ln)
        for who, lns in parts.items():
            if who is None:
                orphans.setdefault(round(line_box(lns[0])[0] / (4 * size)), []).extend(lns)
            elif seg.kind != "body":
                other[who].append(Segment(lns, seg.columns, seg.spanning, seg.kind))
            else:
                flow[who].append(Segment(lns, seg.columns, seg.spanning))
    for g, segs, extra in zip(groups, flow, other, strict=True):
        g.body = _flow(segs, size, pics) + extra
    for lns in orphans.values():
        groups.append(Group("", body=order_body(lns, size, pics=pics), why=[_ORPHAN]))
    for cap in captions:
        who = owner.get(cap[0].id)
        if who is not None:
            groups[who].captions.append(cap)
        else:
            groups.append(Group("", captions=[cap], why=[_ORPHAN]))
    out: list[Group] = []
    for g in groups:
        _take_byline(g, size)
        out += _cut_wide_gaps(g, size, pics)
    out = [g for g in out if g.lines()]
    out = _reading_order(out, size)
    rows = _rows(furniture)
    top = [
        r for r in rows if line_box(r[0])[1] < min(line_box(ln)[1] for g in out for ln in g.lines())
    ]
    items = top + [jump for g in out if (jump := _take_jump(g))]
    adverts = [g for g in out if _advert(g, size)]
    items += [g.lines() for g in adverts]
    out = [g for g in out if g.lines() and g not in adverts]
    for i, g in enumerate(out, 1):
        g.id = f"a{i}"
    return Grouping(out, items + [r for r in rows if r not in top])


def _advert(g: Group, size: float) -> bool:
    """A display block, not a story: under its headline fewer than MIN_ARTICLE_WORDS words,
    most lines centred and short of the block's width (an advert: name, offer, address)."""
    lines = [ln for s in g.body for ln in s.lines]
    if not g.headline or not lines or sum(len(ln.words) for ln in lines) >= MIN_ARTICLE_WORDS:
        return False
    x0, x1 = min(line_box(ln)[0] for ln in lines), max(line_box(ln)[2] for ln in lines)
    centred = [
        ln
        for ln in lines
        if abs((line_box(ln)[0] - x0) - (x1 - line_box(ln)[2])) < size
        and line_box(ln)[2] - line_box(ln)[0] < ADVERT_SHORT * (x1 - x0)
    ]
    return len(centred) >= ADVERT_CENTRED * len(lines)


def _take_jump(g: Group) -> list[Line]:
    """The article's last body line when it is a jump line (`Continued on Page 4`, `See
    HARBOUR, 4A`): page furniture, as archives and bench.articlegen's ground truth keep it."""
    if not g.body or not g.body[-1].lines or not JUMP.match(g.body[-1].lines[-1].text):
        return []
    seg = g.body[-1]
    jump = seg.lines[-1]
    g.body[-1] = Segment(seg.lines[:-1], seg.columns, seg.spanning, seg.kind)
    g.body = [s for s in g.body if s.lines]
    g.why.append(f"jump line '{jump.text}' read with the page furniture")
    return [jump]


_ORPHAN = "text under no headline of its column: an article of its own (boundary uncertain)"


def _flow(segs: list[Segment], size: float, pics: tuple[Box, ...]) -> list[Segment]:
    """An article's body in the page's order (the layout's, kept within the article) unless
    that reads a line above one read before it in its column: then its own XY-cut."""
    lines = [ln for s in segs for ln in s.lines]
    for col in _columns(lines) if lines else []:
        seq = [ln for ln in lines if ln in col]
        if any(line_box(b)[1] < line_box(a)[1] for a, b in zip(seq, seq[1:], strict=False)):
            return order_body(lines, size, pics=pics)
    return segs


def _text(lines: list[Line]) -> str:
    return " ".join(ln.text for ln in lines)[:60]


def _cut_wide_gaps(g: Group, size: float, pics: tuple[Box, ...]) -> list[Group]:
    """An article's column cut where a wide empty band with no picture in it parts the text."""
    if not g.body:
        return [g]
    lines = [ln for s in g.body for ln in s.lines]
    pitch = statistics.median(pitches(lines).values() or [1.2 * size])
    cut: set[str] = set()
    for col in _columns(lines):
        for k, (a, b) in enumerate(zip(col, col[1:], strict=False)):
            if line_box(b)[1] - line_box(a)[3] > WIDE_GAP * pitch and not _picture_between(
                a, b, pics
            ):
                cut = {ln.id for ln in col[k + 1 :]}
                break
        if cut:
            break
    if not cut:
        return [g]
    keep = {ln.id for ln in lines} - cut
    cut_at = min(line_box(ln)[1] for ln in lines if ln.id in cut)
    head = Group(g.id, g.headline, g.byline, why=list(g.why))
    tail = Group("", why=[f"cut from '{_text(g.headline)}' by a wide empty band (uncertain)"])
    for s in g.body:
        a = [ln for ln in s.lines if ln.id in keep]
        b = [ln for ln in s.lines if ln.id not in keep]
        if a:
            head.body.append(Segment(a, s.columns, s.spanning, s.kind))
        if b:
            tail.body.append(Segment(b, s.columns, s.spanning, s.kind))
    for cap in g.captions:
        (head if line_box(cap[0])[1] < cut_at else tail).captions.append(cap)
    head.why.append("ends at a wide empty band in its column; the text under it is set apart")
    return [head, *_cut_wide_gaps(tail, size, pics)]


def _columns(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into columns by their centres (a jump of over COLUMN_JUMP of the median
    line width starts the next), each top to bottom; indented first lines and short last
    lines stay in their column."""
    width = statistics.median(line_box(ln)[2] - line_box(ln)[0] for ln in lines)
    cols: list[list[Line]] = []
    last = None
    for ln in sorted(lines, key=_centre):
        if last is None or _centre(ln) - last > COLUMN_JUMP * width:
            cols.append([])
        cols[-1].append(ln)
        last = _centre(ln)
    return [sorted(c, key=lambda x: line_box(x)[1]) for c in cols]


def _centre(ln: Line) -> float:
    return (line_box(ln)[0] + line_box(ln)[2]) / 2


def _picture_between(a: Line, b: Line, pics: tuple[Box, ...]) -> bool:
    top, bottom = line_box(a)[3], line_box(b)[1]
    ab = union([line_box(a), line_box(b)])
    return any(p[1] < bottom and p[3] > top and x_overlap(p, ab) > 0 for p in pics)


def _dateline_under(ln: Line, hb: Box, size: float) -> bool:
    """A short line opening with a capital, centred right under the headline box `hb`."""
    b = line_box(ln)
    centre, width = (hb[0] + hb[2]) / 2, hb[2] - hb[0]
    return (
        0 <= b[1] - hb[3] <= DATELINE_REACH * size
        and len(ln.words) <= BYLINE_WORDS
        and ln.text[:1].isupper()
        and not ln.text.endswith("-")
        and abs((b[0] + b[2]) / 2 - centre) <= DATELINE_CENTRED * width
        and b[2] - b[0] <= DATELINE_WIDTH * width
    )


def _take_byline(g: Group, size: float) -> None:
    """The byline: a short 'By ...' / 'From ...' line first under the headline, or a short
    line centred right under it wherever the columns' order put it (a dateline, `BRISBANE,
    August 27.`, centred under a headline over two columns lies over the gutter, and the
    XY-cut read it at the top of the second column, inside a word split across the columns:
    `opportuBRISBANE, August 27. nity` on multi-heavy-03 of bench.articlegen)."""
    if not g.headline or not g.body or not g.body[0].lines:
        return
    first = g.body[0].lines[0]
    found: Line | None = first
    if len(first.words) > BYLINE_WORDS or not first.text.lower().startswith(BYLINE_START):
        if _advert(g, size):  # an advert's lines are all short and centred
            return
        x0, y0, x1, _ = union([line_box(ln) for ln in g.headline])
        hb = (x0, y0, x1, round(_foot(g.headline)))
        lines = (ln for seg in g.body for ln in seg.lines)
        found = next((ln for ln in lines if _dateline_under(ln, hb, size)), None)
    if found is None:
        return
    g.byline.append(found)
    taken = found.id
    g.body = [
        Segment([ln for ln in seg.lines if ln.id != taken], seg.columns, seg.spanning, seg.kind)
        for seg in g.body
    ]
    g.body = [s for s in g.body if s.lines]


def _reading_order(groups: list[Group], slack: float) -> list[Group]:
    """XY-cut over the article boxes: a vertical cut first (column blocks left to right), else
    a horizontal one (top to bottom); boxes no cut parts go by where they start. Boxes may
    overlap by `slack` (a skewed page) and still be cut apart."""
    if len(groups) < 2:
        return groups
    boxes = [g.box for g in groups]
    for axis in (0, 1):
        order = sorted(range(len(groups)), key=lambda i: boxes[i][axis])
        reach = boxes[order[0]][axis + 2]
        for k in range(1, len(order)):
            i = order[k]
            if boxes[i][axis] >= reach - slack:
                left = [groups[j] for j in order[:k]]
                right = [groups[j] for j in order[k:]]
                return _reading_order(left, slack) + _reading_order(right, slack)
            reach = max(reach, boxes[i][axis + 2])
    return sorted(groups, key=lambda g: (g.box[1], g.box[0]))


def sections(grouping: Grouping, size: float, pics: tuple[Box, ...] = ()) -> list[list[Block]]:
    """Each article's paragraphs before tokenising (headline, byline, body, captions), then
    the furniture, one item a line: paragraphs never run from one article into the next."""
    out: list[list[Block]] = []
    for g in grouping.articles:
        blocks: list[Block] = []
        if g.headline:
            blocks.append(Block("headline", top_down(g.headline)))
        if g.byline:
            blocks.append(Block("byline", g.byline))
        blocks += paragraphs.split_segments(g.body, size, pics) if g.body else []
        blocks += [Block("caption", cap) for cap in g.captions]
        out.append(blocks)
    out.append([Block("body", item) for item in grouping.furniture])
    return out


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines on one row (overlapping in y) together, left to right; rows top to bottom: a
    running head's page number, title and date are one item."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: line_box(x)[1]):
        b = line_box(ln)
        if rows and b[1] < max(line_box(x)[3] for x in rows[-1]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [sorted(r, key=lambda x: line_box(x)[0]) for r in rows]


def page_articles(
    grouping: Grouping, paras: list[Paragraph], owners: list[int]
) -> tuple[list[Article], list[str]]:
    """The model's articles (paragraph ids, box, why) and furniture paragraph ids, from the
    paragraphs made of `sections` (`owners[i]`: the section paragraph i came from)."""
    arts: list[Article] = []
    for k, g in enumerate(grouping.articles):
        mine = [p for p, o in zip(paras, owners, strict=True) if o == k]
        arts.append(
            Article(
                g.id,
                [p.id for p in mine],
                [p.id for p in mine if p.kind == "headline"],
                [p.id for p in mine if p.kind == "byline"],
                g.box,
                list(g.why),
            )
        )
    last = len(grouping.articles)
    furniture = [p.id for p, o in zip(paras, owners, strict=True) if o == last]
    return [a for a in arts if a.paragraphs], furniture
