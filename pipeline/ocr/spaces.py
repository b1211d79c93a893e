"""The page's word space, as Tesseract's own reading shows it: what tells a space between
words of one line from a gutter between columns.

Used where a reading's pieces must be judged as set across a gap or apart: a cut through the
page (`strips`), a line read again joined to a line on its row (`unread`).
"""

from __future__ import annotations

import statistics

from pipeline.model import Line, Word

# A space no wider than this many times the page's median word space (scaled up for a line in
# larger type) is a word space; wider is a gutter or a table's column.
SPACE_SPREAD = 2.0


def spaced_words(line: Line) -> tuple[list[Word], list[int]]:
    """The line's words holding a letter or figure (with boxes), and the spaces between them."""
    words = [w for w in line.words if w.box and any(c.isalnum() for c in w.text)]
    gaps = [b.box[0] - a.box[2] for a, b in zip(words, words[1:], strict=False)]  # type: ignore[index]
    return words, gaps


def word_space(gaps: list[list[int]], cap: float) -> float:
    """The median space between words over the lines' spaces narrower than `cap` (a gutter's
    width); 0.0 when there is none."""
    spaces = [g for gs in gaps for g in gs if 0 < g < cap]
    return statistics.median(spaces) if spaces else 0.0


def allowed_space(space: float, line_height: float, page_height: float) -> float:
    """The widest word space in a line of this height: SPACE_SPREAD page spaces, scaled up for
    larger type (a headline spaces its words wider)."""
    return SPACE_SPREAD * space * max(1.0, line_height / page_height)
