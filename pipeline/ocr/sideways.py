"""Lines set sideways and running downward, read again turned upright.

Tesseract reads a line set on its side well when it runs upward (a photo credit up a
picture's right edge: confidence 74-97) but reads one running downward upside down
(`CTVUH ATIVG AHL` for HERALD DAILY THE, 23-55). Such a line, found by its shape and its
low confidence (`model.sideways`, `model.SIDEWAYS_CONF`), is cut out, turned a quarter
counter-clockwise and read again as one line; the new reading replaces the old only when
Tesseract is sure of it. The turned crop is kept beside `ocr.json` for inspection. Pages
without such a line (nearly all) cost nothing more.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from pipeline.fileio import write_bytes
from pipeline.model import SIDEWAYS_CONF, Box, Line, OcrPage, Word, mean_conf, sideways
from pipeline.ocr.tesseract import run_tesseract
from pipeline.ocr.tsv import parse_tsv
from pipeline.preprocess.encode import grey_png

SINGLE_LINE = 7  # Tesseract's page segmentation mode for one line of text
MARGIN = 0.5  # of the line's width, added round the crop: the letters' full height
# At most this many lines a page are read again, those with the most letters first: a page
# whose noise Tesseract read as dozens of sideways scraps is not worth a run for each.
MAX_LINES = 4


def downward(page: OcrPage) -> list[Line]:
    """The sideways lines Tesseract was unsure of: candidates to read turned upright."""
    found = [ln for ln in page.lines() if sideways(ln) and mean_conf(ln.words) < SIDEWAYS_CONF]
    found.sort(key=lambda ln: -sum(c.isalnum() for c in ln.text))
    return found[:MAX_LINES]


def crop_box(line: Box, width: int, height: int) -> Box:
    """The line's box with a margin round it, inside the page."""
    x0, y0, x1, y1 = line
    pad = max(2, round(MARGIN * (x1 - x0)))
    return max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad)


def back_to_page(box: Box, crop: Box) -> Box:
    """A box in the crop turned a quarter counter-clockwise, as a box on the page: the turned
    crop's x runs down the page, its y runs right to left."""
    u0, v0, u1, v1 = box
    cx0, cy0, cx1, _ = crop
    w = cx1 - cx0
    return cx0 + w - v1, cy0 + u0, cx0 + w - v0, cy0 + u1


def reread(
    image: Path, page: OcrPage, out_dir: Path, lang: str, timeout: float, dpi: float
) -> tuple[OcrPage, list[str]]:
    """The page with each downward line read again upright where that reading is sure;
    returns the page and the ids of the lines replaced."""
    for stale in out_dir.glob("sideways-*.png"):  # from an earlier run of this page
        stale.unlink()
    lines = downward(page)
    if not lines:
        return page, []
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        return page, []
    height, width = grey.shape
    replaced: dict[str, Line] = {}
    for ln in lines:
        assert ln.box is not None  # sideways() holds only for boxed lines
        crop = crop_box(ln.box, width, height)
        turned = np.ascontiguousarray(
            cv2.rotate(grey[crop[1] : crop[3], crop[0] : crop[2]], cv2.ROTATE_90_COUNTERCLOCKWISE)
        )
        path = out_dir / f"sideways-{ln.id}.png"
        write_bytes(path, grey_png(turned, dpi))
        again = parse_tsv(run_tesseract(path, lang, SINGLE_LINE, timeout)).words()
        if not again or mean_conf(again) < SIDEWAYS_CONF or mean_conf(again) <= mean_conf(ln.words):
            continue
        words = [
            Word(f"{ln.id}.w{k + 1}", w.text, back_to_page(w.box, crop) if w.box else None, w.conf)
            for k, w in enumerate(again)
        ]
        # Tesseract lists the turned words left to right: top to bottom down the page
        replaced[ln.id] = replace(ln, words=words)
    if not replaced:
        return page, []
    blocks = [replace(b, lines=[replaced.get(ln.id, ln) for ln in b.lines]) for b in page.blocks]
    return replace(page, blocks=blocks), list(replaced)
