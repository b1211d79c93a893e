"""A page whose ink edges are soft, read again sharpened; the reading with most sure words kept.

A blurred scan (a soft lens, microfilm, a photograph of a page) can defeat Tesseract: its
strokes run together and thin ones fade. Sharpening (an unsharp mask) mends many such pages
(blurred development pages: a book page 26 -> 98 % word F1, a newspaper page 48 -> 87 %, a
typewritten report 10 -> 56 %) but costs sharp pages a little (typewritten development pages
-0.3 to -2.6 points), and no measure of the image alone tells the two apart closely enough.
So stage 1 measures how steep the page's edges are (`measure.edge_sharpness`), and only a page
softer than every development scan is read again: sharpened, and sharpened with Tesseract's
own local (adaptive Otsu) threshold. Tesseract finds lines on a thresholded copy, and its one
global threshold suits a blurred page badly: its grey ink fattens into blobs at a threshold
taken far up the grey (a blurred broadsheet whose dark scan edge stage 1 painted out: 189
where the scan as it came gave 162; half its words lost). Each reading is weighed by the sum
of its words' confidences, about how many words it is expected to have right: a mean would
favour a reading that leaves the hard words out. A later reading is kept only when that sum
is over KEEP_MARGIN higher and Tesseract not much less sure of its words on average
(KEEP_CONF_DROP). The sharpened image is kept beside `ocr.json` for inspection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2

from pipeline.errors import PageError
from pipeline.fileio import write_bytes
from pipeline.model import OcrPage, reading_confs
from pipeline.preprocess.encode import grey_png
from pipeline.preprocess.sharpen import sharpened

# Edge sharpness (stage 1's `edge_sharpness`) under which a page is read again. The
# development scans measure 0.27-0.56; the blurred readings sharpening helped by more than 5
# points measured 0.10-0.31, but between 0.25 and 0.31 sharp scans read as well unsharpened.
SOFT_EDGES = 0.25
# A later reading replaces the one kept so far when the sum of its word confidences is this
# share higher (with no margin the choice followed noise where two readings nearly tie)...
KEEP_MARGIN = 0.01
# ...and its mean word confidence is at most this many points lower: a sum also grows with
# junk read as words (a blurred typewritten page read with the adaptive threshold: 83 words at
# a mean of 63 against 46 at 86, word F1 76 against 93 %), while the readings that were right
# fell by at most 2.1 points (a blurred report, 77.6 -> 75.5, word F1 63 -> 76 %).
KEEP_CONF_DROP = 3.0
IMAGE = "sharpened.png"
ADAPTIVE = ("thresholding_method=1",)  # Tesseract 5's adaptive (tiled) Otsu
# The readings of a soft page, in the order they are weighed: (name, sharpened, config).
READINGS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("first", False, ()),
    ("sharpened", True, ()),
    ("sharpened-adaptive", True, ADAPTIVE),
)

Reader = Callable[[Path, tuple[str, ...]], OcrPage]


def reread(
    image: Path,
    page: OcrPage,
    sharpness: float | None,
    dpi: float,
    out_dir: Path,
    read: Reader,
) -> tuple[OcrPage, Path, tuple[str, ...], dict[str, object] | None]:
    """The page read again when its edges are soft: the reading kept, the image and the
    Tesseract settings it came from (for any further reading of the page), and a record of
    the choice (None when the page was not soft)."""
    again_image = out_dir / IMAGE
    again_image.unlink(missing_ok=True)  # from an earlier run of this page
    if sharpness is None or sharpness >= SOFT_EDGES:
        return page, image, (), None
    record: dict[str, object] = {
        "why": f"edge sharpness {sharpness:g} < {SOFT_EDGES:g}: soft, read again sharpened"
    }
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        record |= {"reread_failed": f"{image}: not readable", "kept": "first"}
        return page, image, (), record
    write_bytes(again_image, grey_png(sharpened(grey), dpi))
    kept = (READINGS[0][0], page, image, ())
    weights = {kept[0]: sure_words(page)}
    confs = {kept[0]: reading_confs(page)[0]}
    failed: list[str] = []
    for name, sharp, config in READINGS[1:]:
        source = again_image if sharp else image
        try:
            again = read(source, config)
        except PageError as e:  # a further look that fails leaves the page as read before
            failed.append(str(e))
            continue
        weights[name], confs[name] = sure_words(again), reading_confs(again)[0]
        if (
            weights[name] > weights[kept[0]] * (1 + KEEP_MARGIN)
            and confs[name] >= confs[kept[0]] - KEEP_CONF_DROP
        ):
            kept = (name, again, source, config)
    record |= {
        "sure_words": {k: round(v, 1) for k, v in weights.items()},
        "mean_conf": confs,
        "kept": kept[0],
    }
    if failed:
        record["reread_failed"] = "; ".join(failed)
    return kept[1], kept[2], kept[3], record


def sure_words(page: OcrPage) -> float:
    """The sum of the words' confidences over 100: about how many words the reading has right."""
    return sum(w.conf for w in page.words() if w.conf is not None and w.conf > 0) / 100
