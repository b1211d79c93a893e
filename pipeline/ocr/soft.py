"""A page whose ink edges are soft, read a second time sharpened; the surer reading kept.

A blurred scan (a soft lens, microfilm, a photograph of a page) can defeat Tesseract: its
strokes run together and thin ones fade. Sharpening (an unsharp mask) mends many such pages
(blurred development pages: a book page 26 -> 98 % word F1, a newspaper page 48 -> 87 %, a
typewritten report 10 -> 56 %) but costs sharp pages a little (typewritten development pages
-0.3 to -2.6 points), and no measure of the image alone tells the two apart closely enough.
So stage 1 measures how steep the page's edges are (`measure.edge_sharpness`), and only a page
softer than every development scan is read twice, as it is and sharpened; the sharpened
reading is kept when Tesseract is surer of it by KEEP_MARGIN points of mean word confidence.
Over 135 readings of 36 development pages blurred by 0 to 3 px, that choice gained 400
points of word F1 in all and lost more than one point on none (`bench/RESULTS.md`). The
sharpened image is kept beside `ocr.json` for inspection.
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

# Edge sharpness (stage 1's `edge_sharpness`) under which a page is read twice. The
# development scans measure 0.27-0.56; the blurred readings sharpening helped by more than 5
# points measured 0.10-0.31, but between 0.25 and 0.31 sharp scans read as well unsharpened.
SOFT_EDGES = 0.25
# The sharpened reading replaces the first when its mean word confidence is this much higher:
# with no margin the choice followed noise on pages where the two readings differ by a point.
KEEP_MARGIN = 1.0
IMAGE = "sharpened.png"


def reread(
    image: Path,
    page: OcrPage,
    sharpness: float | None,
    dpi: float,
    out_dir: Path,
    read: Callable[[Path], OcrPage],
) -> tuple[OcrPage, Path, dict[str, object] | None]:
    """The page read again sharpened when its edges are soft: the reading kept, the image it
    came from (for any further reading of the page), and a record of the choice (None when
    the page was not soft)."""
    again_image = out_dir / IMAGE
    again_image.unlink(missing_ok=True)  # from an earlier run of this page
    if sharpness is None or sharpness >= SOFT_EDGES:
        return page, image, None
    record: dict[str, object] = {
        "why": f"edge sharpness {sharpness:g} < {SOFT_EDGES:g}: soft, read sharpened too",
    }
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        return page, image, {**record, "reread_failed": f"{image}: not readable", "kept": "first"}
    write_bytes(again_image, grey_png(sharpened(grey), dpi))
    try:
        again = read(again_image)
    except PageError as e:  # a second look that fails leaves the page as first read
        return page, image, {**record, "reread_failed": str(e), "kept": "first"}
    confs = reading_confs(page, again)
    keep = confs[1] > confs[0] + KEEP_MARGIN
    record |= {"mean_conf": confs, "kept": "sharpened" if keep else "first"}
    return (again, again_image, record) if keep else (page, image, record)
