"""Pages scanned turned, sideways or upside down: found cheaply, confirmed by Tesseract.

Plain Tesseract reads a turned page as junk. Its orientation detector (`--psm 0`) costs
about as much as reading a small page, so it is asked only where one of two cheap measures on
the page's letters says the page may be turned, and the page is turned only where it agrees:
- lines across (`lines_across`): text lines make the row profile of the letters sharp, at the
  page's skew; on a page set sideways the column profile is the sharp one. On the 161 upright
  development and synthetic pages the rows were 1.36-46 times sharper than the columns
  (1.36: a copyright page under heavy noise; then 1.61, a faint typewritten report).
- ascenders over descenders (`ascender_ratio`): in Latin print more letters rise above the
  x-height (`b d f h k l t`, capitals, figures) than drop below the baseline (`g j p q y`),
  so within each text line more ink lies above its core than below. On the same upright
  pages 0.52-8.1 (under 1.2 only the noisy copyright page, 0.52, a heavy synthetic page, 0.90,
  and a picture page, 1.10); pages of text turned upside down 0.1-0.9. The lines are taken
  in strips about a column wide, so that columns whose lines do not align do not blur each
  other's.
A page in doubt is turned by Tesseract's answer, when it is the same kind of turn (a quarter
turn for a sideways page, a half turn for an upside-down one) with at least
OSD_MIN_CONFIDENCE. One exception: columns at least twice as sharp as rows (SURELY_SIDEWAYS)
leave no doubt that the page lies on its side, and when Tesseract is unsure which side (a
sideways multi-column page: confidence 2.9) the ascenders of the page turned a quarter say
which way, if clearly. Otherwise the page stays as scanned, and `preprocess.json` says why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipeline.preprocess.deskew import (
    SEARCH_LETTER,
    column_prefix,
    column_shifts,
    group_score,
    search_copy,
    shrunk,
    skew_and_gain,
)

SIDEWAYS = 0.8  # rows / columns sharpness under this: the lines may run down the page
# Under this the lines do run down the page (upright pages: 1.36 and up): when Tesseract cannot
# say which way, the ascenders do (DIRECTION_CLEAR either way).
SURELY_SIDEWAYS = 0.5
DIRECTION_CLEAR = 1.4
UPSIDE_DOWN = 0.7  # ascender / descender ink under this: the letters may stand on their heads
OSD_MIN_CONFIDENCE = 3.0  # Tesseract's units: turned pages 2.9-22, a page of noise 0.15
SIDEWAYS_LETTER = 4.0  # px: letters shrunk to this for comparing the two profiles (cheap)
ASCENDER_LETTER = SEARCH_LETTER  # px: the ascender measure works on deskew's `search_copy`
# (letters this tall), shared with the angle search: one resize of the page fewer
STRIP_LETTERS = 30  # a strip for the ascender measure is this many letter heights wide
GAP_SHARE = 0.02  # a profile row under this share of its strip's peak is between lines
CORE_SHARE = 0.5  # a line's core: its rows at this share of the line's peak or more

Osd = Callable[[np.ndarray], dict[str, float]]  # the page -> {"rotate": deg, "confidence": c}


def _shrunk(mask: np.ndarray, letter_px: float, target: float) -> np.ndarray:
    """The letter mask shrunk so its letters are `target` px tall (never enlarged)."""
    return shrunk(mask, min(1.0, target / letter_px))


def _sharpness(small: np.ndarray, angle: float) -> float:
    """Row-profile sharpness of a shrunk mask at `angle`, per ink pixel squared and row:
    comparable between a page and its transpose."""
    xs = np.flatnonzero(small) % small.shape[1]
    if len(xs) == 0:
        return 0.0
    score = group_score(column_prefix(small), float(xs.mean()), angle)
    return score / float(len(xs)) ** 2 * small.shape[0]


def lines_across(text: np.ndarray, letter_px: float, row_angle: float) -> float:
    """How much sharper the letters' row profile is than their column profile, each at its
    own best angle: over 1 for lines across the page, under 1 for lines running down it.
    Both on one copy shrunk to SIDEWAYS_LETTER (a broadsheet page: one resize, not four)."""
    small = _shrunk(text, letter_px, SIDEWAYS_LETTER)
    cols = np.ascontiguousarray(small.T)
    col_angle, _ = skew_and_gain(cols, 8.0)  # 8: searched at the size it has
    across = _sharpness(cols, col_angle)
    return round(_sharpness(small, row_angle) / across, 3) if across > 0 else float("inf")


def _above_below(profile: np.ndarray) -> tuple[float, float]:
    """Ink above and below the cores of the text lines of one strip's row profile."""
    peak = profile.max()
    if peak <= 0:
        return 0.0, 0.0
    inked = np.concatenate(([False], profile > GAP_SHARE * peak, [False]))
    edges = np.flatnonzero(np.diff(inked.view(np.int8)))
    above = below = 0.0
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        line = profile[start:end]
        if len(line) < 3:
            continue
        core = np.flatnonzero(line >= CORE_SHARE * line.max())
        above += float(line[: core[0]].sum())
        below += float(line[core[-1] + 1 :].sum())
    return above, below


def ascender_ratio(
    text: np.ndarray, letter_px: float, angle: float, small: np.ndarray | None = None
) -> float:
    """Ink above the text lines' cores over ink below them, the lines levelled by `angle`.
    `small`: deskew's `search_copy` of `text`, when the caller has it."""
    if small is None:
        small = search_copy(text, letter_px)
    ys, xs = np.divmod(np.flatnonzero(small), small.shape[1])
    if len(ys) == 0:
        return 1.0
    shift = column_shifts(float(xs.mean()), small.shape[1], angle)
    rows = ys + (shift[xs] - shift.min())
    strips = max(1, round(small.shape[1] / (STRIP_LETTERS * ASCENDER_LETTER)))
    strip = xs * strips // small.shape[1]
    length = int(rows.max()) + 1
    profiles = np.bincount(strip * length + rows, minlength=strips * length)
    above = below = 0.0
    for profile in profiles.reshape(strips, length):
        a, b = _above_below(profile.astype(np.float64))
        above, below = above + a, below + b
    return round(above / below, 3) if below > 0 else float("inf")


def turn_of(
    grey: np.ndarray,
    text: np.ndarray,
    letter_px: float,
    row_angle: float,
    osd: Osd | None,
    small: np.ndarray | None = None,
) -> tuple[int, dict]:
    """Clockwise degrees to turn the page (0, 90, 180 or 270), and the evidence. `small`: the
    letters shrunk as deskew's `search_copy` gives, when the caller has it."""
    across = lines_across(text, letter_px, row_angle)
    evidence: dict = {"lines_across": across}
    if across < SIDEWAYS:
        doubt, wanted = "sideways", (90, 270)
    else:
        ratio = ascender_ratio(text, letter_px, row_angle, small)
        evidence["ascenders"] = ratio
        if ratio >= UPSIDE_DOWN:
            return 0, evidence
        doubt, wanted = "upside down", (180,)
    evidence["doubt"] = doubt
    if osd is None:
        evidence["why"] = f"may be {doubt}; no orientation detector: left as scanned"
        return 0, evidence
    try:
        answer = osd(grey)
    except Exception as e:  # noqa: BLE001 - any failure leaves the page as it was scanned
        evidence["why"] = f"may be {doubt}; Tesseract could not tell ({e}): left as scanned"
        return 0, evidence
    evidence["osd"] = answer
    rotate, conf = int(answer["rotate"]) % 360, answer["confidence"]
    if rotate in wanted and conf >= OSD_MIN_CONFIDENCE:
        evidence["why"] = f"{doubt}; Tesseract agrees ({rotate} deg, confidence {conf:g}): turned"
        return rotate, evidence
    if across < SURELY_SIDEWAYS:
        own = _sideways_direction(text, letter_px)
        if own:
            evidence["why"] = (
                f"sideways (rows {across:g}x as sharp as columns); Tesseract unsure "
                f"({rotate} deg, confidence {conf:g}); the ascenders say {own} deg: turned"
            )
            return own, evidence
    evidence["why"] = (
        f"may be {doubt}, but Tesseract says turn {rotate} deg at confidence {conf:g}: "
        "left as scanned"
    )
    return 0, evidence


def _sideways_direction(text: np.ndarray, letter_px: float) -> int | None:
    """90 or 270 from the ascenders of the page turned 90 degrees, None if they are unclear."""
    quarter = turned(text, 90)
    small = search_copy(quarter, letter_px)
    angle, _ = skew_and_gain(quarter, letter_px, small)
    ratio = ascender_ratio(quarter, letter_px, angle, small)
    if ratio >= DIRECTION_CLEAR:
        return 90
    if ratio <= 1 / DIRECTION_CLEAR:
        return 270
    return None


def turned(grey: np.ndarray, clockwise: int) -> np.ndarray:
    """The page turned clockwise by a multiple of 90 degrees (lossless)."""
    return np.ascontiguousarray(np.rot90(grey, -(clockwise // 90)))
