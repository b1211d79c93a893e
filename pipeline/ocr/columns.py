"""A page whose columns Tesseract ran together, read a second time at another stated resolution.

Tesseract finds a page's columns (tab stops, gutters) with thresholds set in inches, so its
layout depends on the resolution it is told, and not smoothly: the multi-column development
page `multicol_01` reads right told 96, 120-170 or 210-300 dpi and runs its main column into
its sidebar told 191 (CER 46 % against 9 %); the same page at twice the pixels is read right
told 250 or 400 dpi and runs together told 150, 200 or 300. Plain Tesseract has the same luck,
and stage 3 cannot undo it: the merged lines carry both columns' words.

The evidence is cheap and in the first reading: a page whose columns ran together has many
lines with a word space wider than GAP_LINES line heights (the gutter inside the line), and
those lines carry running text on one side at least (a column's line of prose: a median of 6-7
words on the longer side in the two failed readings). A table, a form or a list read row by row
has such spaces too, between short cells (`multicol_03`'s tables: a median of 3 words): its
rows are not columns run together, and a second reading that split them into columns would be
worse, so it is not read again. Only pages in doubt are read again, told RE_DPI times the
resolution, and the reading with clearly fewer such lines, about as many sure words and about as
sure a reading is kept. When it is not, the page is read a third time told OWN_DPI, where
Tesseract estimates the resolution itself and scales its layout thresholds from 70 dpi, and
that reading is weighed the same way. When neither is kept, the page is cut at the gutters
the first reading shows and read a strip at a time (`strips`, `_cut`). Of the 125
development pages none is read twice.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.errors import PageError
from pipeline.model import OcrPage, reading_confs
from pipeline.ocr import strips

GAP_LINES = 3.0  # a space this many line heights wide inside a line: a gutter, not a word space
# A page is in doubt when at least DOUBT_LINES of its lines, and DOUBT_SHARE of those with two
# words or more, hold such a space (failed readings 14-15 of 57-58 lines; right readings of
# the same page 0-4 of 67-70; every other development page under 0.19)...
DOUBT_LINES = 8
DOUBT_SHARE = 0.15
# ...and the longer side of those lines holds a median of at least this many words: prose, not
# a table's cells (see the module docstring).
PROSE_WORDS = 5
# The second reading is told this many times the first's resolution (4/3 read both failures
# above right: 191 -> 255 and 300 -> 400 dpi; 3/4 only the first).
RE_DPI = 4 / 3
# ...and kept only if it has at most this share of the first's lines with a gutter in them,
KEEP_SHARE = 0.5
# and at least this share of its sure words (confidence SURE_CONF or more): a layout bought by
# losing words is no better (7-px type stated at 250 dpi: 4 of 79 lines run together told 333
# against 12 of 45, but 360 sure words against 394 and word F1 66.3 against 72.4 %; the two
# failures above kept 97-99 %). Sure words, not all: a reading with columns run together also
# reads junk across the gutter and the picture beside it (typewritten pages beside others,
# bench.stress `cols2` and `pic2`: 215 words against 188 read right, but 157 sure against
# 156, word F1 85.0 against 91.3 %; 601 against 508, 485 sure against 473, word F1 81.0 against
# 96.0 %). Counted from confidence 60 instead, the second page keeps its worse reading (525
# against 491); of 20 readings in doubt (stress, scale and composite pages), none keeps one
# over 1.2 points of word F1 worse than the other counted from 80.
KEEP_WORDS = 0.95
SURE_CONF = 80.0
# ...and Tesseract no less sure of it, its mean word confidence at most this much lower: a
# blurred typewritten page read sharpened (`ocr/soft.py`) looked run together told 300 dpi and
# was read told 400 with fewer such lines, mean confidence 71.6 -> 66.1 and word F1 63.6 ->
# 53.6 %; `multicol_01` told 191 dpi, read right told 255, rose 89.8 -> 91.9.
KEEP_CONF_DROP = 1.0
# When the second reading is not kept, a third is told this, the lowest resolution Tesseract
# credits: it then estimates the page's own from its letters, as plain `tesseract` does for a
# file that states none, and sets its layout thresholds in inches from 70 dpi. A book page
# with a halftone picture set into its first column (bench.stress `pic2`, `oldbooks_f030`)
# ran its two columns together told 200-400 dpi (CER 69.5 %) and read them apart told 70 or
# 100 (1.6 %), as plain Tesseract did. Kept on the same terms as the second.
OWN_DPI = 70
# When that is not kept either, the page is cut at its gutters and read a strip at a time
# (`strips`), and cut once more where that reading shows another gutter: three typewritten
# reports side by side whose first reading showed one of their two gutters (bench.stress
# `cols3`) read CER 17.9 % cut once, 4.3 % cut at both (plain Tesseract 3.5).
CUT_ROUNDS = 2


@dataclass(frozen=True)
class Spread:
    """How many lines (of two words or more) hold a gutter-wide space, and the median count of
    words on the longer side of that space."""

    wide: int
    lines: int
    prose: float = 0.0

    @property
    def share(self) -> float:
        return self.wide / self.lines if self.lines else 0.0

    def in_doubt(self) -> bool:
        return self.wide >= DOUBT_LINES and self.share >= DOUBT_SHARE and self.prose >= PROSE_WORDS


def spread(page: OcrPage) -> Spread:
    """Lines with a space wider than GAP_LINES median line heights between two words, and how
    many words stand on the longer side of it."""
    lines = [ln for ln in page.lines() if ln.box]
    if not lines:
        return Spread(0, 0)
    height = statistics.median(ln.box[3] - ln.box[1] for ln in lines)  # type: ignore[index]
    counted = 0
    longer: list[int] = []
    for ln in lines:
        boxes = [w.box for w in ln.words if w.box and any(c.isalnum() for c in w.text)]
        if len(boxes) < 2:
            continue
        counted += 1
        gaps = [b[0] - a[2] for a, b in zip(boxes, boxes[1:], strict=False)]
        at = max(range(len(gaps)), key=gaps.__getitem__)
        if gaps[at] >= GAP_LINES * height:
            longer.append(max(at + 1, len(boxes) - at - 1))
    return Spread(len(longer), counted, statistics.median(longer) if longer else 0.0)


def reread(
    page: OcrPage,
    dpi: float,
    read: Callable[[int], OcrPage],
    read_cut: Callable[[list[int]], OcrPage] | None = None,
) -> tuple[OcrPage, dict[str, object] | None]:
    """The page, read again by `read(dpi)` when its columns look run together, and last cut
    at its gutters and read a strip at a time by `read_cut(cuts)`; the reading kept and a
    record of the choice (None when the page was not in doubt)."""
    first = spread(page)
    if not first.in_doubt():
        return page, None
    again_dpi = round(dpi * RE_DPI)
    record: dict[str, object] = {
        "why": (
            f"{first.wide} of {first.lines} lines hold a space over {GAP_LINES:g} line "
            f"heights wide, {first.prose:g} words on its longer side: columns run together?"
        ),
        "dpi": round(dpi),
        "reread_dpi": again_dpi,
    }
    try:
        again = read(again_dpi)
    except PageError as e:  # a second look that fails leaves the page as first read
        return page, {**record, "reread_failed": str(e), "kept": "first"}
    keep, weighed = _weighed(page, first, again)
    record |= {"reread_wide": weighed.pop("wide"), **weighed}
    if keep:
        return again, {**record, "kept": "reread"}
    record["kept"] = "first"
    try:
        own = read(OWN_DPI)
    except PageError as e:
        return page, {**record, "estimated": {"dpi": OWN_DPI, "failed": str(e)}}
    keep, weighed = _weighed(page, first, own)
    record["estimated"] = {"dpi": OWN_DPI, **weighed}
    if keep:
        return own, {**record, "kept": "estimated"}
    if read_cut is None:
        return page, record
    kept, tried = _cut(page, first, read_cut)
    if tried:
        record["cut"] = tried
    if kept is not None:
        return kept, {**record, "kept": "cut"}
    return page, record


def _cut(
    page: OcrPage, first: Spread, read_cut: Callable[[list[int]], OcrPage]
) -> tuple[OcrPage | None, list[dict[str, object]]]:
    """The reading of the page cut at its gutters, if one is kept, and a record of each cut
    tried: where the strips' reading shows a gutter the first did not (three columns, two
    still run together in one strip), the page is cut there too and read once more."""
    cuts = strips.gutters(page, GAP_LINES, DOUBT_LINES)
    kept: OcrPage | None = None
    tried: list[dict[str, object]] = []
    for _ in range(CUT_ROUNDS):
        if not cuts:
            break
        try:
            reading = read_cut(cuts)
        except PageError as e:
            tried.append({"at": cuts, "failed": str(e)})
            break
        keep, weighed = _weighed(page, first, reading, apart=True)
        tried.append({"at": cuts, **weighed})
        if not keep:
            break
        kept = reading
        more = [x for x in strips.gutters(reading, GAP_LINES, DOUBT_LINES) if x not in cuts]
        cuts = sorted(cuts + more) if more else []
    return kept, tried


def _weighed(
    page: OcrPage, first: Spread, again: OcrPage, apart: bool = False
) -> tuple[bool, dict[str, object]]:
    """Whether reading `again` is kept over the first: clearly fewer lines run together
    (unless its columns were read `apart`, cut at the gutters), about as many sure words,
    Tesseract about as sure; and the figures it was judged on."""
    second = spread(again)
    sure = [_sure_words(p) for p in (page, again)]
    confs = reading_confs(page, again)
    keep = (
        (apart or second.share <= KEEP_SHARE * first.share)
        and sure[1] >= KEEP_WORDS * sure[0]
        and confs[1] >= confs[0] - KEEP_CONF_DROP
    )
    return keep, {
        "wide": f"{second.wide} of {second.lines}",
        "words": [len(page.words()), len(again.words())],
        "sure_words": sure,
        "mean_conf": confs,
    }


def _sure_words(page: OcrPage) -> int:
    return sum(1 for w in page.words() if w.conf is not None and w.conf >= SURE_CONF)
