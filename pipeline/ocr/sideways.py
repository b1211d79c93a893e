"""Lines that Tesseract took for text set sideways and read unsure, read again two ways.

Tesseract reads a line set on its side well when it runs upward (a photo credit up a
picture's right edge: confidence 74-97) but reads one running downward upside down
(`CTVUH ATIVG AHL` for HERALD DAILY THE, 23-55); and it makes one tall "line" of upright
marks stacked one over another (the numbers 1. to 8. of a list down a book's margin: `SAA Ee
WS Nw`, 29). Such a line, found by its shape and its low confidence (`model.sideways`,
`model.SIDEWAYS_CONF`), is cut out and read again twice: turned a quarter counter-clockwise
as one line, and as it stands as a block of upright lines. The surer reading replaces it
when Tesseract is sure of it; the cuts are kept beside `ocr.json` for inspection. Pages
without such a line (nearly all) cost nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from pipeline.errors import PageError
from pipeline.fileio import write_bytes
from pipeline.model import (
    SIDEWAYS_CONF,
    Box,
    Line,
    OcrPage,
    Word,
    mean_conf,
    same_row,
    sideways,
    union,
    x_overlap,
)
from pipeline.ocr.tesseract import run_tesseract
from pipeline.ocr.tsv import parse_tsv
from pipeline.preprocess.encode import grey_png

SINGLE_LINE = 7  # Tesseract's page segmentation mode for one line of text
MARGIN = 0.5  # of the line's width, added round the crop: the letters' full height
# At most this many lines a page are read again, those with the most letters first: a page
# whose noise Tesseract read as dozens of sideways scraps is not worth a run for each.
MAX_LINES = 4
# Seconds a second look may take (a line's cut reads in well under one): a Tesseract hung on
# a cut must not hold the page for the page's own timeout eight times over.
LOOK_SECONDS = 30.0
STACK_BLOCK = 6  # Tesseract's mode for one uniform block of text: the marks of a stack
STACK_PAD = 4  # pixels beside a stack: the text it numbers starts close by
# A mark of a stack is seated in the line whose box shares this much of its height and starts
# beside it (at most SEAT_GAP of its height to its right): the row it numbers.
ROW_OVERLAP = 0.5
SEAT_GAP = 2.0


def unsure_sideways(page: OcrPage) -> list[Line]:
    """The lines taken for text set sideways that Tesseract was unsure of: to read again."""
    found = [ln for ln in page.lines() if sideways(ln) and mean_conf(ln.words) < SIDEWAYS_CONF]
    found.sort(key=lambda ln: -sum(c.isalnum() for c in ln.text))
    return found[:MAX_LINES]


def crop_box(line: Box, width: int, height: int, pad_x: int, pad_y: int) -> Box:
    """The line's box with a margin round it, inside the page."""
    x0, y0, x1, y1 = line
    return max(0, x0 - pad_x), max(0, y0 - pad_y), min(width, x1 + pad_x), min(height, y1 + pad_y)


def back_to_page(box: Box, crop: Box) -> Box:
    """A box in the crop turned a quarter counter-clockwise, as a box on the page: the turned
    crop's x runs down the page, its y runs right to left."""
    u0, v0, u1, v1 = box
    cx0, cy0, cx1, _ = crop
    w = cx1 - cx0
    return cx0 + w - v1, cy0 + u0, cx0 + w - v0, cy0 + u1


def shifted(box: Box, crop: Box) -> Box:
    """A box in an upright cut of the page, as a box on the page."""
    return box[0] + crop[0], box[1] + crop[1], box[2] + crop[0], box[3] + crop[1]


@dataclass(frozen=True)
class CutReader:
    """One small Tesseract run on a cut of the page, the cut kept beside `ocr.json`."""

    out_dir: Path
    dpi: float
    lang: str
    timeout: float

    def read(self, cut: np.ndarray, name: str, psm: int) -> OcrPage:
        """Tesseract's reading of the cut; an empty page when it fails on it: a second look
        that goes wrong must not cost the page the reading it has."""
        path = self.out_dir / name
        write_bytes(path, grey_png(np.ascontiguousarray(cut), self.dpi))
        try:
            return parse_tsv(run_tesseract(path, self.lang, psm, self.timeout))
        except PageError:
            return OcrPage(0, 0, [])


def _margin(box: Box) -> int:
    """Room round a sideways line: its letters' full height across it, and as much along it."""
    return max(2, round(MARGIN * (box[2] - box[0])))


def _turned(ln: Line, box: Box, grey: np.ndarray, reader: CutReader) -> list[Line]:
    """The line read as text running downward: turned upright, one line."""
    pad = _margin(box)
    crop = crop_box(box, grey.shape[1], grey.shape[0], pad, pad)
    cut = cv2.rotate(grey[crop[1] : crop[3], crop[0] : crop[2]], cv2.ROTATE_90_COUNTERCLOCKWISE)
    read = reader.read(cut, f"sideways-{ln.id}-turned.png", SINGLE_LINE).words()
    words = [  # left to right once turned: down the page
        Word(f"{ln.id}.w{k + 1}", w.text, back_to_page(w.box, crop) if w.box else None, w.conf)
        for k, w in enumerate(read)
    ]
    return [replace(ln, words=words)] if words else []


def _upright(ln: Line, box: Box, grey: np.ndarray, reader: CutReader) -> list[Line]:
    """The line read as a stack of upright marks, one over another (the numbers of a list
    down a margin, which Tesseract put in one tall line): each a line of its own."""
    crop = crop_box(box, grey.shape[1], grey.shape[0], STACK_PAD, _margin(box))
    cut = grey[crop[1] : crop[3], crop[0] : crop[2]]
    out = []
    for k, read in enumerate(
        reader.read(cut, f"sideways-{ln.id}-upright.png", STACK_BLOCK).lines()
    ):
        lid = f"{ln.id}.{k + 1}"
        words = [
            Word(f"{lid}w{j + 1}", w.text, shifted(w.box, crop) if w.box else None, w.conf)
            for j, w in enumerate(read.words)
        ]
        boxes = [w.box for w in words if w.box]
        out.append(Line(lid, words, union(boxes) if boxes else None, ln.block, ln.par))
    return out


def _row_of(mark: Line, lines: list[Line]) -> Line | None:
    """The line that `mark` (one mark of a stack) begins: on its row, starting beside it."""
    assert mark.box is not None
    mx0, my0, mx1, my1 = mark.box
    rows = []
    for ln in lines:
        if ln.box is None:
            continue
        x0, _, x1, _ = ln.box
        beside = x0 >= mx0 and x1 > mx1 and x0 - mx1 <= SEAT_GAP * (my1 - my0)
        if beside and same_row(mark.box, ln.box, ROW_OVERLAP):
            rows.append((x0, ln))
    return min(rows, key=lambda r: r[0])[1] if rows else None  # the nearest to the mark


def _seat(marks: list[Line], lines: list[Line]) -> tuple[dict[str, Line], list[Line]]:
    """Each stacked mark put at the start of the line it begins (`1.` before `Caroline
    Horton, born ...`), dropping a lone mark that line opened with under it (the number's full
    stop, read a second time with the row); returns the lines changed, by id, and the marks
    that begin no line."""
    seated: dict[str, Line] = {}
    left: list[Line] = []
    for mark in marks:
        row = _row_of(mark, [seated.get(ln.id, ln) for ln in lines])
        if row is None or mark.box is None or row.box is None:
            left.append(mark)
            continue
        words = row.words
        first = words[0]
        if (
            len(first.text) <= 2
            and not any(c.isalnum() for c in first.text)
            and first.box is not None
            and x_overlap(first.box, mark.box) > 0
        ):
            words = words[1:]
        seated[row.id] = replace(row, words=mark.words + words, box=union([mark.box, row.box]))
    return seated, left


def reread(
    image: Path, page: OcrPage, out_dir: Path, lang: str, timeout: float, dpi: float
) -> tuple[OcrPage, list[str]]:
    """The page with each unsure sideways line read again, as text running downward and as a
    stack of upright marks; the surer reading replaces it when Tesseract is sure of it.
    Returns the page and the ids of the lines replaced."""
    for stale in out_dir.glob("sideways-*.png"):  # from an earlier run of this page
        stale.unlink()
    lines = unsure_sideways(page)
    if not lines:
        return page, []
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        return page, []
    reader = CutReader(out_dir, dpi, lang, min(timeout, LOOK_SECONDS))
    replaced: dict[str, list[Line]] = {}
    stacks: list[str] = []  # lines whose best reading is a stack of upright marks
    for ln in lines:
        assert ln.box is not None  # sideways() holds only for boxed lines
        best, best_conf, best_way = None, max(mean_conf(ln.words), SIDEWAYS_CONF - 1e-9), None
        for way in (_turned, _upright):
            reading = way(ln, ln.box, grey, reader)
            conf = mean_conf([w for r in reading for w in r.words])
            if reading and conf > best_conf:
                best, best_conf, best_way = reading, conf, way
        if best is not None:
            replaced[ln.id] = best
            if best_way is _upright:
                stacks.append(ln.id)
    if not replaced:
        return page, []
    marks = [m for lid in stacks for m in replaced[lid]]
    rows = [ln for ln in page.lines() if ln.id not in replaced]
    seated, left = _seat(marks, rows)
    kept = {m.id for m in left}
    for lid in stacks:
        replaced[lid] = [m for m in replaced[lid] if m.id in kept]
    blocks = [
        replace(
            b, lines=[x for ln in b.lines for x in replaced.get(ln.id, [seated.get(ln.id, ln)])]
        )
        for b in page.blocks
    ]
    blocks = [b for b in blocks if b.lines]
    return replace(page, blocks=blocks), list(replaced)
