"""Type Tesseract left unread: on a screen or printed as dots (read again blurred), or solid.

Tesseract takes type printed on a halftone screen (a report's shaded box of names and
telephone numbers) or printed as dots (a scanned report's dithered header) for a picture,
and gives no word for it. What is left of the page's ink once every word Tesseract gave is
painted out is cut into regions; a region is read again only on cheap evidence (pages
without such a region, nearly all, cost a threshold and two labellings). A dotted region is
mostly dots, at least as many specks (DOT_SHARE of a letter's area or less) as letter-sized
marks, and blurred enough to fill the dots it shows letter-sized marks, enough of them to
cover LETTER_SHARE of it (fewer is a photo's screen). The blur is what makes the difference:
on the shaded box Tesseract's confidence rose from 24 to 80.

Tesseract also passes over some solid type: a masthead in large type (`Morgan Stanley |
RESEARCH`), words a newspaper's crease cut through. A solid region is read as it is when its
own letter-sized marks pass the same test and are no denser than type (a shaded banner's
dither is), unless it is lettering inside a picture, a small part of its width: the
picture's own (a drawing's `FRONT` and `BACK`, which transcriptions leave out), and is no
line of type the picture's box took in: lettering on a row that continues a row of type read
again, or spans half the picture itself, is read (`_row_pieces`).

A line of the second reading is kept only when Tesseract is sure of it (LINE_CONF) and it
holds letters or figures, and it goes where it stands: into the line it continues, between
the lines of the block it lies in, or as a block of its own in its column's order (`_place`).
A line continues one on its row only across a word space when its region was read into
lines: a page of typewriting on shaded paper set beside one Tesseract read (bench.stress
`pic2`) is a column of its own, a gutter away, not words to add to the other's lines. The
cuts are kept beside `ocr.json`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import median

import cv2
import numpy as np

from pipeline.model import Block, Box, Line, OcrPage, Word, mean_conf, same_row, union, x_overlap
from pipeline.ocr.sideways import CutReader, shifted
from pipeline.ocr.spaces import SPACE_SPREAD, spaced_words, word_space

BLOCK = 6  # Tesseract's mode for one uniform block of text: a region's lines
COVER = 0.5  # letter heights round each word Tesseract gave that count as read
# A region: the unread ink drawn together over half a letter height and one letter width
# (the letters of a word, the dots of a screen), at least this tall and wide in letter heights.
MIN_HEIGHT = 1.2
MIN_WIDTH = 3.0
MAX_AREA = 0.25  # of the page: a larger region is a picture, not lines Tesseract missed
# A blurred mark is letter-sized at 0.5-3 letter heights tall and at most 3 wide; a region
# with fewer than MIN_LETTERS such marks is a rule, a speck or a picture's edge.
LETTER_MIN, LETTER_MAX, LETTER_WIDE = 0.5, 3.0, 3.0
MIN_LETTERS = 3
# Letter-sized marks covering less than this share of a region (each a letter height square)
# leave it a picture, or a page edge with a few marks, not lines of type: on the development
# pages such regions (0.1-0.9 %: photos, a crease's specks down a column) held no text, and
# were the costliest to read (a 768 x 4411 cut), while shaded and dotted type covered 4-57 %.
LETTER_SHARE = 0.02
DOT_SHARE = 1 / 40  # a speck of at most this share of a letter height squared is a dot
# More candidate regions than this and the unread ink is the page's texture (a noisy scan
# whose specks fill the page), not text: nothing is read again. At most MAX_DOTTED dotted
# regions are read and MAX_SOLID solid ones, most letters first (a solid region's count is no
# measure of how much type it holds: a shaded banner's texture counts hundreds).
MAX_CANDIDATES = 12
MAX_DOTTED = 6
MAX_SOLID = 4
# Type holds at most about one letter-sized mark per letter height squared (a letter and its
# spacing ~0.7 letter heights wide, lines ~1.5 apart; 0.2-0.9 measured on unread type): more
# in solid ink is a texture, such as a shaded banner's dither (1.7-2.0), not lines of type.
MAX_DENSITY = 1.5
# Solid lettering lying in a picture Tesseract found and narrower than this share of it is the
# picture's own (a drawing's labels: 18 % of the drawing's width on book page `j032`); as wide
# as the "picture", it is a line of type Tesseract took for one (a masthead: 96 %).
PICTURE_SPAN = 0.5
# The Gaussian that fills a screen's dots: a quarter of a letter height (5 px for 14-18 px
# letters; by the letters, not the recorded dpi, which a rendered page may state wrongly).
BLUR_LETTERS = 0.25
LINE_CONF = 75.0  # a second reading's line is kept at this mean confidence or more
MIN_ALNUM = 3  # ...holding this many letters or figures (`|`, `*`, a lone `T` are not text)
ROW_SHARE = 0.5  # of the lower line's height two lines share: one row
# Letter heights between two pieces of one row: room for a short word unread. Between two
# pieces read again, the letter is the page's or their own where their type is larger (half
# the taller box: a masthead's `Morgan Stanley | RESEARCH` stand 5.3 body letters apart).
ROW_GAP = 5.0
LOOK_SECONDS = 30.0
# A region read into this many lines or more is a column's piece: its lines join a line on
# their row only a word space away (`spaces`), not across a gutter.
COLUMN_LINES = 2


@dataclass(frozen=True, eq=False)
class Region:
    box: Box  # on the page
    letters: int
    cut: np.ndarray  # the words already read painted paper, blurred if dotted: what is read
    dotted: bool = True


def letter_height(page: OcrPage, letter_px: float | None) -> float:
    """Stage 1's letter height, or, for an image given without it, from the words' boxes."""
    if letter_px:
        return float(letter_px)
    heights = [w.box[3] - w.box[1] for w in page.words() if w.box and len(w.text) >= 3]
    return 0.6 * median(heights) if heights else 20.0


def _blur(cut: np.ndarray, letter: float) -> np.ndarray:
    k = max(3, round(BLUR_LETTERS * letter) | 1)
    return cv2.GaussianBlur(cut, (k, k), 0)


def unread_ink(grey: np.ndarray, page: OcrPage, letter: float) -> tuple[np.ndarray, np.ndarray]:
    """The page's ink (Otsu) outside the words Tesseract gave, and the mask of those words."""
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    covered = np.zeros(grey.shape, np.uint8)
    m = round(COVER * letter)
    for w in page.words():
        if w.box:
            x0, y0, x1, y1 = w.box
            covered[max(0, y0 - m) : y1 + m, max(0, x0 - m) : x1 + m] = 1
    return ink & (1 - covered), covered


def _paper(cut: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """The cut with the words already read painted the paper's shade: read once only."""
    out = cut.copy()
    out[covered == 1] = int(np.percentile(cut, 90))
    return out


def _letters(cut: np.ndarray, letter: float) -> int:
    """Letter-sized marks in a blurred cut, after its own Otsu threshold."""
    _, bw = cv2.threshold(cut, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    ok = (h >= LETTER_MIN * letter) & (h <= LETTER_MAX * letter) & (w <= LETTER_WIDE * letter)
    return int(ok.sum()) if n > 1 else 0


def _dots(ink: np.ndarray, letter: float) -> int:
    """Specks of a screen or of dotted type among a region's unread ink."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return int((stats[1:, cv2.CC_STAT_AREA] <= max(4.0, DOT_SHARE * letter * letter)).sum())


def regions(grey: np.ndarray, page: OcrPage, letter: float) -> list[Region]:
    """Regions of unread ink that show letters (dotted ones once blurred): the dotted ones,
    then the solid ones, each most letters first, then the lines of type a picture's box
    took in (`_row_pieces`); none when there are more than MAX_CANDIDATES (the page's
    texture)."""
    left, covered = unread_ink(grey, page, letter)
    if not left.any():
        return []
    k_h, k_w = max(1, round(letter / 2)) | 1, max(1, round(letter)) | 1
    drawn = cv2.dilate(left, np.ones((k_h, k_w), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(drawn, connectivity=8)
    page_area = grey.shape[0] * grey.shape[1]
    found: list[Region] = []
    pictured: list[Region] = []  # lettering a picture's box holds: read if a line of type
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if h < MIN_HEIGHT * letter or w < MIN_WIDTH * letter or w * h > MAX_AREA * page_area:
            continue
        box = (x, y, x + w, y + h)
        paper = _paper(grey[y : y + h, x : x + w], covered[y : y + h, x : x + w])
        blurred = _blur(paper, letter)
        letters = _letters(blurred, letter)
        if (
            _shows_type(letters, w * h, letter)
            and _dots(left[y : y + h, x : x + w], letter) >= letters
        ):
            found.append(Region(box, letters, blurred))
        else:
            letters = _letters(paper, letter)
            if (
                not _shows_type(letters, w * h, letter)
                or letters * letter * letter > MAX_DENSITY * w * h
            ):
                continue
            solid = Region(box, letters, paper, dotted=False)
            if _in_picture(box, page.regions):
                pictured.append(solid)
                continue
            found.append(solid)
        if len(found) > MAX_CANDIDATES:
            return []
    found.sort(key=lambda r: -r.letters)
    dotted = [r for r in found if r.dotted][:MAX_DOTTED]
    kept = dotted + [r for r in found if not r.dotted][:MAX_SOLID]
    rows = []
    for group in _row_pieces(pictured, kept, page.regions, letter):
        x0, y0, x1, y1 = box = union([r.box for r in group])
        cut = _paper(grey[y0:y1, x0:x1], covered[y0:y1, x0:x1])
        rows.append(Region(box, sum(r.letters for r in group), cut, dotted=False))
    return kept + rows


def _row_pieces(
    pictured: list[Region], kept: list[Region], pictures: list[Box], letter: float
) -> list[list[Region]]:
    """Rows of lettering in a picture's box that are a line of type after all: the picture's
    box took in a line under or over it. Lettering on one row, each piece within ROW_GAP of
    the next, is one line, read as one cut; it is type when it continues the row of a region
    kept (`Hall;` before the rest of its line, which is as wide as the picture) or is itself
    as wide as PICTURE_SPAN of the picture (a line whose words stand too far apart to be
    drawn together), not the picture's own labels. Read besides the regions kept: they
    neither count as texture nor take another region's turn."""
    groups: list[list[Region]] = []
    for r in sorted(pictured, key=lambda r: r.box[0]):
        g = next((g for g in groups if any(_continues(o.box, r.box, letter) for o in g)), None)
        if g is None:
            groups.append([r])
        else:
            g.append(r)
    out: list[list[Region]] = []
    for g in groups:
        box = union([r.box for r in g])
        wide = any(
            _holds(p, box) and box[2] - box[0] >= PICTURE_SPAN * (p[2] - p[0]) for p in pictures
        )
        if wide or any(_continues(k.box, r.box, letter) for k in kept for r in g):
            out.append(g)
    return out


def _holds(p: Box, box: Box) -> bool:
    """Does picture `p` hold at least half of `box`?"""
    ix = min(box[2], p[2]) - max(box[0], p[0])
    iy = min(box[3], p[3]) - max(box[1], p[1])
    return ix > 0 and iy > 0 and ix * iy >= 0.5 * (box[2] - box[0]) * (box[3] - box[1])


def _in_picture(box: Box, pictures: list[Box]) -> bool:
    """Lettering mostly inside a picture and a small part of its width: the picture's own."""
    return any(_holds(p, box) and box[2] - box[0] < PICTURE_SPAN * (p[2] - p[0]) for p in pictures)


def _shows_type(letters: int, area: int, letter: float) -> bool:
    """Enough letter-sized marks, covering enough of the region, to be lines of type."""
    return letters >= MIN_LETTERS and letters * letter * letter >= LETTER_SHARE * area


def _text_like(ln: Line) -> bool:
    return mean_conf(ln.words) >= LINE_CONF and sum(c.isalnum() for c in ln.text) >= MIN_ALNUM


def read_region(region: Region, k: int, letter: float, reader: CutReader) -> list[Line]:
    """The region's lines Tesseract is sure of, read blurred, in page coordinates."""
    x0, y0, x1, y1 = region.box
    pad = max(4, round(letter / 2))
    cut = cv2.copyMakeBorder(region.cut, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    crop = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)  # the padded cut, on the page
    out = []
    for j, ln in enumerate(reader.read(cut, f"unread-{k}.png", BLOCK).lines()):
        lid = f"u{k}.l{j + 1}"
        words = [
            Word(f"{lid}.w{i + 1}", w.text, shifted(w.box, crop) if w.box else None, w.conf)
            for i, w in enumerate(ln.words)
        ]
        boxes = [w.box for w in words if w.box]
        line = Line(lid, words, union(boxes) if boxes else None)
        if boxes and _text_like(line):
            out.append(line)
    return out


def _continues(a: Box, b: Box, letter: float) -> bool:
    """One row: sharing its height, at most ROW_GAP letter heights apart."""
    return same_row(a, b, ROW_SHARE) and -x_overlap(a, b) <= ROW_GAP * letter


def _row_letter(a: Box, b: Box, letter: float) -> float:
    """The letter height of two pieces read again: the page's, or their own if larger."""
    return max(letter, 0.5 * max(a[3] - a[1], b[3] - b[1]))


def _joined(line: Line, more: Line) -> Line:
    """`line` with the words of `more` on its row, left to right."""
    words = sorted(line.words + more.words, key=lambda w: w.box[0] if w.box else 0)
    return replace(line, words=words, box=union([w.box for w in words if w.box]))


def _merge_rows(lines: list[Line], letter: float) -> list[Line]:
    """Lines read from separate regions that stand on one row, close together: one line."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda ln: (ln.box[0], ln.box[1])):  # type: ignore[index]
        box = ln.box
        assert box is not None
        i = next(
            (
                i
                for i, p in enumerate(out)
                if p.box and _continues(p.box, box, _row_letter(p.box, box, letter))
            ),
            None,
        )
        if i is None:
            out.append(ln)
        else:
            out[i] = _joined(out[i], ln)
    return out


def _seat(page: OcrPage, found: list[Line], letter: float) -> tuple[list[Block], int]:
    """The page's blocks with the lines read again put where they stand (see the module
    docstring); returns the blocks and how many lines went into existing ones."""
    blocks = [replace(b, lines=list(b.lines)) for b in page.blocks]
    # the widest word space on the page (`spaces`), from Tesseract's own lines; None: too
    # few words to tell
    space = word_space([spaced_words(ln)[1] for ln in page.lines()], ROW_GAP * letter)
    widest = SPACE_SPREAD * space if space else None
    read_in = Counter(_region(ln) for ln in found)
    new: list[Line] = []
    joined = 0
    for ln in found:
        assert ln.box is not None
        # a region read into lines is a column's piece, which a gutter may part from the
        # lines on its rows; a lone line (a masthead's `RESEARCH` beside `Morgan Stanley`,
        # words a crease cut through) keeps to the row within ROW_GAP
        home = _row_line(
            blocks, ln.box, letter, widest if read_in[_region(ln)] >= COLUMN_LINES else None
        )
        if home is not None:
            b, i = home
            blocks[b].lines[i] = _joined(blocks[b].lines[i], ln)
            joined += 1
            continue
        b = _inside(blocks, ln.box)
        if b is not None:
            lines = blocks[b].lines
            at = next((i for i, o in enumerate(lines) if o.box and o.box[1] >= ln.box[1]), None)
            lines.insert(len(lines) if at is None else at, replace(ln, block=blocks[b].id))
            joined += 1
            continue
        new.append(ln)
    for group in sorted(_by_region(new), key=lambda g: min(ln.box[1] for ln in g)):  # type: ignore[index]
        box = union([ln.box for ln in group if ln.box])
        bid = _region(group[0])
        block = Block(bid, [replace(ln, block=bid, par=f"{bid}.p1") for ln in group], box)
        blocks.insert(_place(blocks, box), block)
    return blocks, joined


def _place(blocks: list[Block], box: Box) -> int:
    """Where a block of lines read again goes in the page's order: before the first block
    under it in its column; else after the lowest block over it in its column (and the
    blocks read after that one in its width that start higher, a signature beside it); else,
    a column of its own, before the first block to its right beside it; else last."""
    boxes = [b.box for b in blocks]
    under = [i for i, o in enumerate(boxes) if o and o[1] >= box[1] and x_overlap(o, box) > 0]
    if under:
        return under[0]
    over = [i for i, o in enumerate(boxes) if o and o[3] <= box[1] and x_overlap(o, box) > 0]
    if over:
        at = max(over, key=lambda i: boxes[i][3])  # type: ignore[index]
        above = boxes[at]
        at += 1
        while at < len(boxes) and (o := boxes[at]) and o[1] < box[1] and x_overlap(o, above) > 0:  # type: ignore[arg-type]
            at += 1
        return at
    beside = [
        i for i, o in enumerate(boxes) if o and o[0] >= box[2] and o[1] < box[3] and o[3] > box[1]
    ]
    return beside[0] if beside else len(blocks)


def _row_line(
    blocks: list[Block], box: Box, letter: float, widest: float | None
) -> tuple[int, int] | None:
    """(block, line) of an existing line the found line continues: on its row, close by, and
    no further than `widest` (a word space; wider is a gutter) when given."""
    for b, block in enumerate(blocks):
        for i, ln in enumerate(block.lines):
            if not ln.box or not _continues(ln.box, box, letter):
                continue
            if widest is None or -x_overlap(ln.box, box) <= widest:
                return b, i
    return None


def _region(line: Line) -> str:
    return line.id.split(".")[0]


def _inside(blocks: list[Block], box: Box) -> int | None:
    """The block whose box holds the found line's middle and most of its width."""
    mid = (box[1] + box[3]) / 2
    for b, block in enumerate(blocks):
        if (
            block.box
            and block.box[1] <= mid <= block.box[3]
            and x_overlap(block.box, box) >= 0.5 * (box[2] - box[0])
        ):
            return b
    return None


def _by_region(lines: list[Line]) -> list[list[Line]]:
    groups: dict[str, list[Line]] = {}
    for ln in lines:
        groups.setdefault(_region(ln), []).append(ln)
    return [sorted(g, key=lambda ln: ln.box[1] if ln.box else 0) for g in groups.values()]


def reread(
    image: Path,
    page: OcrPage,
    out_dir: Path,
    lang: str,
    timeout: float,
    dpi: float,
    letter_px: float | None,
) -> tuple[OcrPage, dict]:
    """The page with the text Tesseract left unread read again where it is found; returns
    the page and a record (regions read, lines kept, lines put into existing blocks)."""
    for stale in out_dir.glob("unread-*.png"):  # from an earlier run of this page
        stale.unlink()
    grey = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
    if grey is None or not page.words():
        return page, {}
    letter = letter_height(page, letter_px)
    found_regions = regions(grey, page, letter)
    if not found_regions:
        return page, {}
    reader = CutReader(out_dir, dpi, lang, min(timeout, LOOK_SECONDS))
    lines = [
        ln for k, r in enumerate(found_regions, start=1) for ln in read_region(r, k, letter, reader)
    ]
    record = {
        "regions": len(found_regions),
        "solid": sum(not r.dotted for r in found_regions),
        "lines": 0,
        "joined": 0,
        "text": [],
    }
    if not lines:
        return page, record
    lines = _merge_rows(lines, letter)
    blocks, joined = _seat(page, lines, letter)
    record.update(lines=len(lines), joined=joined, text=[ln.text for ln in lines])
    return replace(page, blocks=blocks), record
