"""Make a clean render look like a scan of an old page: skew, blur, noise, yellowing, specks.

Every random choice comes from the numpy Generator passed in and is recorded in the returned
info, so the benchmark can tell how hard each page was (and undo the geometry if it needs to).
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

LEVELS = ("clean", "mild", "heavy")


def _rotate(a: np.ndarray, angle: float, expand: bool) -> np.ndarray:
    """Rotate a greyscale page about its centre on white paper (positive = counter-clockwise)."""
    h, w = a.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if expand:
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
        m[0, 2] += (nw - w) / 2
        m[1, 2] += (nh - h) / 2
        w, h = nw, nh
    return cv2.warpAffine(
        a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def _paper(shape: tuple[int, int], rng: np.random.Generator, uneven: float) -> tuple:
    """Per-channel paper colour field: a yellow tint times a smooth brightness swell."""
    h, w = shape
    tint = np.array([rng.uniform(238, 250), rng.uniform(228, 242), rng.uniform(196, 222)]) / 255
    coarse = rng.uniform(1 - uneven, 1.0, size=(4, 5)).astype(np.float32)
    field = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    field = np.clip(field, 1 - uneven, 1.0)[..., None]
    return field * tint[None, None, :], [round(float(t * 255)) for t in tint]


def _specks(a: np.ndarray, rng: np.random.Generator, density: float) -> int:
    """Dark and light dots (salt and pepper), drawn in place; returns how many."""
    h, w = a.shape[:2]
    n = int(h * w * density)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    radii = rng.integers(1, 3, n)
    dark = rng.random(n) < 0.7
    for y, x, r, d in zip(ys, xs, radii, dark, strict=True):
        colour = (int(rng.integers(20, 90)),) * 3 if d else (250, 248, 240)
        cv2.circle(a, (int(x), int(y)), int(r), colour, -1)
    return n


def _noise(shape: tuple[int, int], rng: np.random.Generator, sd: float, grain: int) -> np.ndarray:
    """Gaussian noise; grain > 1 makes it blotchy like paper fibre (and cheaper to store)."""
    h, w = shape
    n = rng.normal(0, sd, size=(-(-h // grain), -(-w // grain))).astype(np.float32)
    if grain > 1:
        n = cv2.resize(n, (w, h), interpolation=cv2.INTER_LINEAR)
    return n


def degrade(
    img: Image.Image, level: str, rng: np.random.Generator, dpi: int | None = None
) -> tuple[Image.Image, dict]:
    """Degrade a greyscale page; returns the new image and the parameters used.

    clean: unchanged. mild: small skew (<1 deg), slight blur and noise, light yellowing.
    heavy: 200 dpi, 1.5-3 deg skew, ink spread, show-through, uneven yellow paper, specks, JPEG.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown degradation level {level!r}; expected one of {LEVELS}")
    dpi = dpi or int(img.info.get("dpi", (300, 300))[0])
    info: dict = {"level": level, "dpi": dpi, "angle_deg": 0.0, "scale": 1.0}
    if level == "clean":
        return img, info
    a = np.asarray(img.convert("L"))
    sign = 1 if rng.random() < 0.5 else -1

    if level == "mild":
        angle = sign * float(rng.uniform(0.2, 0.9))
        a = _rotate(a, angle, expand=False)
        sigma = float(rng.uniform(0.4, 0.7))
        a = cv2.GaussianBlur(a, (0, 0), sigma)
        paper, tint = _paper(a.shape, rng, uneven=0.03)
        noise_sd = float(rng.uniform(1.0, 2.0))
        info.update(angle_deg=round(angle, 3), blur_sigma=round(sigma, 3), paper_rgb=tint)
    else:
        scale = min(1.0, 200 / dpi)
        if scale < 1.0:
            h, w = a.shape
            a = cv2.resize(a, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        ink = int(rng.integers(1, 3))  # 1: 2x1 kernel, 2: 2x2 kernel (dark grows by a pixel)
        a = cv2.erode(a, np.ones((2, ink), np.uint8))
        sigma = float(rng.uniform(0.6, 1.0))
        a = cv2.GaussianBlur(a, (0, 0), sigma)
        ghost = np.fliplr(a).astype(np.float32)
        ghost = np.roll(ghost, int(rng.integers(-40, 40)), axis=0)
        ghost = cv2.GaussianBlur(ghost, (0, 0), 1.5)
        alpha = float(rng.uniform(0.08, 0.15))
        a = (a.astype(np.float32) * (1 - alpha * (1 - ghost / 255))).astype(np.uint8)
        angle = sign * float(rng.uniform(1.5, 3.0))
        a = _rotate(a, angle, expand=True)
        paper, tint = _paper(a.shape, rng, uneven=0.15)
        noise_sd = float(rng.uniform(5.0, 8.0))
        info.update(
            dpi=round(dpi * scale),
            scale=round(scale, 6),
            angle_deg=round(angle, 3),
            ink_spread_px=ink,
            blur_sigma=round(sigma, 3),
            show_through_alpha=round(alpha, 3),
            paper_rgb=tint,
        )

    rgb = a.astype(np.float32)[..., None] / 255 * paper * 255
    rgb += _noise(a.shape, rng, noise_sd, grain=3 if level == "mild" else 1)[..., None]
    rgb = np.clip(rgb, 0, 255).astype(np.uint8)
    info["noise_sd"] = round(noise_sd, 3)
    if level == "heavy":
        info["specks"] = _specks(rgb, rng, density=8e-5)
        quality = int(rng.integers(30, 50))
        buf = io.BytesIO()
        Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
        rgb = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
        info["jpeg_quality"] = quality
    out = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
    out.info["dpi"] = (info["dpi"], info["dpi"])
    return out, info
