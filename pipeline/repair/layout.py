"""Page layout from the line boxes: headline, byline, body order, captions, footnotes.

The body keeps Tesseract's block order unless `order.choose` finds it wrong (order.py says
why); then, and inside a Tesseract block holding two text columns, the XY-cut below orders it.
A newspaper page read by the XY-cut is: the headline (lines in a face clearly larger than the
body, near the top, nothing above them), then the byline, then the columns left to right, each
top to bottom, then captions and credits. The order comes from a recursive XY-cut over line boxes:

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

Byline: the first band of the page body (after the headline), of at most 3 lines, set off from
columns below it by a whitespace band (in Tesseract's order only named when read there).
Captions come out of the flow, with positive evidence only (`order.caption_evidence`: smaller
type, a credit line; never merely standing under a picture), before the cut: the 1-4
lines directly under a picture region (a block of Tesseract's without words, larger than
PICTURE_MIN body sizes both ways), whose line gaps are small (<= CAPTION_GAP), each line lying
within the picture's width; a last line that is set flush right (starting well in from the
caption's left edge, or alone reaching the picture's right edge past the ragged caption lines)
or in smaller type and set in from the caption's left edge is the credit, which closes the
group (body text may follow closely), its own paragraph after the caption.

Type size is estimated per line from word box heights corrected for the letters in the word
(`mama` has no ascenders or descenders, `Judge` has both), capped by the line's pitch: on
degraded pages Tesseract may give every word of a line a box as tall as the line pitch, and a
line cannot be bigger than its distance from the next line of its column allows (LEADING).
One size estimate is still noisy, so the other decisions ask for agreeing clues:

  * headline: type at least HEADLINE_RATIO x the body size *and* characters at least
    HEADLINE_WIDTH x the page's median character width (word box width per letter, which a box
    inflated in height leaves alone), above the first quarter of the body, no text over it;
  * small type away from any picture: type at most CAPTION_RATIO x the body size, narrow
    characters (<= CAPTION_WIDTH), not set at the body's line pitch (a line whose nearest
    neighbour in its column is CAPTION_PITCH x the median pitch away or more is in the column's
    flow), and more than one word (`vote.` ending a paragraph is no caption). At the foot of a
    column (body text over it, none under it) it is a footnote, kept after its column; else,
    in Tesseract's order, a caption marked where Tesseract read it (moved after the body only
    when it is a credit line, or when the page is read by the XY-cut).

Rule marks and bullets are repaired on the lines first (strip_rule_marks, restore_bullets).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

import numpy as np

from pipeline.model import Action, Box, Decision, Line, OcrPage, Word, union
from pipeline.repair import order

HEADLINE_RATIO = 1.6  # type size vs the page's median body size
HEADLINE_WIDTH = 1.4  # and character width vs the page's median: both must be big
CAPTION_RATIO = 0.78
CAPTION_WIDTH = 0.9  # small type is narrow too
CAPTION_PITCH = 0.92  # a line this close to its neighbour as body lines are is in the flow
LEADING = 1.1  # the least line pitch, in type sizes, of lines set one under the other
MIN_GUTTER = 0.6  # in body sizes: narrower white strips are word spaces or ragged edges
NIBBLE = 0.15  # in body sizes: how far a line may reach into a gutter and leave it open
BAND_GAP = 1.0  # in body sizes: a horizontal whitespace band at least this tall cuts a region
SPAN_SHARE = 10  # a gutter may be crossed by up to 1 line in this many (bylines, sub-heads)
MAX_DEPTH = 6
PICTURE_MIN = 3.0  # in body sizes: a wordless block at least this wide and tall is a picture
CAPTION_REACH = 2.5  # in body sizes: a caption's first line starts this close under a picture
CAPTION_GAP = 0.75  # in body sizes: the largest gap between the lines of a caption
CAPTION_LINES = 4
FOOT_WORDS = 3  # a line of fewer words under small type is a page number or a mark, not text
ASCENDERS = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'\"()[]/!?&%$£§")
DESCENDERS = set("gjpqy,;()[]")
RULE_MARKS = set("_|¦‖")  # never printed at a line edge: column rules read as text
STROKE_MARKS = RULE_MARKS | set("—–-=~")  # printed, these are thin and low, never letter-tall
BULLET = "\u25ba"
BULLET_MIN = 0.3  # in body sizes: the least width and height of a bullet glyph
BULLET_LOOKS = {">", "»", "*", "¢", "►", "▸", "▶", "•", "+", ">»", "»>", ">>", "»»"}
BULLET_MARKS = set(">»►▸▶•®")  # a short token of marks holding one of these is a bullet read


@dataclass
class Segment:
    """Lines read top to bottom as one unit: a column of a band, or one spanning line."""

    lines: list[Line]
    columns: int = 1  # how many columns the band this segment belongs to has
    spanning: bool = False  # one line set across the columns of the bands around it
    kind: str = "body"  # or "footnote": small type at the foot of its column, kept there


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


def _box(line: Line) -> Box:
    assert line.box is not None
    return line.box


def _word_size(word: Word) -> float | None:
    """A word's full type size from its box height, corrected for the letters in it."""
    if not word.box or not any(c.isalnum() for c in word.text):
        return None  # a speck or a dash: its box says nothing about the type
    units = 1.0 + 0.45 * any(c in ASCENDERS for c in word.text)
    units += 0.3 * any(c in DESCENDERS for c in word.text)
    return (word.box[3] - word.box[1]) * 1.75 / units


def line_size(line: Line) -> float:
    """Estimated full type size (ascender to descender) of a line from its word boxes."""
    sizes = [s for s in map(_word_size, line.words) if s is not None]
    if sizes:
        return statistics.median(sizes)
    b = _box(line)
    return float(b[3] - b[1])


def _neighbours(a: Line, b: Line) -> bool:
    """One over the other in one column or one headline: most of the wider line's width is
    shared, and they are not on one row."""
    ax0, ay0, ax1, ay1 = _box(a)
    bx0, by0, bx1, by1 = _box(b)
    shared = min(ax1, bx1) - max(ax0, bx0)
    overlap = min(ay1, by1) - max(ay0, by0)
    return shared >= 0.5 * max(ax1 - ax0, bx1 - bx0) and overlap < 0.5 * min(ay1 - ay0, by1 - by0)


def pitches(lines: list[Line]) -> dict[str, float]:
    """Distance from each line to the nearest line above or below it in its column (centre to
    centre), for lines that have one close by (within twice the taller one's height).

    The `_neighbours` test over all pairs at once, with numpy: pages have hundreds of lines.
    """
    boxed = [ln for ln in lines if ln.box]
    if len(boxed) < 2:
        return {}
    b = np.array([_box(ln) for ln in boxed], dtype=np.float64)
    x0, y0, x1, y1 = (b[:, i] for i in range(4))
    shared = np.minimum.outer(x1, x1) - np.maximum.outer(x0, x0)
    overlap = np.minimum.outer(y1, y1) - np.maximum.outer(y0, y0)
    wide = np.maximum.outer(x1 - x0, x1 - x0)
    tall = np.maximum.outer(y1 - y0, y1 - y0)
    short = np.minimum.outer(y1 - y0, y1 - y0)
    yc = (y0 + y1) / 2
    d = np.abs(np.subtract.outer(yc, yc))
    ok = (shared >= 0.5 * wide) & (overlap < 0.5 * short) & (d <= 2 * tall)
    np.fill_diagonal(ok, False)
    d = np.where(ok, d, np.inf)
    best = d.min(axis=1)
    return {ln.id: float(v) for ln, v in zip(boxed, best, strict=True) if np.isfinite(v)}


def line_sizes(lines: list[Line], pitch: dict[str, float] | None = None) -> dict[str, float]:
    """Type size per line: from the word boxes, but never more than the line's pitch allows.

    Tesseract sometimes gives every word of a line the height of the whole line pitch (bold,
    blurred print); such a line would measure half as big again as its neighbours. Lines set
    one under the other cannot be bigger than their distance apart (over LEADING), so the
    pitch caps the estimate.
    """
    pitch = pitches(lines) if pitch is None else pitch
    out = {}
    for ln in lines:
        if not ln.box:
            continue
        size = line_size(ln)
        if ln.id in pitch:
            size = min(size, pitch[ln.id] / LEADING)
        out[ln.id] = size
    return out


def char_width(line: Line) -> float:
    """Mean width of a character in the line's words: a size clue that a box inflated in height
    (the trouble with line_size) leaves alone."""
    words = [w for w in line.words if w.box and any(c.isalnum() for c in w.text)]
    chars = sum(len(w.text) for w in words)
    if not chars:
        b = _box(line)
        return (b[2] - b[0]) / max(1, len(line.text))
    return sum(w.box[2] - w.box[0] for w in words if w.box) / chars


def body_size(lines: list[Line]) -> float:
    """Median type size of the lines near the page's median: the body face."""
    sizes = list(line_sizes(lines).values())
    if not sizes:
        return 0.0
    med = statistics.median(sizes)
    core = [s for s in sizes if 0.7 * med <= s <= 1.4 * med]
    return statistics.median(core) if core else med


def _yc(line: Line) -> float:
    b = _box(line)
    return (b[1] + b[3]) / 2


def top_down(lines: list[Line]) -> list[Line]:
    """Top to bottom; lines side by side on one row (overlapping in y) left to right. Lines
    one over the other in x are never one row, however much a tall word box makes them
    overlap in y."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=_yc):
        b = _box(ln)
        if rows:
            r = union([_box(x) for x in rows[-1]])
            overlap = min(b[3], r[3]) - max(b[1], r[1])
            beside = all(min(b[2], _box(x)[2]) <= max(b[0], _box(x)[0]) for x in rows[-1])
            if beside and overlap > 0.5 * min(b[3] - b[1], r[3] - r[1]):
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda x: _box(x)[0])]


# ---------------------------------------------------------------- rule marks and bullets


def _rebox(line: Line, words: list[Word]) -> Line:
    boxes = [w.box for w in words if w.box]
    return Line(line.id, words, union(boxes) if boxes else line.box, line.block, line.par)


def _is_stroke(word: Word, size: float) -> bool:
    """Dash or rule marks in a box as tall as a letter: a rule, a speck or a wide justified
    space read as text (a printed dash is a low, flat box)."""
    if not word.box or not word.text or any(c not in STROKE_MARKS for c in word.text):
        return False
    return word.box[3] - word.box[1] >= 0.6 * size


def _dirt(word: Word, size: float) -> bool:
    """No letter or digit, in a box far smaller than a letter: a speck on the page."""
    if not word.box or any(c.isalnum() for c in word.text):
        return False
    return max(word.box[2] - word.box[0], word.box[3] - word.box[1]) < BULLET_MIN * size


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
    for ln in lines:
        if ln.words and all(_dirt(w, size) for w in ln.words):
            reason = "a line of specks only"
            decisions.append(Decision("strip", reason, ln.text, "", [ln.id]))
            continue
        words: list[Word] = []
        n = len(ln.words)
        for i, w in enumerate(ln.words):
            edge = i == 0 or i == n - 1
            if (edge and w.text and all(c in RULE_MARKS for c in w.text)) or _is_stroke(w, size):
                continue
            if w.text and all(c in RULE_MARKS for c in w.text):
                continue  # a bare underscore inside a line: no text is printed as one
            words.append(w)
        if len(words) == len(ln.words) and all(
            a.text == b.text for a, b in zip(words, ln.words, strict=True)
        ):
            out.append(ln)
            continue
        new = _rebox(ln, words)
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
    widest = 0.9 + 0.3 * (len(word.text) - 1)
    return (
        BULLET_MIN * size <= w <= widest * size
        and h >= BULLET_MIN * size
        and 0.5 <= w / max(h, 1) <= 2.0
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
            new = _rebox(ln, ln.words[1:])
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


# ---------------------------------------------------------------- XY-cut


def bands(lines: list[Line], min_gap: float) -> list[list[Line]]:
    """The lines cut at every horizontal whitespace band at least `min_gap` tall, top down."""
    out: list[list[Line]] = []
    bottom = None
    for ln in sorted(lines, key=lambda x: _box(x)[1]):
        b = _box(ln)
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
        b = _box(line)
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
        b = _box(ln)
        xc = (b[0] + b[2]) / 2
        cols[sum(1 for g in gaps if xc > (g[0] + g[1]) / 2)].append(ln)
    return [c for c in cols if c]


def order_body(
    lines: list[Line], size: float, depth: int = 0, pics: tuple[Box, ...] = ()
) -> list[Segment]:
    """Segments in reading order (see the module docstring); `pics`: picture regions."""
    return _order(lines, size, depth, pics)[0]


def _columns(
    lines: list[Line], gaps, size: float, depth: int, pics: tuple[Box, ...]
) -> tuple[list[Segment], int]:
    parts = [_order(col, size, depth + 1, pics) for col in _split_columns(lines, gaps)]
    ncols = sum(n for _, n in parts)
    segs = [seg for part, _ in parts for seg in part]
    for seg in segs:
        if not seg.spanning:
            seg.columns = max(seg.columns, ncols)
    return segs, ncols


def _picture_between(upper: list[Line], lower: list[Line], pics: tuple[Box, ...]) -> bool:
    """A picture fills the whitespace band between two bands, inside their width."""
    top = max(_box(ln)[3] for ln in upper)
    bottom = min(_box(ln)[1] for ln in lower)
    x0 = min(_box(ln)[0] for ln in upper + lower)
    x1 = max(_box(ln)[2] for ln in upper + lower)
    for p in pics:
        inside = min(p[3], bottom) - max(p[1], top)
        if inside > 0.5 * (bottom - top) and min(p[2], x1) > max(p[0], x0):
            return True
    return False


def _same_columns(upper: list[Segment], lower: list[Segment]) -> bool:
    """Both bands are plain columns side by side, the same number, one over the other."""
    if len(upper) != len(lower) or len(upper) < 2:
        return False
    if any(s.spanning or not s.lines for s in upper + lower):
        return False
    boxes = [union([_box(ln) for ln in s.lines]) for s in upper + lower]
    n = len(upper)
    for a, b in zip(boxes[:n], boxes[n:], strict=True):
        if min(a[2], b[2]) - max(a[0], b[0]) < 0.5 * min(a[2] - a[0], b[2] - b[0]):
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


def _order(
    lines: list[Line], size: float, depth: int, pics: tuple[Box, ...] = ()
) -> tuple[list[Segment], int]:
    """Segments in reading order and how many columns sit side by side in them at most."""
    if len(lines) <= 1 or depth >= MAX_DEPTH:
        return ([Segment(top_down(lines))] if lines else []), 1
    cut = bands(lines, BAND_GAP * size)
    if len(cut) > 1:
        parts = [_order(band, size, depth + 1, pics) for band in cut]
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
    cuts = [_yc(ln) for ln in spanning]
    parts_: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    for ln in lines:
        if ln.id not in span_ids:
            parts_[sum(1 for c in cuts if _yc(ln) > c)].append(ln)
    out: list[Segment] = []
    ncols = 1
    for i, band in enumerate(parts_):
        segs, n = _order(band, size, depth + 1, pics)
        out.extend(segs)
        ncols = max(ncols, n)
        if i < len(spanning):
            out.append(Segment([spanning[i]], spanning=True))
    return out, ncols


# ---------------------------------------------------------------- captions


def pictures(page: OcrPage, size: float) -> list[Box]:
    """Wordless blocks big enough to be pictures (rules are thin), top to bottom."""
    big = PICTURE_MIN * size
    return sorted(
        (r for r in page.regions if r[2] - r[0] >= big and r[3] - r[1] >= big),
        key=lambda r: r[1],
    )


def _within(b: Box, pic: Box, size: float) -> bool:
    return b[0] >= pic[0] - size and b[2] <= pic[2] + size


def _caption_under(pic: Box, lines: list[Line], size: float) -> list[Line]:
    """The caption lines directly under a picture (see the module docstring)."""
    below = [ln for ln in lines if _box(ln)[1] >= pic[3] - 0.5 * size]
    below = [ln for ln in below if _within(_box(ln), pic, size)]
    group: list[Line] = []
    for ln in top_down(below):
        b = _box(ln)
        if not group:
            if b[1] - pic[3] > CAPTION_REACH * size:
                break
        elif b[1] - max(_box(x)[3] for x in group) > CAPTION_GAP * size:
            break
        group.append(ln)
        if len(_split_credit(group, pic, size)) == 2:
            break  # the credit closes the caption: what follows is body text
        if len(group) > CAPTION_LINES:
            return []  # a run of closely set lines under a picture: body text, not a caption
    return group


def _split_credit(group: list[Line], pic: Box, size: float) -> list[list[Line]]:
    """[caption] or [caption, credit]: a last line set flush right or in smaller type."""
    if len(group) < 2:
        return [group]
    last = group[-1]
    b = _box(last)
    left = min(_box(x)[0] for x in group[:-1])
    right = max(_box(x)[2] for x in group[:-1])
    flush_right = b[0] - left > 0.25 * (pic[2] - pic[0]) and b[2] >= right - size
    # or it alone reaches the picture's right edge, past every ragged caption line
    flush_right |= b[2] > right + 0.5 * size and abs(b[2] - pic[2]) <= 0.6 * size
    # or smaller type, and not set flush left like the caption (one size estimate is noisy)
    smaller = line_size(last) < 0.9 * statistics.median(line_size(x) for x in group[:-1])
    smaller &= b[0] - left >= size
    return [group[:-1], [last]] if flush_right or smaller else [group]


def _group_small(lines: list[Line], size: float) -> list[list[Line]]:
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


# ---------------------------------------------------------------- byline and headline


def _take_byline(segs: list[Segment], size: float) -> tuple[list[Segment], list[Line]]:
    """Fallback when no whitespace band sets the byline off: lines above the tops of all the
    columns, set off by a gap (at most 3 lines), taken from the column they were put in."""
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


def count_columns(segs: list[Segment]) -> int:
    """Most segments side by side: the largest set of disjoint x-ranges (bands count once)."""
    spans = sorted(
        (union([_box(ln) for ln in s.lines]) for s in segs if s.lines and not s.spanning),
        key=lambda b: b[2],
    )
    n, right = 0, None
    for b in spans:
        if right is None or b[0] >= right:
            n, right = n + 1, b[2]
    return n


def _text_above(line: Line, body: list[Line]) -> bool:
    """A headline has no body text over it; a body line whose box Tesseract inflated does."""
    x0, y0, x1, _ = _box(line)
    for other in body:
        if not any(c.isalnum() for c in other.text):
            continue  # a speck is no text
        b = _box(other)
        if b[3] <= y0 and min(x1, b[2]) - max(x0, b[0]) > 0.3 * min(x1 - x0, b[2] - b[0]):
            return True
    return False


def _byline_band(body: list[Line], size: float) -> tuple[list[Line], list[Line]]:
    """(byline, rest): the first band of the body when it is short and columns follow."""
    cut = bands(body, BAND_GAP * size)
    if len(cut) < 2 or len(cut[0]) > 3:
        return [], body
    rest = [ln for band in cut[1:] for ln in band]
    if _order(rest, size, 1)[1] < 2:
        return [], body
    return top_down(cut[0]), rest


def _join_row_pieces(seg: Segment) -> tuple[Segment, list[list[str]]]:
    """A column's lines with the pieces of one printed line joined: Tesseract sometimes splits
    a justified line at a wide word space into two lines side by side, and the right piece
    would read as an indented line, a new paragraph. The joined line keeps the first id."""
    if seg.spanning:
        return seg, []
    out: list[Line] = []
    joined: list[list[str]] = []
    for ln in seg.lines:
        if out:
            a, b = _box(out[-1]), _box(ln)
            overlap = min(a[3], b[3]) - max(a[1], b[1])
            if b[0] >= a[2] and overlap > 0.5 * min(a[3] - a[1], b[3] - b[1]):
                prev = out[-1]
                out[-1] = Line(prev.id, prev.words + ln.words, union([a, b]), prev.block, prev.par)
                if joined and joined[-1][0] == prev.id:
                    joined[-1].append(ln.id)
                else:
                    joined.append([prev.id, ln.id])
                continue
        out.append(ln)
    return Segment(out, seg.columns, seg.spanning, seg.kind), joined


def _text_columns(run: list[Line], size: float) -> bool:
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


def _below(group: list[Line], lines: list[Line]) -> Line | None:
    """The first line under the group that shares its x-range: the text it would run on into."""
    g = union([_box(x) for x in group])
    ids = {x.id for x in group}
    under = [
        ln
        for ln in lines
        if ln.id not in ids
        and _box(ln)[1] >= g[3] - 2
        and min(_box(ln)[2], g[2]) > max(_box(ln)[0], g[0])
    ]
    return min(under, key=lambda ln: _box(ln)[1], default=None)


def _at_foot(group: list[Line], body: list[Line], size: float) -> bool:
    """Small type with body text over it in its column and none under it: a footnote. Under it
    only text lines count (FOOT_WORDS words or more): a page number or a signature mark at
    the foot of the page leaves a footnote a footnote."""
    g = union([_box(x) for x in group])
    ids = {x.id for x in group}
    over = under = False
    for ln in body:
        if ln.id in ids:
            continue
        b = _box(ln)
        if min(b[2], g[2]) - max(b[0], g[0]) <= 0.3 * min(b[2] - b[0], g[2] - g[0]):
            continue
        over |= b[3] <= g[1]
        words = sum(any(c.isalnum() for c in w.text) for w in ln.words)
        under |= b[1] >= g[3] and words >= FOOT_WORDS
    return over and not under


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
        if _text_columns(run, size):
            segs += order_body(run, size, pics=pics)
        else:
            segs.append(Segment(run))
    return segs


def _mark_footnotes(segs: list[Segment], notes: list[tuple[list[Line], str]]) -> list[Segment]:
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


def _one_column(
    runs: list[list[Line]], keep: set[str], captions: list[list[Line]], size: float, pics
) -> bool:
    """The page, captions included, reads as one column (a book page with a figure)."""
    everything = keep | {ln.id for group in captions for ln in group}
    return count_columns(_tesseract_segments(runs, everything, size, pics)) <= 1


def _captions_in_place(lay: Layout, marked: list[tuple[list[Line], str]], keep: set[str]) -> None:
    """On a one-column page the text reads past the figure, and its caption is read there
    (the book pages' transcriptions have it there): captions stay where Tesseract read them,
    marked, instead of going after the body (a multi-column page's caption belongs to no
    column, and is read after them)."""
    for group in lay.captions:
        marked.append((group, "caption"))
        keep |= {ln.id for ln in group}
    lay.notes = [
        (note.replace("placed after the body", "kept where Tesseract read it (one column)"), ids)
        for note, ids in lay.notes
    ]
    lay.captions = []


def analyse(page: OcrPage, lines: list[Line] | None = None) -> Layout:
    """Split `lines` (default: all of the page's lines) into headline, byline, body, captions.

    The body keeps Tesseract's block order unless `order.choose` finds it wrong."""
    lines = [ln for ln in (page.lines() if lines is None else lines) if ln.words]
    boxed = [ln for ln in lines if ln.box]
    lay = Layout(unplaced=[ln for ln in lines if not ln.box])
    if not boxed:
        return lay
    lines, cut = order.cut_at_gutters(boxed, body_size(boxed))
    for ids in cut:
        lay.notes.append(("line merged across a column gutter: cut at the gutter", ids))
    boxed = lines
    runs = order.block_runs(boxed)
    if cut:
        runs = order.rehome(runs, {ids[1] for ids in cut})
    choice, runs = order.choose(runs)
    lay.order, lay.order_reason = choice.order, choice.reason
    geometry = choice.order == "geometry"
    pitch = pitches(boxed)
    sizes = line_sizes(boxed, pitch)
    size = lay.size = body_size(boxed)
    widths = {ln.id: char_width(ln) for ln in boxed}
    width = statistics.median(widths.values())
    big = [
        ln
        for ln in boxed
        if sizes[ln.id] >= HEADLINE_RATIO * size and widths[ln.id] >= HEADLINE_WIDTH * width
    ]
    big_ids = {ln.id for ln in big}
    body = [ln for ln in boxed if ln.id not in big_ids]
    centres = sorted(_yc(ln) for ln in body) or [page.height / 2]
    near_top = centres[len(centres) // 4]
    lay.headline = top_down([ln for ln in big if _yc(ln) < near_top and not _text_above(ln, body)])
    sequence = [ln.id for run in runs for ln in run]
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

    widths_px = [_box(ln)[2] - _box(ln)[0] for ln in body if len(ln.words) >= 3]
    body_width = statistics.median(widths_px) if widths_px else 0.0
    taken: set[str] = set()
    for pic in pictures(page, size):
        group = _caption_under(pic, [ln for ln in body if ln.id not in taken], size)
        if not group:
            continue
        why = order.caption_evidence(group, _below(group, body), size, body_width, sizes)
        if not why:
            note = "text under a picture kept in the flow: nothing but its place says caption"
            lay.notes.append((note, [x.id for x in group]))
            continue
        parts = _split_credit(group, pic, size)
        for part, what in zip(parts, ("caption", "credit"), strict=False):
            lay.captions.append(part)
            taken |= {ln.id for ln in part}
            note = f"{what} under a picture region placed after the body ({'; '.join(why)})"
            lay.notes.append((note, [x.id for x in part]))
    flow = CAPTION_PITCH * statistics.median(pitch.values()) if pitch else 0.0
    small = [
        ln
        for ln in body
        if sizes[ln.id] <= CAPTION_RATIO * size
        and widths[ln.id] <= CAPTION_WIDTH * width
        and pitch.get(ln.id, 0.0) < flow
        and len(ln.words) > 1
        and ln.id not in taken
    ]
    footnotes: list[tuple[list[Line], str]] = []  # (lines, kind) marked where they stand
    small_ids = {ln.id for ln in small}
    rest = [ln for ln in body if ln.id not in taken and ln.id not in small_ids]
    for group in _group_small(small, size):
        ids = [x.id for x in group]
        if _at_foot(group, rest, size):
            footnotes.append((group, "footnote"))
            note = "footnote: small type at the foot of its column, kept with the column"
            lay.notes.append((note, ids))
            continue
        credit = any(order.CREDIT.match(x.text) for x in group)
        if not geometry and not credit:
            # Tesseract placed it; small type alone does not say where a caption is read
            footnotes.append((group, "caption"))
            lay.notes.append(("caption (small type) marked where Tesseract read it", ids))
            continue
        lay.captions.append(group)
        taken |= set(ids)
        where = "under an empty region" if _empty_above(group, rest, size) else "small type"
        lay.notes.append((f"caption ({where}) placed after the body", ids))
    body = [ln for ln in body if ln.id not in taken]

    pics = tuple(pictures(page, size))
    if geometry:
        lay.byline, body = _byline_band(body, size)
        segs = order_body(body, size, pics=pics)
    else:
        byline, rest = _byline_band(body, size)
        by_ids = {ln.id for ln in byline}
        after_head = [i for i in sequence if i not in head_ids and i not in taken]
        if byline and set(after_head[: len(by_ids)]) == by_ids:
            lay.byline, body = byline, rest
        keep = {ln.id for ln in body}
        runs, pieces = order.gather_pieces(runs, size)
        for ids in pieces:
            note = "piece of a printed line Tesseract put in another block: moved after the rest"
            lay.notes.append((note, ids))
        if lay.captions and _one_column(runs, keep, lay.captions, size, pics):
            _captions_in_place(lay, footnotes, keep)
        segs = _tesseract_segments(runs, keep, size, pics)
    lay.columns = count_columns(segs)
    if geometry and not lay.byline:
        segs, lay.byline = _take_byline(segs, size)
    if lay.byline:
        lay.notes.append(("byline: lines between headline and columns", [x.id for x in lay.byline]))
    segs = _mark_footnotes(segs, footnotes)
    lay.body = []
    for seg in segs:
        seg, joined = _join_row_pieces(seg)
        lay.body.append(seg)
        for ids in joined:
            lay.notes.append(("pieces of one printed line side by side: joined", ids))
    if lay.columns > 1:
        lay.notes.append((f"{lay.columns} columns read left to right", []))
    return lay
