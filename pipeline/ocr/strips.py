"""A page whose columns Tesseract ran together at every resolution it was told, read a column
at a time: cut at the gutters its first reading shows, each strip read on its own.

Tesseract's layout analysis can miss a gutter however the page is stated (typewritten pages
set side by side, a broadsheet beside a page with a picture: bench.stress `cols3` and `pic2`),
and then reads a line of one column on into the next. The first reading already shows where:
the wide spaces inside its run-together lines stand one over another at the gutter, and no
word Tesseract is sure of crosses it anywhere on the page. Cut there from top to bottom, each
strip holds one column (or a narrower layout of its own) and Tesseract reads it as such.

A cut runs the page's full height, so it is made only where nothing sure crosses it: a
headline over two columns, or any word set across the gutter, stops it. Only pages still in
doubt after the rereads at other resolutions (`columns`) are cut, and the cut reading is kept
when it holds as many sure words and Tesseract is as sure of it (`columns._weighed`).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from pipeline.errors import PageError
from pipeline.fileio import write_bytes
from pipeline.model import Block, Box, Line, OcrPage, Word
from pipeline.ocr.sideways import shifted
from pipeline.ocr.spaces import allowed_space, spaced_words, word_space
from pipeline.preprocess.encode import grey_png

# A cut is made where enough lines hold a gutter-wide space over the same x (the caller's
# measures of a page in doubt, `columns.GAP_LINES` and `columns.DOUBT_LINES`)...
# ...and no word Tesseract is this sure of crosses it (picture texture read as letters, 0-40,
# does not stop a cut through the picture).
CROSS_CONF = 50.0
# A line whose sure words are set a word space apart across the gutter (`spaces`: a headline
# over two columns) is set across it, and stops a cut as its words do.
STRIP = "columns-{}.png"  # each strip kept beside ocr.json for inspection


def gutters(page: OcrPage, gap_lines: float, min_lines: int) -> list[int]:
    """Where to cut the page: the middle of each band of x that `min_lines` run-together
    lines or more leave empty (a space of `gap_lines` line heights or more) and no sure word
    crosses, nor a word space between sure words (one cut to bands closer than a gutter's
    width)."""
    lines = [ln for ln in page.lines() if ln.box]
    if not lines or page.width <= 0:
        return []
    height = statistics.median(ln.box[3] - ln.box[1] for ln in lines)  # type: ignore[index]
    gutter = gap_lines * height
    words, gaps = zip(*(spaced_words(ln) for ln in lines), strict=True)
    space = word_space(list(gaps), gutter)
    wide = np.zeros(page.width + 1, np.int32)
    crossed = np.zeros(page.width + 1, np.int32)
    for ln, ws, gs in zip(lines, words, gaps, strict=True):
        own = allowed_space(space, ln.box[3] - ln.box[1], height)  # type: ignore[index]
        for k, w in enumerate(ws):
            if _sure(w):
                crossed[max(0, w.box[0]) : w.box[2]] += 1  # type: ignore[index]
            if not k:
                continue
            x0, x1 = ws[k - 1].box[2], w.box[0]  # type: ignore[index]
            if gs[k - 1] >= gutter:
                wide[max(0, x0) : x1] += 1
            elif gs[k - 1] <= own and _sure(w) and _sure(ws[k - 1]):
                crossed[max(0, x0) : x1] += 1
    free = (wide >= min_lines) & (crossed == 0)
    bands = _runs(free)
    groups: list[list[tuple[int, int]]] = []
    for band in bands:
        if groups and band[0] - groups[-1][-1][1] < gutter:
            groups[-1].append(band)
        else:
            groups.append([band])
    cuts = []
    for group in groups:
        x0, x1 = max(group, key=lambda r: r[1] - r[0])
        cuts.append((x0 + x1) // 2)
    return [x for x in cuts if 0 < x < page.width]


def _sure(word: Word) -> bool:
    return word.conf is not None and word.conf >= CROSS_CONF


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The [start, end) runs of True in a 1-D mask."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]


def read_strips(
    image: Path, cuts: list[int], out_dir: Path, dpi: float, read: Callable[[Path], OcrPage]
) -> OcrPage:
    """The page read strip by strip, left to right, its boxes put back on the page; raises
    PageError when a strip cannot be read."""
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        raise PageError(f"{image}: cannot be read to cut into columns")
    height, width = grey.shape
    edges = [0, *cuts, width]
    readings = []
    for k, (x0, x1) in enumerate(zip(edges, edges[1:], strict=False)):
        path = out_dir / STRIP.format(k + 1)
        write_bytes(path, grey_png(np.ascontiguousarray(grey[:, x0:x1]), dpi))
        readings.append((x0, read(path)))
    return joined(readings, width, height)


def joined(readings: list[tuple[int, OcrPage]], width: int, height: int) -> OcrPage:
    """Readings of strips starting at the given x, as one page: boxes shifted back, blocks in
    strip order, ids numbered afresh as Tesseract's would be."""
    blocks: list[Block] = []
    regions: list[Box] = []
    n_lines = n_words = 0
    for x0, page in readings:
        regions += [shifted(r, (x0, 0, x0, 0)) for r in page.regions]
        for block in page.blocks:
            bid = f"b{len(blocks) + 1}"
            lines = []
            for ln in block.lines:
                words = []
                for w in ln.words:
                    n_words += 1
                    words.append(Word(f"w{n_words}", w.text, _moved(w.box, x0), w.conf))
                n_lines += 1
                par = bid + ln.par[len(ln.block) :] if ln.par.startswith(ln.block) else ln.par
                lines.append(Line(f"l{n_lines}", words, _moved(ln.box, x0), bid, par))
            blocks.append(Block(bid, lines, _moved(block.box, x0)))
    return OcrPage(width, height, blocks, regions)


def _moved(box: Box | None, x0: int) -> Box | None:
    """A box in the strip starting at x0, as a box on the page."""
    return None if box is None else shifted(box, (x0, 0, x0, 0))
