"""Real scans made worse in ways the development pages are not: does the pipeline still never
fall under plain Tesseract?

    .venv/bin/python -m bench.stress [--every 8] [--jobs 2] [--work bench/work/stress]
                                     [--data ../shared/data/scans-dev] [--variants V,..]
                                     [--sets NAME,..]

Every K-th page of each development set (`bench.scans`) is written again in nineteen ways, as a
scan nobody here tuned on might come: turned 1.5 degrees (`rot15`) and 3 degrees (`rot3`), at
half the resolution (`half`) and at twice it (`double`, as archives scan at 600 dpi), as a
JPEG at quality 35 (`jpeg`), under light falling off to 55 % across the page (`shade`), on a
black scanner bed 100 px wide, the whole turned 1 degree (`bed`, as microfilm is), printed
faint (ink at grey 110 on paper at 205: `faint`), and with 0.8 % of its pixels flipped to
black or white (`noise`), upside down (`upside`) and turned a quarter counter-clockwise
(`quarter`), as pages are fed to a scanner, and two pages side by side with the fold's shadow
between them (`spread`: the next page of the same set to the right, as a book or a bound
volume is scanned open; its ground truth is the left page's, then the right one's), blurred
as a soft scan is (`blur`, sigma 1.2 px) and as a page photographed out of focus (`blur2`,
`blur3`: 2 and 3 px), with the next page's text showing through from
the reverse side at a quarter of its darkness (`bleed`), at three quarters of its pixels
(`threeq`), and as it is but with a resolution in the file that is not the scan's (`dpi150`,
`dpi250`: Tesseract's columns depend on the resolution it is told). Only these two state a
resolution. `--variants` picks some of them, `--sets` some of the sets; seven more are run only
when named there: the page at 0.6, 0.85, 1.25 and 1.5 times its pixels (`x60`, `x85`, `x125`,
`x150`), and the page with the set's next one (`cols2`) or next two (`cols3`) cut to their
text and set side by side as one page's columns, an em apart, their letters brought to one
size (layouts no reading-order rule was tuned on; ground truth left to right), and two such
columns with a halftone picture set into the first between two of its lines (`pic2`: the text
runs on under it). Each variant is
a set of its own, scored by `bench.scans` against plain Tesseract on the same varied image (the
ground truth is the page's). The varied images go to WORK/data (never into the repository),
the runs to WORK/out.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from bench import scans
from pipeline.preprocess.load import load_page

VARIANTS = (
    "rot15",
    "rot3",
    "half",
    "double",
    "jpeg",
    "shade",
    "bed",
    "faint",
    "noise",
    "upside",
    "quarter",
    "spread",
    "blur",
    "blur2",
    "blur3",
    "bleed",
    "threeq",
    "dpi150",
    "dpi250",
)
# Not run unless asked for (`--variants x85,...`): the page at other scales, no resolution in the
# file (INTER_AREA down, cubic up). Tesseract builds a multi-column page's blocks differently at
# each scale, which is what stage 3's reading order is tried on (RESULTS, session 30).
SCALES = ("x60", "x85", "x125", "x150")
# Pages cut to their text and set side by side as columns (2 or 3), a gutter apart: layouts
# nobody tuned the reading order on, in real ink, with an exact ground truth (left to right).
COLUMNS = ("cols2", "cols3", "pic2")  # pic2: two columns, a picture set into the first
GUTTER = 1.5  # the gutter between columns, in the letters' heights (about an em)
MARGIN = 3  # paper round the columns, in the letters' heights
PICTURE_PITCH = 6  # px between the dots of a picture's halftone screen (as on real pages)
JPEG_QUALITY = 35
SHADE_FLOOR = 0.55  # the far corner's light, as a share of the near one's
BED, BED_WIDTH, BED_TURN = 15, 100, 1.0  # the bed's grey, its width (px), the turn (degrees)
FAINT = (110, 205)  # the grey black and white are printed at
NOISE = 0.004  # the share of pixels turned black, and again white
FOLD_DARK, FOLD_WIDTH = 0.45, 0.02  # the fold's shadow: its darkest light, its spread (of width)
BLUR_SIGMA = 1.2  # px: a soft scan (out of focus, or a print of a microfilm)
BLURS = {"blur": BLUR_SIGMA, "blur2": 2.0, "blur3": 3.0}  # blur2/3: a page photographed soft
BLEED = 0.25  # how dark the reverse side's ink shows through, as a share of its own


def spread(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Two pages scanned open side by side: the shorter one padded with its paper, and the
    light falling off into the fold between them."""
    h = max(left.shape[0], right.shape[0])
    pages = [
        cv2.copyMakeBorder(g, 0, h - g.shape[0], 0, 0, cv2.BORDER_CONSTANT, value=int(np.median(g)))
        for g in (left, right)
    ]
    both = np.hstack(pages).astype(np.float32)
    w = both.shape[1]
    x = np.arange(w, dtype=np.float32) - left.shape[1]
    light = 1.0 - (1.0 - FOLD_DARK) * np.exp(-0.5 * (x / (FOLD_WIDTH * w)) ** 2)
    return np.clip(both * light[None, :], 0, 255).astype(np.uint8)


def _letter_boxes(grey: np.ndarray) -> np.ndarray:
    """Boxes (x, y, w, h) of the letter-like ink: not touching the page's edge (scanner
    borders), about as tall as the letters (not specks, rules or pictures), not wide."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = stats[1:].T
    gh, gw = grey.shape
    inside = (x > 0) & (y > 0) & (x + w < gw) & (y + h < gh) & (area >= 6) & (h >= 4)
    boxes = stats[1:, :4][inside]
    if not len(boxes):
        return boxes
    tall = np.median(boxes[:, 3])
    keep = (boxes[:, 3] >= tall / 2) & (boxes[:, 3] <= 2 * tall) & (boxes[:, 2] <= 3 * tall)
    return boxes[keep]


def text_crop(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The page cut to its text with a letter's height of paper round it; the letter height."""
    boxes = _letter_boxes(grey)
    if len(boxes) < 20:
        return grey, grey.shape[0] / 60
    tall = float(np.median(boxes[:, 3]))
    pad = int(tall)
    x0 = max(0, int(boxes[:, 0].min()) - pad)
    y0 = max(0, int(boxes[:, 1].min()) - pad)
    x1 = min(grey.shape[1], int((boxes[:, 0] + boxes[:, 2]).max()) + pad)
    y1 = min(grey.shape[0], int((boxes[:, 1] + boxes[:, 3]).max()) + pad)
    return grey[y0:y1, x0:x1], tall


def halftone(height: int, width: int, seed: int) -> np.ndarray:
    """A photograph as a newspaper prints it: a smooth random tone, screened into dots on a
    45-degree grid PICTURE_PITCH px apart (0 ink, 255 paper)."""
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(0.1, 0.9, (max(2, height // 150), max(2, width // 150)))
    tone = cv2.resize(coarse.astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    f = 2 * np.pi / (PICTURE_PITCH * np.sqrt(2))
    screen = 0.5 + 0.25 * (np.cos(f * (x + y)) + np.cos(f * (x - y)))
    return np.where(tone > screen, 0, 255).astype(np.uint8)


def with_picture(col: np.ndarray, tall: float, paper: int) -> np.ndarray:
    """The column with a picture a third of its height set in at the white row between two
    lines nearest its middle, a letter's height of paper above and below it."""
    _, ink = cv2.threshold(col, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    h, w = col.shape
    white = np.flatnonzero(ink.sum(axis=1) == 0)
    cut = int(white[np.argmin(np.abs(white - h // 2))]) if len(white) else h // 2
    pad = np.full((round(tall), w), paper, np.uint8)
    picture = halftone(h // 3, w, h * w)
    return np.vstack([col[:cut], pad, picture, pad, col[cut:]])


def columns(pages: list[np.ndarray], picture: bool = False) -> np.ndarray:
    """The pages cut to their text, their letters brought to the first page's size (a page's
    columns share a type size), and set side by side GUTTER letters apart, tops level, with
    MARGIN letters of paper round them; with `picture`, a picture set into the first column."""
    cut = [text_crop(g) for g in pages]
    tall = cut[0][1]
    sized = []
    for c, t in cut:
        f = tall / t
        if 0.05 < abs(f - 1) and 0.5 <= f <= 2:  # beyond that, a page of specks or a picture
            way = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
            c = cv2.resize(c, (round(c.shape[1] * f), round(c.shape[0] * f)), interpolation=way)
        sized.append(c)
    gap = round(GUTTER * tall)
    paper = int(np.median(np.hstack([c.ravel()[::97] for c in sized])))
    if picture:
        sized[0] = with_picture(sized[0], tall, paper)
    h = max(c.shape[0] for c in sized)
    parts = []
    for i, c in enumerate(sized):
        right = gap if i < len(sized) - 1 else 0
        parts.append(
            cv2.copyMakeBorder(c, 0, h - c.shape[0], 0, right, cv2.BORDER_CONSTANT, value=paper)
        )
    edge = round(MARGIN * tall)  # a page's margins: nothing printed runs to the scan's edge
    return cv2.copyMakeBorder(np.hstack(parts), *(edge,) * 4, cv2.BORDER_CONSTANT, value=paper)


def bleed(page: np.ndarray, reverse: np.ndarray) -> np.ndarray:
    """The reverse side's text showing through thin paper: its mirror image, stretched to the
    page, darkening the page by BLEED of its ink."""
    h, w = page.shape
    back = cv2.resize(np.ascontiguousarray(reverse[:, ::-1]), (w, h), interpolation=cv2.INTER_AREA)
    shade = 1.0 - BLEED * (1.0 - back.astype(np.float32) / 255)
    return np.clip(page * shade, 0, 255).astype(np.uint8)


def vary(grey: np.ndarray, variant: str) -> np.ndarray:
    """The page as `variant` makes it (see the module docstring)."""
    h, w = grey.shape
    if variant in ("rot15", "rot3"):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 1.5 if variant == "rot15" else 3.0, 1.0)
        paper = int(np.median(grey))
        return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=paper)
    if variant in ("upside", "quarter"):  # scanned upside down, or sideways (a quarter turn)
        return np.ascontiguousarray(np.rot90(grey, 2 if variant == "upside" else 1))
    if variant == "faint":
        lo, hi = FAINT
        return (lo + grey.astype(np.float32) * (hi - lo) / 255).astype(np.uint8)
    if variant == "noise":
        flip = np.random.default_rng(h * w).random(grey.shape)
        out = grey.copy()
        out[flip < NOISE] = 0
        out[flip > 1 - NOISE] = 255
        return out
    if variant == "half":
        return cv2.resize(grey, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    if variant == "threeq":
        return cv2.resize(grey, (w * 3 // 4, h * 3 // 4), interpolation=cv2.INTER_AREA)
    if variant == "double":
        return cv2.resize(grey, (w * 2, h * 2), interpolation=cv2.INTER_CUBIC)
    if variant in SCALES:
        f = int(variant[1:]) / 100
        way = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
        return cv2.resize(grey, (round(w * f), round(h * f)), interpolation=way)
    if variant == "bed":
        bed = cv2.copyMakeBorder(grey, *(BED_WIDTH,) * 4, cv2.BORDER_CONSTANT, value=BED)
        bh, bw = bed.shape
        m = cv2.getRotationMatrix2D((bw / 2, bh / 2), BED_TURN, 1.0)
        return cv2.warpAffine(bed, m, (bw, bh), flags=cv2.INTER_LINEAR, borderValue=BED)
    if variant in BLURS:
        return cv2.GaussianBlur(grey, (0, 0), BLURS[variant])
    if variant == "shade":
        light = np.linspace(1.0, SHADE_FLOOR, w)[None, :] * np.linspace(1.0, 0.8, h)[:, None]
        return np.clip(grey * light, 0, 255).astype(np.uint8)
    return grey  # jpeg: the same pixels, written lossily; dpiN: the same, stating N dpi


def write_variants(
    data: Path,
    work: Path,
    every: int,
    variants: tuple[str, ...] = VARIANTS,
    sets: tuple[str, ...] = scans.SETS,
) -> int:
    """The varied pages and their ground truth under WORK/data/<variant>/; how many pages."""
    for variant in variants:
        shutil.rmtree(work / variant, ignore_errors=True)
        (work / variant).mkdir(parents=True)
    count = 0
    for name in sets:
        if not (data / name).is_dir():
            continue
        every_page = scans.pages_of(data, name, 1)
        for image in scans.pages_of(data, name, every):
            grey, _ = load_page(image)
            stem = f"{name.split('-')[0]}_{image.stem}"
            page_truth = image.with_name(f"{image.stem}.gt.txt").read_text(encoding="utf-8")
            # the set's next pages (the first, after the last): beside it or behind it
            at = every_page.index(image)
            nxt, third = (every_page[(at + k) % len(every_page)] for k in (1, 2))
            needs = {"spread", "bleed"} | set(COLUMNS)
            other = load_page(nxt)[0] if needs & set(variants) else None
            for variant in variants:
                folder = work / variant
                truth = page_truth
                if variant == "spread":
                    out = spread(grey, other)
                    right = nxt.with_name(f"{nxt.stem}.gt.txt").read_text(encoding="utf-8")
                    truth = page_truth.rstrip("\n") + "\n" + right
                elif variant == "bleed":
                    out = bleed(grey, other)
                elif variant in COLUMNS:
                    more = [nxt, third] if variant == "cols3" else [nxt]
                    pages = [grey, other] + [load_page(p)[0] for p in more[1:]]
                    out = columns(pages, picture=variant == "pic2")
                    truths = [
                        p.with_name(f"{p.stem}.gt.txt").read_text(encoding="utf-8") for p in more
                    ]
                    truth = "".join(t.rstrip("\n") + "\n" for t in [page_truth, *truths])
                else:
                    out = vary(grey, variant)
                if variant == "jpeg":
                    params = [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
                    cv2.imwrite(str(folder / f"{stem}.jpg"), out, params)
                elif variant.startswith("dpi"):
                    told = int(variant[3:])
                    Image.fromarray(out).save(folder / f"{stem}.png", dpi=(told, told))
                else:
                    cv2.imwrite(str(folder / f"{stem}.png"), out)
                (folder / f"{stem}.gt.txt").write_text(truth, encoding="utf-8")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=scans.DEFAULT_DATA)
    ap.add_argument("--work", type=Path, default=Path("bench/work/stress"))
    ap.add_argument("--every", type=int, default=8, help="every K-th page of each set")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    ap.add_argument("--sets", default=",".join(scans.SETS), help="comma-separated set names")
    args = ap.parse_args(argv)
    variants = tuple(v.strip() for v in args.variants.split(",") if v.strip())
    known = VARIANTS + SCALES + COLUMNS
    unknown = [v for v in variants if v not in known]
    if unknown:
        ap.error(f"no variant {', '.join(unknown)}; there are {', '.join(known)}")
    sets = tuple(x.strip() for x in args.sets.split(",") if x.strip())
    n = write_variants(args.data, args.work / "data", args.every, variants, sets)
    print(f"{n} pages x {len(variants)} variants under {args.work / 'data'}\n")
    return scans.main(
        [
            "--data",
            str(args.work / "data"),
            "--set",
            ",".join(variants),
            "--out",
            str(args.work / "out"),
            "--jobs",
            str(args.jobs),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
