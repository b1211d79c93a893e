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


def halftone(width: int, height: int, pitch: int = 8, seed: int = 0) -> np.ndarray:
    """A newspaper photo as printed: a 45-degree screen of round dots whose size follows a
    smooth random tone (0 ink, 255 paper)."""
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(0.15, 0.85, (max(2, height // 120), max(2, width // 120)))
    tone = (
        np.asarray(
            Image.fromarray((coarse * 255).astype(np.uint8)).resize((width, height), Image.BICUBIC),
            dtype=np.float32,
        )
        / 255.0
    )
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = (x + y) / np.sqrt(2), (x - y) / np.sqrt(2)  # the screen's axes, 45 degrees
    du = (u % pitch) - pitch / 2
    dv = (v % pitch) - pitch / 2
    radius = np.sqrt(tone / np.pi) * pitch  # dot area grows with the tone's darkness
    return np.where(du * du + dv * dv <= radius * radius, 0, 255).astype(np.uint8)


MONO = "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"
TYPED = [
    "The Committee has received a report from the office in",
    "Vienna stating that the emigration of persons from the",
    "provinces has been greatly accelerated during the past",
    "month. Arrangements were made with the consulates for",
    "the issue of visas, and a sum of money was set aside to",
    "assist those who are unable to pay the cost of passage.",
    "A second meeting is planned for the end of the season.",
]


def typewritten(size: int, ink: int, blur: float, paper: int = 225) -> np.ndarray:
    """A low-resolution typewritten carbon as scanned: grey ink on grey paper, soft strokes,
    saved as a rough JPEG."""
    import io

    from PIL import ImageFilter

    font = ImageFont.truetype(MONO, size)
    w = int(max(font.getlength(s) for s in TYPED)) + 80
    h = int(len(TYPED) * size * 1.6) + 80
    img = Image.new("L", (w, h), paper)
    d = ImageDraw.Draw(img)
    for i, s in enumerate(TYPED):
        d.text((40, 40 + i * size * 1.6), s, font=font, fill=ink)
    buf = io.BytesIO()
    img.filter(ImageFilter.GaussianBlur(blur)).save(buf, "JPEG", quality=50)
    return np.asarray(Image.open(buf))


def signed_letter(seed: int = 0) -> Image.Image:
    """The foot of a typed letter: text, a signature in pen loops two lines tall, the typed
    name under it (what the EHRI reports' last pages look like)."""
    rng = np.random.default_rng(seed)
    font = ImageFont.truetype(SERIF, 40)
    img = Image.new("L", (1700, 1100), 255)
    d = ImageDraw.Draw(img)
    for i, s in enumerate(LINES[:3] + ["", "Respectfully yours,"]):
        d.text((150, 100 + 60 * i), s, font=font, fill=0)
    t = np.linspace(0.0, 1.0, 900)
    loops = np.abs(np.sin(t * 30 + rng.uniform(0, 0.2))) * np.where(
        (t * 6).astype(int) % 2, 1.2, 0.6
    )
    xs = 600 + 700 * t + 35 * np.sin(t * 60)
    ys = 510 - 70 * loops + 20 * np.cos(t * 60)
    d.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=0, width=4)
    d.text((650, 600), "Frederick P. Hibbard,", font=font, fill=0)
    d.text((650, 660), "Secretary of Legation.", font=font, fill=0)
    return img


def heading_bar_page(heading: str | None = "SPORTING NEWS OF THE WEEK", full_width: bool = True):
    """A page under a black bar (as wide as the page, or boxed inside the margins) printed
    with a heading in white letters, as a newspaper section or a magazine masthead is; None:
    the bar without letters (a scanner bed's straight edge looks like that)."""
    font = ImageFont.truetype(SERIF, 40)
    bold = ImageFont.truetype(SERIF.replace("Regular", "Bold"), 56)
    img = Image.new("L", (1500, 1100), 255)
    d = ImageDraw.Draw(img)
    d.rectangle([0 if full_width else 120, 110, 1499 if full_width else 1380, 220], fill=0)
    if heading:
        d.text((160, 130), heading, font=bold, fill=255)
    for i, s in enumerate(LINES):
        d.text((120, 300 + i * 60), s, font=font, fill=0)
    return img


def running_head_page(head: str = "THE BRIDGE AT HANWELL  37") -> Image.Image:
    """A book page under its running head (smaller, centred, set apart), its text starting
    mid-sentence in lower case, as a page after the first of a chapter does."""
    font = ImageFont.truetype(SERIF, 40)
    small = ImageFont.truetype(SERIF, 30)
    lines = ["to consider the proposal", *LINES[1:]]
    img = Image.new("L", (1500, 900), 255)
    d = ImageDraw.Draw(img)
    d.text((750 - small.getlength(head) / 2, 120), head, font=small, fill=0)
    for i, s in enumerate(lines):
        d.text((120, 230 + i * 60), s, font=font, fill=0)
    return img


QUOTED = [
    "feel bound to quote, word for word, this glowing",
    "passage from the mayor's address of last week,",
    "which the whole town has by now read in print",
    "or heard read aloud at the council's meeting:",
]
AFTER = [
    "The fact that the shrewd old gentleman who sits",
    "in the governor's chair is saying nothing just",
    "now about the horizon need surprise nobody who",
    "has followed his speeches over the last years.",
]
QUOTATION = [
    "Over the horizon and the hills the sun has",
    "appeared, the eternal symbol of hope and of",
    "life, and we are all quickened by a stirring of",
    "new faith and new courage in a new deal.",
]


def quotation_page() -> Image.Image:
    """A column of text with a quotation set in from its left edge by an em (its first line by
    two), as newspapers set a passage they quote."""
    font = ImageFont.truetype(SERIF, 40)
    img = Image.new("L", (1300, 1160), 255)
    d = ImageDraw.Draw(img)
    y = 120
    for i, s in enumerate(QUOTED):
        d.text((120 + (40 if i == 0 else 0), y), s, font=font, fill=0)
        y += 60
    for i, s in enumerate(QUOTATION):
        d.text((120 + (80 if i == 0 else 40), y), s, font=font, fill=0)
        y += 60
    for i, s in enumerate(AFTER):
        d.text((120 + (40 if i == 0 else 0), y), s, font=font, fill=0)
        y += 60
    return img
