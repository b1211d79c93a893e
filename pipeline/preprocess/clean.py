"""Remove scanner borders and specks while keeping punctuation.

A border is a large dark region touching the page edge (scanner bed, book gutter shadow). A
speck is a small component far from any text; a full stop or comma is just as small but sits
beside letters. So small components are kept when they fall inside the dilated neighbourhood
of the letter-sized components, and dropped otherwise. One labelling serves both.

Only the ink pixels are looked up by label (a tenth of the page), and only the few pixels of
small and border components are ever written: per-pixel label lookups over the whole page
took more time than the labelling itself.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess.measure import component_stats, even_sized

# Ink within this many pixels of the corners a turn added reaches the scan's edge: the turn's
# resampling blends the edge's last pixel with the fill, so a bed can stop a pixel short.
BEYOND_REACH = 5
# White letter-sized marks a dark region must hold to be taken for text printed white on black
# (a heading bar), never painted out as a border: a word or two.
REVERSED_LETTERS = 5
REVERSED_FILL = 0.6  # a printed bar is solid ink but for its letters; a bed's box, a photo not
# Letters a region at the edge must have beyond it on each side, across the same stretch of the
# page, to be taken for something set among the text (a picture printed to the page's edge, a
# column's cut), never painted out as a border: a word or two each side.
AMONG_LETTERS = 5
SPAN = 0.9  # of the page's height or width: a region that long runs from edge to edge


def clean_page(
    ink: np.ndarray,
    letter_px: float | None,
    drop_specks: bool = True,
    beyond: np.ndarray | None = None,
) -> tuple[np.ndarray, int, int]:
    """The ink without borders (and specks, unless told not to), and how many of each went.

    `beyond`: where the image is not the scan (the corners a turn added, `deskew.outside`);
    ink beside it touches the scan's edge as ink in the outermost rows does.
    """
    edge = None
    if beyond is not None:
        edge = cv2.dilate(beyond.view(np.uint8), np.ones((BEYOND_REACH,) * 2, np.uint8)) > 0
    if not drop_specks and not _edge_ink(ink) and (edge is None or not (ink & edge).any()):
        return ink, 0, 0  # a border touches the page's edge: none there, none to label
    padded = even_sized(ink)  # what the labels cover: see component_stats
    n, labels, stats, centroids = component_stats(padded)
    if n <= 1:
        return ink, 0, 0
    h, w = ink.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    cw, ch = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    touches = (x == 0) | (y == 0) | (x + cw >= w) | (y + ch >= h)
    if edge is not None:
        touches[np.unique(labels[: ink.shape[0], : ink.shape[1]][edge & ink])] = True
    border = touches & ((cw > 0.25 * w) | (ch > 0.25 * h))
    border[0] = False
    lp = letter_px or 20.0
    letterish = ~touches & (ch >= 0.5 * lp) & (ch <= 2 * lp) & (cw <= 3 * lp)
    letterish[0] = False
    centres = centroids[letterish]
    for i in np.flatnonzero(border):
        if reversed_text(padded, labels, stats[i], i, letter_px):
            border[i] = False  # a black bar printed with white letters: text, not a border
        elif among_text(stats[i], centres, w, h):
            border[i] = False  # a picture printed to the edge, with text above and below it
    if not drop_specks:
        if not border.any():
            return ink, 0, 0
        at = np.flatnonzero(padded)
        at = at[border[labels.ravel()[at]]]
        cleaned = ink.copy()
        cleaned[np.divmod(at, padded.shape[1])] = False
        return cleaned, int(border.sum()), 0

    small = area < max(2.0, (0.22 * lp) ** 2)
    small[0] = False
    large = ~small & ~border
    large[0] = False
    at = np.flatnonzero(padded)
    label_at = labels.ravel()[at]
    minor = ~large[label_at]
    at, label_at = at[minor], label_at[minor]  # pixels of small and border components
    text = padded.copy()
    text.ravel()[at] = False
    near_text = cv2.dilate(
        text.view(np.uint8),
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
    cleaned = ink.copy()
    cleaned[np.divmod(at[drop[label_at]], padded.shape[1])] = False
    return cleaned, int(border.sum()), int(speck.sum())


def reversed_text(
    ink: np.ndarray, labels: np.ndarray, stat: np.ndarray, label: int, letter_px: float | None
) -> bool:
    """Whether a solid dark region holds REVERSED_LETTERS or more white letter-sized marks of
    its own, side by side on a line: a heading or masthead bar printed white on black, which
    Tesseract reads (it tries an unsure line again as white on black) and which a scanner bed
    or a gutter's shadow never has. A mark counts when the region itself is beside it left
    and right: the counters of the page's own letters, inside a bed framing it, do not."""
    x, y, cw, ch = (int(v) for v in stat[:4])
    if stat[cv2.CC_STAT_AREA] < REVERSED_FILL * cw * ch:
        return False  # not a solid bar: a bed framing the page, a halftone photo
    lp = letter_px or 20.0
    n, _, st, _ = component_stats(~ink[y : y + ch, x : x + cw])  # the paper inside its box
    if n <= 1:
        return False
    hx, hy, hw, hh = (st[1:, k] for k in range(4))
    inner = (hx > 0) & (hy > 0) & (hx + hw < cw) & (hy + hh < ch)
    letterish = inner & (hh >= 0.6 * lp) & (hh <= 3 * lp) & (hw <= 3 * hh)
    if np.count_nonzero(letterish) < REVERSED_LETTERS:
        return False
    rows = y + hy[letterish] + hh[letterish] // 2
    left = labels[rows, x + hx[letterish] - 1]
    right = labels[rows, x + hx[letterish] + hw[letterish]]
    own = np.sort(rows[(left == label) & (right == label)])
    if len(own) < REVERSED_LETTERS:
        return False
    # on one line: that many marks' middles within half a letter of each other
    k = REVERSED_LETTERS - 1
    return bool(np.any(own[k:] - own[:-k] <= 0.5 * lp))


def among_text(stat: np.ndarray, centres: np.ndarray, w: int, h: int) -> bool:
    """Whether AMONG_LETTERS letters or more lie above the region and as many below it, within
    its columns: a picture printed up to the scan's side edge (a page cropped tight), with its
    column's lines over and under it. Painting out the part of its screen that touched the
    edge left a ragged half-picture that made Tesseract read the whole page as junk. A bed or
    a shadow along a side runs beside the text, not between its lines; one running from edge
    to edge is a bed's seam (a blurred bed's top rows read as specks above it). Only the
    sides: a dark band between text on its left and on its right is a spread's gutter as
    often as a picture, and a gutter is what the border rule is for."""
    x, y, cw, ch = (int(v) for v in stat[:4])
    if ch >= SPAN * h or cw >= SPAN * w:
        return False
    cx, cy = centres[:, 0], centres[:, 1]
    within = (cx >= x) & (cx < x + cw)
    above = np.count_nonzero(within & (cy < y))
    below = np.count_nonzero(within & (cy >= y + ch))
    return min(above, below) >= AMONG_LETTERS


def _edge_ink(ink: np.ndarray) -> bool:
    """Any ink in the page's outermost rows or columns."""
    return bool(ink[0].any() or ink[-1].any() or ink[:, 0].any() or ink[:, -1].any())
