"""Stage 1: hand Tesseract the page it reads best — never a worse one than the scan itself.

Every change to the scan is made only on evidence measured on the page, and recorded in
`preprocess.json` with the figure that earned it: small letters are scaled up, a measurable
skew is levelled, uneven paper is levelled, scanner borders are painted out; specks are left
to Tesseract, which tells them from punctuation better than size alone does. What Tesseract
gets is greyscale (it thresholds strokes with their anti-aliasing better than we do: on the
real development scans our own threshold fattened low-resolution typewriting and merged the
lines of two columns) unless the scan was bilevel already, which stays bilevel as scanned.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import cv2
import numpy as np

from pipeline.errors import PageError
from pipeline.fileio import write_bytes, write_json
from pipeline.ocr.tesseract import run_osd
from pipeline.options import Options
from pipeline.preprocess.binarize import background, level, threshold
from pipeline.preprocess.clean import clean_page
from pipeline.preprocess.deskew import (
    MIN_GAIN,
    MIN_ROTATION,
    outside,
    rotate,
    search_copy,
    skew_and_gain,
)
from pipeline.preprocess.encode import bilevel_png, grey_png
from pipeline.preprocess.load import load_page
from pipeline.preprocess.measure import (
    MIN_LETTERS,
    cell_means,
    edge_sharpness,
    letter_like,
    quick_binary,
    specks_per_letter,
    word_blots,
)
from pipeline.preprocess.orient import Osd, turn_of, turned
from pipeline.preprocess.scale import (
    SMALL_LETTERS,
    SOFT_LETTER_EDGES,
    SOFT_SHRINK_PIXELS,
    SPECKLED,
    UPSCALE_TO,
    rescale,
    scale_factor,
    texture_not_type,
)

# Paper whose brightness varies by more than this share of its brightest (shading, a yellowed
# fold, a dark gutter) is levelled before Tesseract's global threshold sees it.
UNEVEN_PAPER = 0.12
SPREAD_GRID = (64, 64)  # cells the paper's evenness is judged in
# Ground darker than a third of the way from the ink to the paper is not paper (DARK_GROUND).
DARK_GROUND = 0.35
# A dark region with letter-like ink at this share of the page's or more is shaded paper
# carrying text, not ground (a bed holds none, a shaded text column about as much as the page).
GROUND_TEXT_SHARE = 0.25
GROUND_MIN_AREA = 0.001  # smaller dark regions (of the page's area) are not looked into
DEFAULT_DPI = 300.0
# A page over this many pixels (a 600-dpi scan; the largest development page has 15 Mpixel)
# has its letters measured on a half-size copy first: when that says big type, the page is
# shrunk before anything else is measured on it, and never held at full size in the letter
# measure's 16-bit labels and float distances (a 60-Mpixel page: 745 MB).
HUGE_PIXELS = 24_000_000


def bilevel(grey: np.ndarray) -> bool:
    """The scan holds two grey levels only: it was thresholded already (1-bit TIFF/PNG).

    A grey scan shows more levels within a few rows, so a sample of rows answers for most
    pages (~0.3 ms); only a page whose sample is bilevel has every pixel counted (~8 ms)."""
    for sample in (grey[:: max(1, grey.shape[0] // 16)], grey):
        hist = cv2.calcHist([sample], [0], None, [256], [0, 256]).ravel()
        if np.count_nonzero(hist) > 2:
            return False
    return True


def paper_levels(bg: np.ndarray, lettered: np.ndarray) -> tuple[float, float]:
    """The paper's brightness where the text is: 5th and 95th percentile over the cells of
    SPREAD_GRID that hold letters. Margins, borders and pictures hold none and do not count."""
    small = cell_means(bg, SPREAD_GRID)
    small = small[lettered] if lettered.sum() >= 8 else small.ravel()
    lo, hi = np.percentile(small, [5, 95])
    return float(lo), float(hi)


def dark_ground(
    bg: np.ndarray, ink_level: float, paper_level: float, letters: np.ndarray, text_share: float
) -> np.ndarray:
    """Where the "paper" is nearly as dark as the ink: a black scanner bed or a shadowed edge
    beyond the page. Levelling makes such areas white in the middle but leaves their edges,
    so they are found here and painted out (as borders, when they touch the page's edge);
    not where such paper carries text (`_text_on_dark`)."""
    dark = bg < ink_level + DARK_GROUND * (paper_level - ink_level)
    if dark.any():
        dark &= ~_text_on_dark(dark, letters, text_share)
    return dark


def _text_on_dark(dark: np.ndarray, letters: np.ndarray, text_share: float) -> np.ndarray:
    """The dark regions at the scan's edge whose letter-like ink (`letters`: the levelled
    page's) is at least GROUND_TEXT_SHARE of the page's share (`text_share`): heavily shaded
    paper carrying text, which painting out deleted (a shaded magazine page's whole column).
    A bed holds no letters, and the page's edge lines a bed's outline with only a few. Only
    regions at the edge can become borders (`clean_page`), so only they are looked into."""
    found = np.zeros_like(dark)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark.view(np.uint8), connectivity=8)
    left, top, width, height, area = (stats[:, k] for k in range(5))
    at_edge = (left == 0) | (top == 0)
    at_edge |= (left + width >= dark.shape[1]) | (top + height >= dark.shape[0])
    at_edge[0] = False
    for i in np.flatnonzero(at_edge & (area >= GROUND_MIN_AREA * dark.size)):
        x, y, w, h, a = (int(v) for v in stats[i])
        region = labels[y : y + h, x : x + w] == i
        ink = letters[y : y + h, x : x + w] & region
        enough = GROUND_TEXT_SHARE * text_share * a
        if np.count_nonzero(ink) < enough:
            continue  # too little ink for that many letters: no need to look at its shapes
        if np.count_nonzero(letter_like(ink, dark.shape[0] / 10)[1]) >= enough:
            found[y : y + h, x : x + w] |= region
    return found


class NoLetters(PageError):
    """No letter-like marks to measure the page by."""


BLANK = "page is blank or has no text-like marks; check the scan"


def _letters(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The rough ink mask, the letter-like marks' mask and their median height."""
    rough = quick_binary(grey)
    heights, text = letter_like(rough)
    if len(heights) < MIN_LETTERS:
        raise NoLetters(BLANK)
    return rough, text, float(np.median(heights))


def _letters_at_half(grey: np.ndarray) -> float | None:
    """The letter height of a huge page measured on a half-size copy (twice what that gives):
    a quarter of the memory and time of measuring it as it is. None when the copy has too few
    letter-like marks (small type at half size may merge), so the page is measured whole."""
    half = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    heights, _ = letter_like(quick_binary(half))
    return 2.0 * float(np.median(heights)) if len(heights) >= MIN_LETTERS else None


class _Sized(NamedTuple):
    """A page after its letters are measured: shrunk already when its type is big."""

    grey: np.ndarray
    text: np.ndarray  # the letter-like marks of `grey`
    letter_in: float  # letter height as scanned
    factor: float  # applied already when under 1; small type is scaled up later
    at_half: bool  # measured on a half-size copy (`_letters_at_half`)
    soft: float | None = None  # edge sharpness x letter height, when too soft to shrink by


def _sized(grey: np.ndarray, dpi: float | None, options: Options) -> _Sized:
    """Measure the letters; big type (a 600-dpi scan) is shrunk at once, so every later
    measure and step works on the smaller page."""
    letter_in = _letters_at_half(grey) if grey.size > HUGE_PIXELS else None
    at_half = letter_in is not None
    if letter_in is None:
        _, text, letter_in = _letters(grey)
    factor = scale_factor(letter_in, dpi, options.target_xheight, grey.size)
    soft = _too_soft_to_shrink(grey, letter_in) if factor < 1.0 else None
    if factor < 1.0 and soft is None:
        grey = rescale(grey, factor)
        _, text, _ = _letters(grey)
        return _Sized(grey, text, letter_in, factor, at_half)
    if at_half:  # not big type: measured again as it is
        _, text, letter_in = _letters(grey)
    return _Sized(grey, text, letter_in, 1.0, False, soft)


def _too_soft_to_shrink(grey: np.ndarray, letter: float) -> float | None:
    """Edge sharpness x letter height when under SOFT_LETTER_EDGES on a page small enough to
    leave as it is: big letters measured on soft edges may be a blur's doing."""
    if grey.size > SOFT_SHRINK_PIXELS:
        return None
    sharpness = edge_sharpness(grey)
    if sharpness is None or sharpness * letter >= SOFT_LETTER_EDGES:
        return None
    return round(sharpness * letter, 1)


def preprocess_array(
    grey: np.ndarray, dpi: float | None, options: Options, osd: Osd | None = None
) -> tuple[np.ndarray, dict[str, Any]]:
    """The pure part: the scan in, the page for Tesseract (0 ink .. 255 paper) and why out.
    `osd` is Tesseract's orientation detector, asked only about a page that may be turned."""
    is_bilevel = bilevel(grey)
    try:
        grey, text, letter_in, factor, at_half, soft = _sized(grey, dpi, options)
    except NoLetters:
        blots = word_blots(quick_binary(grey))
        if blots is None:
            raise
        return _as_scanned(grey, dpi, is_bilevel, blots)
    early = factor < 1.0  # shrunk already
    letter = letter_in * factor  # the letters' height on `grey` as it stands
    small = search_copy(text, letter)  # the letters at 8 px: deskew's and orient's copy
    angle, gain = skew_and_gain(text, letter, small)  # on the letters only: not border edges
    turn, orientation = turn_of(grey, text, letter, angle, osd, small)
    del small
    if turn:
        grey = turned(grey, turn)
        _, text, letter = _letters(grey)
        angle, gain = skew_and_gain(text, letter)
    specks = None
    if not early:  # small type is scaled up after the turn, on its letters measured then
        letter_in = letter
        if letter < SMALL_LETTERS * options.target_xheight:
            specks = round(specks_per_letter(quick_binary(grey)), 2)
        speckled = specks is not None and specks >= SPECKLED
        factor = scale_factor(letter_in, dpi, options.target_xheight, grey.size, speckled)
        if soft is not None:
            factor = max(factor, 1.0)
    # cells with letters: those whose ink would not round to 0 in an 8-bit mean
    lettered = cell_means(text.view(np.uint8), SPREAD_GRID) * 255 >= 0.5
    ink_level = float(np.median(grey[text][::7]))  # how dark the letters are printed
    text_share = np.count_nonzero(text) / text.size
    del text
    turn_skew = abs(angle) >= MIN_ROTATION and gain >= MIN_GAIN
    if factor != 1.0 and not early:
        grey = rescale(grey, factor)
        letter = letter_in * factor
    beyond = None
    if turn_skew:
        beyond = outside(grey.shape, angle)
        grey = rotate(grey, angle)
    bg = background(grey, letter)
    flat = level(grey, bg)
    letters, thresh = threshold(flat)
    paper_lo, paper_hi = paper_levels(bg, lettered)
    spread = (paper_hi - paper_lo) / max(paper_hi, 1)
    ink = letters | dark_ground(bg, ink_level, paper_hi, letters, text_share)
    # Only borders and dark ground (scanner beds, shadowed edges) are painted out, with their
    # soft edges. Specks stay: on the real scans removing them cost born-digital pages CER
    # 0.2 -> 0.6 % and bilevel book pages 0.62 -> 0.69 % (median), for no page's gain.
    cleaned, borders, _ = clean_page(ink, letter, drop_specks=False, beyond=beyond)
    del beyond
    gone = None
    if borders:
        k = max(3, int(letter / 6)) | 1
        gone = cv2.dilate((ink & ~cleaned).view(np.uint8), np.ones((k, k), np.uint8)) > 0
    del bg
    if is_bilevel:
        kind = "bilevel"
        # the scan's own pixels, not our threshold of them (which cost book pages 0.05-0.1
        # point of CER each): only scaling or rotation blur them, and 128 restores two levels
        out = cv2.compare(grey, 128, cv2.CMP_GE)  # paper 255, ink 0
        if gone is not None:
            out[gone] = 255
    else:
        levelled = spread > UNEVEN_PAPER
        kind = "levelled grey" if levelled else "grey"
        out = flat if levelled else grey
        if gone is not None:
            out = out.copy()
            out[gone] = 255
    stats = {
        "dpi_in": dpi,
        "dpi_out": _dpi_out(dpi, factor),
        "scale": round(factor, 3),
        "letter_px_in": round(letter_in, 1),
        "letter_px_out": round(letter, 1),
        "skew_deg": angle,  # measured on the letters; the page is rotated only when earned
        "skew_gain": gain,  # row-profile sharpness at that angle / level
        "rotated": turn_skew,
        "turned": turn,  # clockwise degrees: a page scanned sideways or upside down
        "orientation": orientation,
        "image_for_ocr": kind,
        "why": _why(
            is_bilevel,
            spread,
            _size_why(letter_in, dpi, factor, options, at_half, specks, soft),
            angle,
            gain,
            turn_skew,
        )
        + ([orientation["why"]] if "why" in orientation else []),
        "paper_spread": round(spread, 3),
        "threshold": thresh,  # our Otsu on the levelled page: what borders and specks come from
        "borders_removed": borders,
        **_image_figures(out, is_bilevel),
    }
    return out, stats


def _as_scanned(
    grey: np.ndarray, dpi: float | None, is_bilevel: bool, blots: tuple[int, float]
) -> tuple[np.ndarray, dict[str, Any]]:
    """A page whose letters cannot be measured but which carries word-like blots (a blurred
    scan: its letters ran together at any one threshold): handed to Tesseract as scanned,
    which reads such pages (a rendered page blurred by 2 px: every word), rather than lost."""
    out = cv2.compare(grey, 128, cv2.CMP_GE) if is_bilevel else grey
    count, height = blots
    return out, {
        "dpi_in": dpi,
        "dpi_out": _dpi_out(dpi, 1.0),
        "scale": 1.0,
        "letter_px_in": None,
        "letter_px_out": None,
        "skew_deg": None,  # not measured: no letters to measure it on
        "skew_gain": None,
        "rotated": False,
        "turned": 0,
        "orientation": {},
        "image_for_ocr": "bilevel" if is_bilevel else "grey",
        "why": [
            f"no letter-like marks, but {count} word-like blots {height:.0f} px tall "
            "(letters run together: a blurred scan?): the scan as it is"
        ],
        "paper_spread": None,
        "threshold": None,
        "borders_removed": 0,
        **_image_figures(out, is_bilevel),
    }


def _dpi_out(dpi: float | None, factor: float) -> int:
    """The resolution written into the PNG. Without one in the file, 300: letters of 12 px or
    more (or scaled to 20) are what a 300-dpi scan of print gives. Deriving it from the letter
    height instead (405 dpi for 27-px letters) made Tesseract misjudge sizes (a magazine page:
    CER 3.6 % vs 0.1 %)."""
    return round(dpi * factor) if dpi else round(DEFAULT_DPI)


def _image_figures(out: np.ndarray, is_bilevel: bool) -> dict[str, Any]:
    """The figures of the page Tesseract gets, however it was made."""
    return {
        "width": int(out.shape[1]),
        "height": int(out.shape[0]),
        "ink_share": round(np.count_nonzero(out < 128) / out.size, 4),
        # how steep the ink's edges are: stage 2 reads a soft page sharpened too (ocr/soft.py)
        "edge_sharpness": None if is_bilevel else edge_sharpness(out),
    }


def _size_why(
    letter: float,
    dpi: float | None,
    factor: float,
    options: Options,
    at_half: bool,
    specks: float | None = None,
    soft: float | None = None,
) -> str:
    if soft is not None:
        return (
            f"letters {letter:.0f} px on soft edges (sharpness x letter height {soft:g} < "
            f"{SOFT_LETTER_EDGES:g}: a blur may have fattened them): not shrunk"
        )
    if factor != 1.0:
        where = " (measured on a half-size copy)" if at_half else ""
        if specks is not None:
            goal = options.target_xheight * (1.0 if specks >= SPECKLED else UPSCALE_TO)
            where += f", {specks:g} specks a letter: to {goal:g} px" if factor > 1 else ""
        return f"letters {letter:.0f} px{where}: scaled x{factor:.2f}"
    if texture_not_type(letter, dpi, options.target_xheight):
        return (
            f"letters {letter:.0f} px at {dpi:.0f} dpi would be type under 3 pt: "
            "picture texture, not scaled"
        )
    return f"letters {letter:.0f} px: not scaled"


def _why(
    is_bilevel: bool, spread: float, size: str, angle: float, gain: float, turn: bool
) -> list[str]:
    """The page's decisions in words, each with the figure that made it."""
    why = [
        "the scan is bilevel already: kept bilevel"
        if is_bilevel
        else f"paper spread {spread:.2f} {'>' if spread > UNEVEN_PAPER else '<='} "
        f"{UNEVEN_PAPER}: {'levelled' if spread > UNEVEN_PAPER else 'grey as scanned'}"
    ]
    why.append(size)
    if turn:
        why.append(f"skew {angle} deg, profile {gain}x sharper than level: rotated")
    elif abs(angle) >= MIN_ROTATION:
        why.append(f"skew {angle} deg but profile only {gain}x level (< {MIN_GAIN}): not rotated")
    return why


def tesseract_osd(timeout: float) -> Osd:
    """Tesseract's orientation detector on a page held in memory (written to a temporary PNG
    that is removed at once)."""

    def osd(grey: np.ndarray) -> dict[str, float]:
        with tempfile.TemporaryDirectory(prefix="ocr-pipeline-osd-") as tmp:
            image = Path(tmp) / "page.png"
            write_bytes(image, grey_png(grey, DEFAULT_DPI))
            return run_osd(image, timeout)

    return osd


def run(source: Path, page_index: int, out_dir: Path, options: Options) -> dict[str, Any]:
    grey, dpi = load_page(source, page_index, options.pdf_dpi)
    try:
        out, stats = preprocess_array(grey, dpi, options, tesseract_osd(options.timeout))
    except PageError as e:
        raise PageError(f"{source}: {e}") from None
    encode = bilevel_png if stats["image_for_ocr"] == "bilevel" else grey_png
    write_bytes(out_dir / "image.png", encode(out, stats["dpi_out"]))
    stats = {"source": str(source), "page": page_index + 1, **stats}
    write_json(out_dir / "preprocess.json", stats)
    return stats
