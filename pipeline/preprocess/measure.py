"""Measure the text on a page: how tall its letters are, which decides scaling and filters."""

from __future__ import annotations

import cv2
import numpy as np


def quick_binary(grey: np.ndarray) -> np.ndarray:
    """Ink mask (True = ink) by Otsu on the raw grey; good enough for measuring, not for OCR."""
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask > 0


def letter_height(ink: np.ndarray) -> float | None:
    """Median height in pixels of letter-like connected components, or None on a blank page.

    Letter-like: not a speck, not a rule or photo (aspect and size limits). The median over a
    page of text sits between x-height and cap height, which is what Tesseract's sizing cares about.
    """
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 1:
        return None
    w = stats[1:, cv2.CC_STAT_WIDTH]
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    area = stats[1:, cv2.CC_STAT_AREA]
    fill = area / np.maximum(w * h, 1)
    keep = (h >= 4) & (h <= ink.shape[0] / 10) & (w <= 3 * h) & (w >= 2) & (fill > 0.12)
    if keep.sum() < 20:
        return None
    return float(np.median(h[keep]))
