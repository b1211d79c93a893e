"""DPI normalisation: bring the letters to the size Tesseract reads best."""

from __future__ import annotations

import cv2
import numpy as np

MAX_UPSCALE = 3.0


def scale_factor(letter_px: float | None, dpi: float | None, target_px: float) -> float:
    """Upsample small text; leave text already large enough alone (upsampling costs OCR time).

    Measured letter height decides; the file's DPI is the fallback when the page has too
    little text to measure.
    """
    if letter_px:
        if letter_px >= 0.75 * target_px:
            return 1.0
        return min(MAX_UPSCALE, target_px / letter_px)
    if dpi and dpi < 250:
        return min(MAX_UPSCALE, 300.0 / dpi)
    return 1.0


def rescale(grey: np.ndarray, factor: float) -> np.ndarray:
    if abs(factor - 1.0) < 0.05:
        return grey
    h, w = grey.shape
    size = (round(w * factor), round(h * factor))
    return cv2.resize(grey, size, interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)
