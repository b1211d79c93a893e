"""Remove scanner borders and specks while keeping punctuation.

A speck is a small component far from any text; a full stop or comma is just as small but
sits beside letters. So small components are kept when they fall inside the dilated
neighbourhood of the letter-sized components, and dropped otherwise.
"""

from __future__ import annotations

import cv2
import numpy as np


def remove_borders(ink: np.ndarray) -> tuple[np.ndarray, int]:
    """Drop large dark regions touching the page edge (scanner bed, book gutter shadow)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    h, w = ink.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    cw, ch = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches = (x == 0) | (y == 0) | (x + cw >= w) | (y + ch >= h)
    big = (cw > 0.25 * w) | (ch > 0.25 * h)
    drop = touches & big
    drop[0] = False
    if not drop.any():
        return ink, 0
    return ink & ~drop[labels], int(drop.sum())


def despeckle(ink: np.ndarray, letter_px: float | None) -> tuple[np.ndarray, int]:
    lp = letter_px or 20.0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 1:
        return ink, 0
    area = stats[:, cv2.CC_STAT_AREA]
    small = area < max(2.0, (0.22 * lp) ** 2)
    small[0] = False
    tiny = area <= 1  # single pixels are never punctuation at a readable resolution
    large = ~small
    large[0] = False
    near_text = cv2.dilate(
        large[labels].astype(np.uint8),
        cv2.getStructuringElement(cv2.MORPH_RECT, (int(lp) | 1, int(0.8 * lp) | 1)),
    )
    # a small component survives if any of its pixels lies near text
    near_ids = np.unique(labels[(near_text > 0) & small[labels]])
    keep_small = np.zeros(n, dtype=bool)
    keep_small[near_ids] = True
    drop = (small & ~keep_small) | tiny
    drop[0] = False
    return ink & ~drop[labels], int(drop.sum())
