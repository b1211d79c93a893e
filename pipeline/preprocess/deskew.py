"""Deskew by the projection profile: text lines give the sharpest row profile when level."""

from __future__ import annotations

import cv2
import numpy as np

MAX_ANGLE = 8.0  # degrees searched either way
# Below this a rotation costs more (resampling blurs strokes) than it buys: 0.1 degree drifts
# one pixel across a newspaper column, and the measurement itself is good to about 0.05.
MIN_ROTATION = 0.1


def _profile_score(ys: np.ndarray, xs: np.ndarray, angle: float) -> float:
    """Sharpness of the row profile with the ink sheared by `angle`: exact, no resampling."""
    proj = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
    rows = np.bincount(proj - proj.min()).astype(np.float64)
    return float(np.square(np.diff(rows)).sum())


def measure_skew(ink: np.ndarray, letter_px: float | None) -> float:
    """The angle (degrees, counter-clockwise positive, as cv2 rotates) that levels the text.

    Works on a copy shrunk so letters are ~8 px tall: lines stay separable, search stays cheap.
    The peak of the profile score is narrow on a wide page (a tilt that drifts the ink by half
    a letter across the page already blurs the rows), so the coarse step is set by the page's
    width, or a coarse search can step over the true angle.
    """
    scale = min(1.0, 8.0 / letter_px) if letter_px else min(1.0, 1500.0 / max(ink.shape))
    small = cv2.resize(
        ink.astype(np.uint8) * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA
    )
    ys, xs = np.nonzero(small > 64)
    if len(ys) < 50:
        return 0.0
    xs = xs - xs.mean()
    width = float(xs.max() - xs.min()) or 1.0
    coarse = float(np.clip(np.degrees(0.5 * 8.0 / width), 0.05, 0.5))
    best = 0.0
    for step, span, k in ((coarse, MAX_ANGLE, 3), (0.05, coarse, 1), (0.01, 0.05, 1)):
        angles = np.arange(best - span, best + span + 1e-9, step)
        scores = [_profile_score(ys[::k], xs[::k], a) for a in angles]  # k: sample the ink
        best = float(angles[int(np.argmax(scores))])
    return round(best, 2)


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre, growing the canvas so no corner is cut, filling with paper."""
    if abs(angle) < MIN_ROTATION:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    paper = int(np.percentile(grey, 90))
    return cv2.warpAffine(grey, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=paper)
