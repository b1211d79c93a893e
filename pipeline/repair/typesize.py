"""Type size from the line boxes: what every layout decision measures against.

Type size is estimated per line from word box heights corrected for the letters in the word
(`mama` has no ascenders or descenders, `Judge` has both), capped by the line's pitch: on
degraded pages Tesseract may give every word of a line a box as tall as the line pitch, and a
line cannot be bigger than its distance from the next line of its column allows (LEADING).
The body size is the median of the lines near the page's median. Character width (word box
width per letter) is a second size clue that a box inflated in height leaves alone.
"""

from __future__ import annotations

import statistics

import numpy as np

from pipeline.model import Box, Line, Word, union, x_overlap

ASCENDERS = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'\"()[]/!?&%$£§")


DESCENDERS = set("gjpqy,;()[]")


LEADING = 1.1  # the least line pitch, in type sizes, of lines set one under the other
# Proportions of book and news faces (Times, Liberation Serif, Century): the full size,
# ascender to descender, is FULL_PER_X x-heights; a word with an ascender stands
# ASCENDER_PART x-heights taller than its x-height, one with a descender DESCENDER_PART.
FULL_PER_X = 1.75
ASCENDER_PART = 0.45
DESCENDER_PART = 0.3
# Two lines share a row when they overlap in y by more than this share of the shorter one's
# height; less, and a tall word box (a capital, a bracket) is only reaching into the next line.
ROW_OVERLAP = 0.5
# One line over another in one column shares at least this share of the wider one's width.
COLUMN_SHARE = 0.5
# Line sizes within these multiples of the page's median are the body face; headlines and
# small type fall outside and must not pull the body size.
BODY_BAND = (0.7, 1.4)


def line_box(line: Line) -> Box:
    assert line.box is not None
    return line.box


def _word_size(word: Word) -> float | None:
    """A word's full type size from its box height, corrected for the letters in it."""
    if not word.box or not any(c.isalnum() for c in word.text):
        return None  # a speck or a dash: its box says nothing about the type
    units = 1.0 + ASCENDER_PART * any(c in ASCENDERS for c in word.text)
    units += DESCENDER_PART * any(c in DESCENDERS for c in word.text)
    return (word.box[3] - word.box[1]) * FULL_PER_X / units


def line_size(line: Line) -> float:
    """Estimated full type size (ascender to descender) of a line from its word boxes."""
    sizes = [s for s in map(_word_size, line.words) if s is not None]
    if sizes:
        return statistics.median(sizes)
    b = line_box(line)
    return float(b[3] - b[1])


def pitches(lines: list[Line]) -> dict[str, float]:
    """Distance from each line to the nearest line above or below it in its column (centre to
    centre), for lines that have one close by (within twice the taller one's height).

    Neighbours share COLUMN_SHARE of the wider line's width and are not on one row
    (ROW_OVERLAP); all pairs at once, with numpy: pages have hundreds of lines.
    """
    boxed = [ln for ln in lines if ln.box]
    if len(boxed) < 2:
        return {}
    b = np.array([line_box(ln) for ln in boxed], dtype=np.float64)
    x0, y0, x1, y1 = (b[:, i] for i in range(4))
    shared = np.minimum.outer(x1, x1) - np.maximum.outer(x0, x0)
    overlap = np.minimum.outer(y1, y1) - np.maximum.outer(y0, y0)
    wide = np.maximum.outer(x1 - x0, x1 - x0)
    tall = np.maximum.outer(y1 - y0, y1 - y0)
    short = np.minimum.outer(y1 - y0, y1 - y0)
    yc = (y0 + y1) / 2
    d = np.abs(np.subtract.outer(yc, yc))
    ok = (shared >= COLUMN_SHARE * wide) & (overlap < ROW_OVERLAP * short) & (d <= 2 * tall)
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
        b = line_box(line)
        return (b[2] - b[0]) / max(1, len(line.text))
    return sum(w.box[2] - w.box[0] for w in words if w.box) / chars


def body_size(lines: list[Line]) -> float:
    """Median type size of the lines near the page's median: the body face."""
    return body_of(list(line_sizes(lines).values()))


def body_of(sizes: list[float]) -> float:
    """The body size from line sizes already measured (`line_sizes`)."""
    if not sizes:
        return 0.0
    med = statistics.median(sizes)
    core = [s for s in sizes if BODY_BAND[0] * med <= s <= BODY_BAND[1] * med]
    return statistics.median(core) if core else med


def y_centre(line: Line) -> float:
    b = line_box(line)
    return (b[1] + b[3]) / 2


def top_down(lines: list[Line]) -> list[Line]:
    """Top to bottom; lines side by side on one row (overlapping in y) left to right. Lines
    one over the other in x are never one row, however much a tall word box makes them
    overlap in y."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=y_centre):
        b = line_box(ln)
        if rows:
            r = union([line_box(x) for x in rows[-1]])
            overlap = min(b[3], r[3]) - max(b[1], r[1])
            beside = all(x_overlap(b, line_box(x)) <= 0 for x in rows[-1])
            if beside and overlap > ROW_OVERLAP * min(b[3] - b[1], r[3] - r[1]):
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda x: line_box(x)[0])]
