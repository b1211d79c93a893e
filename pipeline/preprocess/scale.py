"""DPI normalisation: bring the letters to the size Tesseract reads best."""

from __future__ import annotations

import cv2
import numpy as np

MAX_UPSCALE = 3.0
# Letters under this share of the target are scaled up to it; larger ones are left alone. On the
# real development scans typewriting at 8-10 px read 2-5 points of word F1 better scaled, while
# a 14-px page scaled x1.4 lost 3 points (Tesseract's own size handling did better).
SMALL_LETTERS = 0.6
# Small letters are scaled up to this share of the target, not to the target itself. Tesseract
# scales every text line to its recogniser's own height, so a bigger page only helps the steps
# before that (finding lines and letters); on the five development pages with 7-10 px letters
# (72-96 dpi typewriting and documents) letters made 13-14 px read as well or better than
# letters made 20 px, in 60-80 % of the time (RESULTS, session 20).
UPSCALE_TO = 0.7
# ...except on a speckled page (salt-and-pepper noise: more specks than letters), which read
# better scaled to the full target: the stress variant `noise` of those five pages lost 1-5
# points of word F1 at 14 px against 20 (RESULTS, session 20). No development page with
# small letters is speckled (0.01-0.14 specks a letter; the noise variants 0.9-2.3).
SPECKLED = 0.5
# Never make a page bigger than this (a 600-dpi A4 page is 35 Mpixel): whatever the letters
# measure, a larger image only costs time and memory (a broadsheet scaled x3 by a misread
# letter height was 119 Mpixel and 1.3 GB in a worker).
MAX_OUT_PIXELS = 36_000_000
# A file that says it was scanned at this resolution or finer is believed: there, letters that
# measure under SMALL_LETTERS of the target would be type under 3 points — what was measured
# is picture texture (a woven-cane figure in a 300-dpi book read as 8-px "letters" was scaled
# x2.5 and Tesseract made 1,200 % CER of garbage out of it; the scan as it was read cleanly).
TRUSTED_DPI = 250.0
# Letters over this share of the target are scaled down to it. Tesseract reads type near the
# target best: 8 development pages made twice their size (as a 600-dpi scan) took it 1.6-2.4x
# as long and 5 read worse, while shrunk back they read within half a point of word F1 of the
# original or better (stress variant `double`, 33 pages: word-F1 error ratio to plain
# Tesseract 0.985 -> 0.523). Pages of 25-27-px letters shrunk to the target read mixed (one
# typewritten page lost 1.4 points), so 1.5: no development page is touched.
BIG_LETTERS = 1.5
# A blur fattens what the letter measure sees (letters run into their neighbours): book pages
# blurred by 3 px measured 31-41 px letters for 21-26 and were shrunk by half, to type
# Tesseract could no longer read (word F1 99 -> 50 % on one). Their edges are soft for letters
# that size: edge sharpness (`measure.edge_sharpness`) times the letter height 5.1-6.8, where
# pages scanned at twice the resolution measure 14.8-20.8 and the development scans 4.6-30 at
# sizes never shrunk. Under SOFT_LETTER_EDGES the page is not shrunk, unless it is over
# SOFT_SHRINK_PIXELS, where shrinking is needed for time and memory (a soft newspaper page made
# twice its size measures 5.4 at 61 Mpixel).
SOFT_LETTER_EDGES = 10.0
SOFT_SHRINK_PIXELS = 20_000_000


def texture_not_type(letter_px: float, dpi: float | None, target_px: float) -> bool:
    """Small "letters" on a page whose file says it is finely scanned are not type."""
    return bool(dpi and dpi >= TRUSTED_DPI and letter_px < SMALL_LETTERS * target_px)


def scale_factor(
    letter_px: float | None,
    dpi: float | None,
    target_px: float,
    pixels: int = 0,
    speckled: bool = False,
) -> float:
    """Upsample small text, shrink big text, leave text near the target size alone (every
    resampling blurs a little).

    Measured letter height decides; the file's DPI is the fallback when the page has too
    little text to measure. `pixels`, the page's size, caps the result at MAX_OUT_PIXELS.
    Small letters go to UPSCALE_TO of the target, or to the target on a `speckled` page.
    """
    if letter_px:
        small = letter_px < SMALL_LETTERS * target_px and not texture_not_type(
            letter_px, dpi, target_px
        )
        big = letter_px > BIG_LETTERS * target_px
        goal = UPSCALE_TO * target_px if small and not speckled else target_px
        factor = min(MAX_UPSCALE, goal / letter_px) if small or big else 1.0
    elif dpi and dpi < 250:
        factor = min(MAX_UPSCALE, 300.0 / dpi)
    else:
        factor = 1.0
    if pixels and factor > 1.0:
        factor = max(1.0, min(factor, (MAX_OUT_PIXELS / pixels) ** 0.5))
    return factor


def rescale(grey: np.ndarray, factor: float) -> np.ndarray:
    if abs(factor - 1.0) < 0.05:
        return grey
    h, w = grey.shape
    size = (round(w * factor), round(h * factor))
    return cv2.resize(grey, size, interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)
