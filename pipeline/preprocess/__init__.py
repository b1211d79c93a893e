"""Stage 1: turn a scan into a clean, level, binarised page at a size Tesseract reads well."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.errors import PageError
from pipeline.fileio import write_bytes, write_json
from pipeline.options import Options
from pipeline.preprocess.binarize import binarize
from pipeline.preprocess.clean import clean_page
from pipeline.preprocess.deskew import MIN_ROTATION, measure_skew, rotate
from pipeline.preprocess.encode import bilevel_png
from pipeline.preprocess.load import load_page
from pipeline.preprocess.measure import letter_height, quick_binary
from pipeline.preprocess.scale import rescale, scale_factor

OUTPUTS = ("image.png", "preprocess.json")


def preprocess_array(
    grey: np.ndarray, dpi: float | None, options: Options
) -> tuple[np.ndarray, dict[str, Any]]:
    """The pure part: grey page in, binary page (0 ink / 255 paper) and its figures out."""
    rough = quick_binary(grey)
    letter_in = letter_height(rough)
    if letter_in is None:
        raise PageError("page is blank or has no text-like marks; check the scan")
    factor = scale_factor(letter_in, dpi, options.target_xheight)
    letter = letter_in * factor
    if factor != 1.0:
        grey = rescale(grey, factor)
        rough = quick_binary(grey)
    angle = measure_skew(rough, letter)
    grey = rotate(grey, angle)
    ink, threshold = binarize(grey, letter)
    ink, borders, specks = clean_page(ink, letter)
    out = cv2.compare(ink.view(np.uint8), 0, cv2.CMP_EQ)  # paper 255, ink 0, in one pass
    dpi_out = round(dpi * factor) if dpi else round(300 * letter / options.target_xheight)
    stats = {
        "dpi_in": dpi,
        "dpi_out": dpi_out,
        "scale": round(factor, 3),
        "letter_px_in": round(letter_in, 1),
        "letter_px_out": round(letter, 1),
        "skew_deg": angle,  # measured; the page is rotated by it when >= MIN_ROTATION
        "rotated": abs(angle) >= MIN_ROTATION,
        "threshold_method": "background-flattening + otsu",
        "threshold": threshold,
        "borders_removed": borders,
        "specks_removed": specks,
        "width": int(out.shape[1]),
        "height": int(out.shape[0]),
        "ink_share": round(cv2.countNonZero(ink.view(np.uint8)) / ink.size, 4),
    }
    return out, stats


def run(source: Path, page_index: int, out_dir: Path, options: Options) -> dict[str, Any]:
    grey, dpi = load_page(source, page_index, options.pdf_dpi)
    try:
        out, stats = preprocess_array(grey, dpi, options)
    except PageError as e:
        raise PageError(f"{source}: {e}") from None
    write_bytes(out_dir / "image.png", bilevel_png(out, stats["dpi_out"]))
    stats = {"source": str(source), "page": page_index + 1, **stats}
    write_json(out_dir / "preprocess.json", stats)
    return stats
