"""Steepen a soft page's edges (an unsharp mask): for measuring letters that a blur ran
together, and for stage 2's second reading of a soft page (`ocr/soft.py`)."""

from __future__ import annotations

import cv2
import numpy as np

# The page plus AMOUNT times its difference from a Gaussian blur of SIGMA px (tried at 1.0-2.0
# px and 0.5-1.5 on blurred development pages: this one mends the most).
SIGMA = 1.5
AMOUNT = 1.0


def sharpened(grey: np.ndarray) -> np.ndarray:
    """The page with its edges steepened by an unsharp mask."""
    page = grey.astype(np.float32)
    blurred = cv2.GaussianBlur(page, (0, 0), SIGMA)
    return np.clip(page + AMOUNT * (page - blurred), 0, 255).astype(np.uint8)
