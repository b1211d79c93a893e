"""Deskew by the projection profile: text lines give the sharpest row profile when level."""

from __future__ import annotations

import cv2
import numpy as np

MAX_ANGLE = 8.0  # degrees searched either way
SEARCH_LETTER = 8.0  # px: the angle is searched on a copy with letters this tall
# Below this a rotation costs more (resampling blurs strokes) than it buys: 0.1 degree drifts
# one pixel across a newspaper column, and the measurement itself is good to about 0.05.
MIN_ROTATION = 0.1
# A rotation must also be earned: the profile at the measured angle must be this much sharper
# than level. A page whose best angle scores within a few % of level has no lines to measure (a
# noisy page with two lines of text read +7.6 degrees at 1.004x) or is level already; on the
# real development scans rotations scoring 1.1-1.26x level (book pages at 0.13-0.42 degrees)
# cost as much as they bought (resampling blurs the strokes; Tesseract copes with such
# skew), while pages at 1.4x and over read better turned (a book page -0.22 deg at 1.5x: word
# errors 6.8 -> 4.0 %). Between them, the only two pages (a typewritten report at 0.24 deg,
# 1.37x; a newspaper page at 0.25 deg, 1.375x) read worse turned: word F1 -0.1 and -0.5
# points, word-trigram F1 -0.6 and -2.2; the next page up (1.43x) read 0.9 points better.
MIN_GAIN = 1.4


def column_shifts(offset: float, width: int, angle: float) -> np.ndarray:
    """Row shift of each column when the ink is sheared by `angle` about column `offset`.

    An ink pixel (integer y, x) goes to row round(y - (x - offset) * tan), which is
    y + round((offset - x) * tan): the shift depends on the column only.
    """
    cols = np.arange(width)
    return np.round((offset - cols) * np.tan(np.radians(angle))).astype(np.intp)


def _sharpness(rows: np.ndarray) -> float:
    """Score of a row profile, taken over the rows the ink spans: sum of squared steps."""
    inked = np.flatnonzero(rows)
    return float(np.square(np.diff(rows[inked[0] : inked[-1] + 1])).sum())


def pixel_score(ys: np.ndarray, xs: np.ndarray, offset: float, angle: float) -> float:
    """Sharpness of the row profile of the ink pixels (ys, xs) sheared by `angle`: exact."""
    shift = column_shifts(offset, int(xs.max()) + 1, angle)
    return _sharpness(np.bincount(ys + (shift[xs] - shift.min())))


def column_prefix(ink: np.ndarray) -> np.ndarray:
    """prefix[x, y]: ink pixels of row y left of column x; from OpenCV's fast integral."""
    return np.diff(cv2.integral(np.ascontiguousarray(ink.T).view(np.uint8)), axis=1)


def group_score(prefix: np.ndarray, offset: float, angle: float) -> float:
    """The same score as pixel_score over all the ink, from runs of columns sharing a shift.

    A small angle shifts hundreds of neighbouring columns alike, so adding up each run's
    column counts first makes a score ~10x cheaper than shifting every pixel.
    """
    width, height = prefix.shape[0] - 1, prefix.shape[1]
    shift = column_shifts(offset, width, angle)
    starts = np.flatnonzero(np.diff(shift, prepend=shift[0] - 1))
    ends = np.append(starts[1:], width)
    counts = prefix[ends] - prefix[starts]  # ink per row in each run of columns
    rows_at = np.arange(height) + (shift[starts] - shift.min())[:, None]
    return _sharpness(np.bincount(rows_at.ravel(), weights=counts.ravel()))


def measure_skew(ink: np.ndarray, letter_px: float | None) -> float:
    """The angle (degrees, counter-clockwise positive, as cv2 rotates) that levels the text."""
    return skew_and_gain(ink, letter_px)[0]


def shrunk(ink: np.ndarray, scale: float) -> np.ndarray:
    """An ink mask shrunk by `scale`: a small pixel is ink when over a quarter of it was."""
    ink01 = np.asarray(ink, dtype=bool).view(np.uint8)
    _, ink255 = cv2.threshold(ink01, 0, 255, cv2.THRESH_BINARY)
    return cv2.resize(ink255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) > 64


def search_copy(ink: np.ndarray, letter_px: float | None) -> np.ndarray:
    """The ink mask shrunk so its letters are SEARCH_LETTER px tall (a page of unknown letter
    size to 1500 px across), never enlarged: what the angle is searched on."""
    if letter_px:
        return shrunk(ink, min(1.0, SEARCH_LETTER / letter_px))
    return shrunk(ink, min(1.0, 1500.0 / max(ink.shape)))


def skew_and_gain(
    ink: np.ndarray, letter_px: float | None, small: np.ndarray | None = None
) -> tuple[float, float]:
    """The levelling angle, and how much sharper the row profile is there than at 0 degrees.

    Works on a copy shrunk so letters are ~8 px tall: lines stay separable, search stays cheap.
    The peak of the profile score is narrow on a wide page (a tilt that drifts the ink by half
    a letter across the page already blurs the rows), so the coarse step is set by the page's
    width, or a coarse search can step over the true angle. The coarse search scores every
    third ink pixel (no sparser: a raster-order sample of a large dark area forms stripes, and
    every sixth pixel read a shaded test page as -7.45 degrees, not -1.5); the two fine ones,
    a few small angles near the peak, score all the ink by column runs.
    `small`: search_copy(ink, letter_px) when the caller has it already (one resize saved).
    """
    if small is None:
        small = search_copy(ink, letter_px)
    ys, xs = np.divmod(np.flatnonzero(small), small.shape[1])  # 2.5x faster than np.nonzero
    if len(ys) < 50:
        return 0.0, 1.0
    offset = float(xs.mean())
    width = float(xs.max() - xs.min()) or 1.0
    coarse = float(np.clip(np.degrees(0.5 * 8.0 / width), 0.05, 0.5))
    angles = np.arange(-MAX_ANGLE, MAX_ANGLE + 1e-9, coarse)
    ys_k, xs_k = ys[::3].copy(), xs[::3].copy()
    best = angles[int(np.argmax([pixel_score(ys_k, xs_k, offset, a) for a in angles]))]
    prefix = column_prefix(small)
    for step, span in ((0.05, coarse), (0.01, 0.05)):
        angles = np.arange(best - span, best + span + 1e-9, step)
        best = angles[int(np.argmax([group_score(prefix, offset, a) for a in angles]))]
    level = group_score(prefix, offset, 0.0)
    gain = group_score(prefix, offset, best) / level if level > 0 else 1.0
    return round(float(best), 2), round(float(gain), 3)


def paper_level(grey: np.ndarray) -> int:
    """np.percentile(grey, 90) truncated to int, from a histogram: one pass, no sort."""
    counts = np.cumsum(cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel())
    rank = 0.9 * (grey.size - 1)
    lo = int(rank)
    v_lo = int(np.searchsorted(counts, lo, side="right"))
    v_hi = int(np.searchsorted(counts, lo + 1, side="right"))
    return int(v_lo + (v_hi - v_lo) * (rank - lo))


def _turn(shape: tuple[int, ...], angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The matrix turning an image of `shape` about its centre, and the canvas that holds it."""
    h, w = shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return m, (nw, nh)


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre, growing the canvas so no corner is cut, filling with paper."""
    if abs(angle) < MIN_ROTATION:
        return grey
    m, size = _turn(grey.shape, angle)
    return cv2.warpAffine(grey, m, size, flags=cv2.INTER_LINEAR, borderValue=paper_level(grey))


def outside(shape: tuple[int, ...], angle: float) -> np.ndarray | None:
    """Where `rotate` filled the canvas (True), or None when it does not turn: the corners
    beyond the scan's own edge, which a scanner bed reaching that edge still reaches."""
    if abs(angle) < MIN_ROTATION:
        return None
    m, size = _turn(shape, angle)
    inside = np.ones(shape[:2], np.uint8)
    return cv2.warpAffine(inside, m, size, flags=cv2.INTER_NEAREST, borderValue=0) == 0
