"""Measure the text on a page: how tall its letters are, which decides scaling and filters."""

from __future__ import annotations

import cv2
import numpy as np

# Block-based labelling (2x2 blocks): the same components as the default (Spaghetti) in ~55%
# of its time, but only on even-sized images; an odd row or column makes it slower than the
# default, so images are padded with a paper row/column first.
LABELLING = cv2.CCL_GRANA


def quick_binary(grey: np.ndarray) -> np.ndarray:
    """Ink mask (True = ink) by Otsu on the raw grey; good enough for measuring, not for OCR."""
    _, mask = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask.view(bool)  # 0/1 bytes are valid booleans: no second pass over the page


def even_sized(ink: np.ndarray) -> np.ndarray:
    """The mask with a paper row and/or column appended so both sides are even."""
    ink = np.asarray(ink, dtype=bool)  # a no-op for the usual bool mask; its bytes are 0/1
    h, w = ink.shape
    if h % 2 == 0 and w % 2 == 0:
        return ink
    padded = cv2.copyMakeBorder(ink.view(np.uint8), 0, h % 2, 0, w % 2, cv2.BORDER_CONSTANT, 0)
    return padded.view(bool)


def component_stats(ink: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """8-connected components of a mask: count, labels, stats and centroids, as OpenCV's.

    The labels are those of even_sized(ink); the padding is background (label 0), which is
    also the only component whose stats it changes. They are 16-bit when that is enough (a
    quarter faster than 32-bit, and half the memory): OpenCV raises rather than wrap around
    on a page with more components, and that page gets 32-bit labels.
    """
    mask = even_sized(ink).view(np.uint8)
    try:
        return cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_16U, LABELLING)
    except cv2.error:
        return cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, LABELLING)


def cell_means(img: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """The mean of an 8-bit `img` over each cell of a (columns, rows) grid.

    What cv2.resize(..., INTER_AREA) gives, with cell edges rounded to whole pixels, at a
    fraction of its cost on a full page (INTER_AREA's fractional cells are its slow path).
    """
    h, w = img.shape
    ys = np.round(np.arange(grid[1] + 1) * h / grid[1]).astype(np.intp)
    xs = np.round(np.arange(grid[0] + 1) * w / grid[0]).astype(np.intp)
    if h < grid[1]:  # a row of cells holds no pixel row: the plain numpy sums below cope
        cols = np.add.reduceat(img, xs[:-1], axis=1, dtype=np.uint32)
        sums = np.add.reduceat(cols, ys[:-1], axis=0, dtype=np.uint64)
    else:
        # each row of cells' column sums (OpenCV's reduce: 5-8x faster than numpy's reduceat
        # over the page), then those summed over each column of cells: exact integer sums
        cols = np.empty((grid[1], w), np.int32)
        for r in range(grid[1]):
            band = img[ys[r] : ys[r + 1]]
            cols[r] = cv2.reduce(band, 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S)[0]
        sums = np.add.reduceat(cols, xs[:-1], axis=1, dtype=np.int64)
    return sums / np.outer(np.diff(ys), np.diff(xs))


# A letter is drawn with strokes much thinner than it is tall: the thickest point of a bold
# serif `e` or a closed-up typewritten `a` (9 px tall) is under 0.45 of its height. A halftone
# dot, a full stop or a blot of picture texture is about as thick as it is tall (0.8-1.0).
# 0.6 keeps every letter of the development scans and drops the dots that read a newspaper
# photo's screen as 5-px "letters" (issue #11).
MAX_STROKE_SHARE = 0.6
MIN_LETTERS = 20  # fewer letter-like marks than this: nothing to measure


def letter_like(ink: np.ndarray, tallest: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Heights of the page's letter-like components, and a mask of their ink.

    Letter-like: not a speck, rule or photo (aspect and size limits), and thin-stroked
    (MAX_STROKE_SHARE), so halftone dots and picture texture do not count. The mask is what
    the skew is measured on: text lines, not the straight edges of scanner margins.
    `tallest`: the tallest letter (default a tenth of the mask's height; a strip cut from a
    page passes the page's own).
    """
    padded = even_sized(ink)
    return _letter_like(ink.shape, padded, component_stats(padded), tallest)


def _letter_like(
    shape: tuple[int, ...], padded: np.ndarray, labelled: tuple, tallest: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`letter_like` of a mask of `shape`, from its padded copy and that copy's labelling."""
    n, labels, stats, _ = labelled
    if n <= 1:
        return np.zeros(0, np.int32), np.zeros(shape, bool)
    w = stats[:, cv2.CC_STAT_WIDTH]
    h = stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    fill = area / np.maximum(w * h, 1)
    keep = (h >= 4) & (h <= (tallest or shape[0] / 10)) & (w <= 3 * h) & (w >= 2) & (fill > 0.12)
    keep[0] = False
    # the thickest point of each kept component, from the distance to the nearest paper
    dist = cv2.distanceTransform(padded.view(np.uint8), cv2.DIST_L2, 3)
    at = np.flatnonzero(padded)
    label_at = labels.ravel()[at]
    wanted = keep[label_at]
    at, label_at = at[wanted], label_at[wanted]
    thick = dist.ravel()[at] > (MAX_STROKE_SHARE / 2) * h[label_at]
    keep[np.unique(label_at[thick])] = False
    # the mask set pixel by pixel from the kept marks' ink: a lookup of every page pixel's
    # label (keep[labels]) costs several times as much
    flat = np.zeros(padded.size, bool)
    flat[at[keep[label_at]]] = True
    mask = flat.reshape(padded.shape)
    if mask.shape != shape:
        mask = np.ascontiguousarray(mask[: shape[0], : shape[1]])
    return h[keep], mask


# Word-like blots: a blurred page's words, each run together into one mark at a threshold.
# Wider than tall (a word, not a letter or a speck), solid, under a tenth of the page tall, and
# of one size, as a page's lines of type are: the middle half of their heights within this
# share of the median (picture texture and noise come in every size).
BLOT_SPREAD = 0.35
# ...and most of them words: the median blot at least this much wider than tall (blurred
# rendered pages 1.8-4.3; a halftone's dots, round and all of a size, 1.0), and this tall (a
# scan's specks and grain run together into smaller blots).
BLOT_ASPECT = 1.5
BLOT_MIN_PX = 8


def word_blots(ink: np.ndarray) -> tuple[int, float] | None:
    """How many word-like blots a mask holds and their median height, or None when too few
    (MIN_LETTERS), of no one size to be lines of type, too small or too round to be words."""
    _, _, stats, _ = component_stats(ink)
    w = stats[1:, cv2.CC_STAT_WIDTH]
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    fill = stats[1:, cv2.CC_STAT_AREA] / np.maximum(w * h, 1)
    keep = (h >= 4) & (h <= ink.shape[0] / 10) & (w >= h) & (fill > 0.3)
    heights = h[keep]
    if len(heights) < MIN_LETTERS:
        return None
    median = float(np.median(heights))
    low, high = np.percentile(heights, [25, 75])
    if low < (1 - BLOT_SPREAD) * median or high > (1 + BLOT_SPREAD) * median:
        return None
    if median < BLOT_MIN_PX or np.median(w[keep] / heights) < BLOT_ASPECT:
        return None
    return len(heights), median


def letter_height(ink: np.ndarray) -> float | None:
    """Median height in pixels of letter-like connected components, or None on a blank page.

    The median over a page of text sits between x-height and cap height, which is what
    Tesseract's sizing cares about.
    """
    heights, _ = letter_like(ink)
    if len(heights) < MIN_LETTERS:
        return None
    return float(np.median(heights))


def specks_per_letter(ink: np.ndarray) -> float:
    """Marks of one or two pixels per letter-like mark: salt-and-pepper noise's measure."""
    padded = even_sized(ink)
    labelled = component_stats(padded)  # one labelling for the specks and the letters
    n, _, stats, _ = labelled
    specks = int(np.count_nonzero(stats[1:n, cv2.CC_STAT_AREA] <= 2))
    return specks / max(len(_letter_like(ink.shape, padded, labelled)[0]), 1)


# Edge sharpness is measured on this many bands of EDGE_BAND_ROWS rows spread down the page:
# within 0.01 of the full page on the development pages (24 bands: 0.02), at a third of its cost.
EDGE_BANDS = 48
EDGE_BAND_ROWS = 34


def edge_sharpness(grey: np.ndarray) -> float | None:
    """How steep the page's ink edges are: the 90th percentile of the grey-level gradient on
    edges, per pixel, over the contrast between the ink and the paper (5th percentile of the
    ink, median of the paper, split by Otsu). A blur of sigma s px leaves about 1 / (2.5 s):
    born-digital pages 0.50, sharp typewriting 0.50-0.56, soft carbons and JPEG newspapers
    0.27-0.34, a scan blurred by 2 px 0.10-0.23. None on a page with no contrast to measure."""
    h = grey.shape[0]
    rows = min(EDGE_BAND_ROWS, h)
    starts = np.unique(np.linspace(0, h - rows, EDGE_BANDS).astype(np.intp))
    bands = np.vstack([grey[y : y + rows] for y in starts])
    otsu, _ = cv2.threshold(bands, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    hist = np.cumsum(cv2.calcHist([bands], [0], None, [256], [0, 256]).ravel())
    ink = hist[int(otsu)]
    if ink == 0 or ink == hist[-1]:
        return None
    dark = float(np.searchsorted(hist, 0.05 * ink))
    paper = float(np.searchsorted(hist, ink + 0.5 * (hist[-1] - ink)))
    contrast = paper - dark
    if contrast <= 0:
        return None
    steep = []
    for y in starts:  # each band on its own: no false edge where two bands meet
        band = grey[y : y + rows]
        gx = cv2.Sobel(band, cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(band, cv2.CV_32F, 0, 1, ksize=3)
        slope = cv2.magnitude(gx, gy)[1:-1]  # 8x the slope per pixel: Sobel weighs 8
        steep.append(slope[slope > 0.8 * contrast])  # an edge: a tenth of the contrast a px
    edges = np.concatenate(steep)
    if edges.size == 0:
        return None
    return round(float(np.percentile(edges, 90)) / 8 / contrast, 3)
