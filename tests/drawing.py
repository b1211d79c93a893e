"""Small text renders for unit tests (the benchmark's newspaper generator lives in bench/)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SERIF = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"

LINES = [
    "The committee met on Tuesday to consider the proposal",
    "for a new bridge across the river, which the council",
    "had rejected twice before. Mr. Hughes, the engineer,",
    "said the cost would not exceed 12,000 pounds, and that",
    "work could begin in the spring of 1862 if approved.",
    "Several members objected, but the motion was carried.",
]


def text_page(
    lines: list[str] = LINES, size: int = 40, paper: int = 255, ink: int = 0, margin: int = 120
) -> Image.Image:
    font = ImageFont.truetype(SERIF, size)
    width = max(int(font.getlength(s)) for s in lines) + 2 * margin
    height = int(len(lines) * size * 1.5) + 2 * margin
    img = Image.new("L", (width, height), paper)
    d = ImageDraw.Draw(img)
    for i, s in enumerate(lines):
        d.text((margin, margin + i * size * 1.5), s, font=font, fill=ink)
    return img


def uneven(img: Image.Image, low: int = 110, high: int = 245) -> Image.Image:
    """Multiply a left-to-right shading and a yellow-grey tint into the page."""
    a = np.asarray(img, dtype=np.float32) / 255.0
    ramp = np.linspace(low, high, a.shape[1], dtype=np.float32)[None, :]
    return Image.fromarray((a * ramp).clip(0, 255).astype(np.uint8))
