"""Remove scanner borders and specks while keeping punctuation.

A border is a large dark region touching the page edge (scanner bed, book gutter shadow). A
speck is a small component far from any text; a full stop or comma is just as small but sits
beside letters. So small components are kept when they fall inside the dilated neighbourhood
of the letter-sized components, and dropped otherwise. One labelling serves both.
"""

from __future__ import annotations

import cv2
import numpy as np


def clean_page(ink: np.ndarray, letter_px: float | None) -> tuple[np.ndarray, int, int]:
    """The ink without borders and specks, and how many of each were removed."""
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(
        ink.astype(np.uint8), connectivity=8
    )
    if n <= 1:
        return ink, 0, 0
    h, w = ink.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    cw, ch = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    touches = (x == 0) | (y == 0) | (x + cw >= w) | (y + ch >= h)
    border = touches & ((cw > 0.25 * w) | (ch > 0.25 * h))
    border[0] = False

    lp = letter_px or 20.0
    small = area < max(2.0, (0.22 * lp) ** 2)
    small[0] = False
    large = ~small & ~border
    large[0] = False
    near_text = cv2.dilate(
        large[labels].astype(np.uint8),
        cv2.getStructuringElement(cv2.MORPH_RECT, (int(lp) | 1, int(0.8 * lp) | 1)),
    )
    # a small component is near text when its centre is: exact enough for dots and commas
    cx = np.clip(centroids[:, 0].round().astype(int), 0, w - 1)
    cy = np.clip(centroids[:, 1].round().astype(int), 0, h - 1)
    keep_small = near_text[cy, cx] > 0
    speck = small & (~keep_small | (area <= 1))  # a lone pixel is never punctuation
    speck[0] = False
    drop = border | speck
    if not drop.any():
        return ink, 0, 0
    return ink & ~drop[labels], int(border.sum()), int(speck.sum())
