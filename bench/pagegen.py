"""The synthetic page generator: newspaper and book pages whose ground truth is known exactly.

Used by the benchmark (`bench.newspapers`, `bench.throughput`, `scripts/make_scans.py`) and by
the tests (end-to-end, layout, evaluation, report, export and its own `tests/test_pagegen.py`),
so it is part of `bench`'s interface, kept stable for both. Public API:

- `PageSpec`: what to draw (seed, layout `newspaper`/`book`, columns, headline lines, rules,
  photo, bullets, degradation level `clean`/`mild`/`heavy`, dpi, size in inches);
- `render_page(spec) -> (image, ground_truth, info)`: the page, its text, and its boxes and
  degradation parameters;
- `save_page(image, path)`: save with the image's dpi;
- `set_lines`, `lines_text`, `Line`: line breaking with hyphenation and its inverse;
- `load_font`, `pt_px`, `draw_line`, `wrap`, `fit_headline`, `sentences`, `byline`: the
  drawing and text helpers, shared with the multi-article generator `bench.articlegen`;
- `load_corpus`, `corpus_words`: the public-domain text the pages are set from
  (`bench/corpus/`);
- `halftone`: a screened synthetic photograph; `BULLET`, `FONT_DIR`, `SERIF`: what the pages
  are drawn with.

Everything is drawn from the seed, so the same PageSpec gives a byte-identical image. The ground
truth is rebuilt from the lines actually placed on the page, so a paragraph cut off at the foot
of the last column is cut off in the ground truth too, and hyphenation breaks are undone while
real compound hyphens (``self-esteem`` broken after ``self-``) are kept.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyphen
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.degrade import degrade

FONT_DIR = Path("/usr/share/fonts/truetype")
CORPUS_DIR = Path(__file__).parent / "corpus"
BULLET = "\u25ba"

SERIF = "liberation/LiberationSerif-Regular.ttf"
SERIF_ITALIC = "liberation/LiberationSerif-Italic.ttf"
HEAD_FACES = ("liberation/LiberationSerif-Bold.ttf", "dejavu/DejaVuSerif-Bold.ttf")
SANS = "liberation/LiberationSans-Regular.ttf"

TITLES = {
    "dickens": "A CHRISTMAS CAROL",
    "twain": "LIFE ON THE MISSISSIPPI",
    "lincoln": "SPEECHES AND ADDRESSES",
    "federalist": "THE FEDERALIST",
    "reports": "NEWS OF THE WEEK",
}
NAMES = (
    "J. W. Harris",
    "Thomas Avery",
    "R. H. Lindsay",
    "Mary Conolly",
    "E. G. Fairfax",
    "A. Stott",
)
PLACES = ("LONDON", "SYDNEY", "MELBOURNE", "BRISBANE", "ADELAIDE", "HOBART", "NEW YORK")
MONTHS = ("January", "March", "April", "June", "August", "October", "December")
STOP_TAIL = {"the", "a", "an", "of", "and", "to", "in", "on", "for", "by", "with", "at", "that"}
STOP_TAIL |= {"which", "as", "is", "was", "be", "his", "their", "or", "not", "but", "we", "i"}


@dataclass(frozen=True)
class PageSpec:
    """What to draw. Small pages (e.g. 4.5 x 5.5 in) keep tests and OCR fast."""

    seed: int
    layout: str = "newspaper"  # "newspaper" or "book"
    columns: int = 3  # 3-5 for newspaper, 1 for book
    headline_lines: int = 1  # 1 or 2
    rules: bool = False  # vertical column rules
    photo: bool = False  # halftoned picture with caption and credit
    bullets: bool = False  # some paragraphs are "► " bullet lines
    level: str = "clean"  # clean | mild | heavy
    dpi: int = 300
    width_in: float = 8.5
    height_in: float = 11.0


@dataclass
class Line:
    """One set line: its pieces, how it ends, and where its text starts."""

    pieces: list[str]
    end: str  # "space" (word break), "soft" (inserted hyphen), "hard" (compound hyphen), "end"
    indent: float = 0.0
    bullet: bool = False


@dataclass
class _Para:
    text: str
    bullet: bool = False
    lines: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------- corpus


@lru_cache(maxsize=1)
def load_corpus() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(stem, paragraphs) for every corpus file, in name order, whitespace folded."""
    out = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        paras = tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", raw) if p.strip())
        out.append((path.stem, paras))
    return tuple(out)


def corpus_words() -> set[str]:
    """Every whitespace token of the corpus, so tests can check the ground truth's words."""
    return {w for _, paras in load_corpus() for p in paras for w in p.split()}


ABBREV = re.compile(r"\b(Mr|Mrs|Dr|St|Messrs|No|Capt|Gen|Rev)\.$")


def sentences(text: str) -> list[str]:
    """Split at sentence ends, but not after "Mr." and the like."""
    out: list[str] = []
    for piece in re.split(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])", text):
        if out and ABBREV.search(out[-1]):
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


# ---------------------------------------------------------------- fonts and hyphenation


@lru_cache(maxsize=64)
def load_font(name: str, px: int) -> ImageFont.FreeTypeFont:
    """A font under FONT_DIR at `px` pixels, cached: pages ask for the same few sizes."""
    return ImageFont.truetype(str(FONT_DIR / name), px)


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US", left=2, right=3)


def pt_px(pt: float, dpi: int) -> int:
    """Type size in points to pixels at `dpi`, never under 8 px (Tesseract's floor)."""
    return max(8, round(pt * dpi / 72))


_AFFIX = re.compile(r"^(\W*)(.*?)(\W*)$")


def _split_word(
    word: str, room: float, font: ImageFont.FreeTypeFont
) -> tuple[str, str, str] | None:
    """Best (left, right, kind) break of `word` whose left part fits in `room` pixels."""
    lead, core, trail = _AFFIX.match(word).groups()
    if "-" in core:
        cuts = [i for i, ch in enumerate(core) if ch == "-"]
        for i in reversed(cuts):
            left, right = core[: i + 1], core[i + 1 :]
            if sum(c.isalpha() for c in left) >= 2 and sum(c.isalpha() for c in right) >= 2:
                if font.getlength(lead + left) <= room:
                    return lead + left, right + trail, "hard"
        return None
    if not core.isalpha() or len(core) < 5:
        return None
    for left, right in _hyphenator().iterate(core):
        if font.getlength(lead + left + "-") <= room:
            return lead + left + "-", right + trail, "soft"
    return None


def set_lines(
    text: str, width: float, font: ImageFont.FreeTypeFont, indent: float, hang: float = 0.0
) -> list[Line]:
    """Greedy line breaking with hyphenation when the break would leave a loose line.

    The first line starts `indent` px in; later lines start `hang` px in (bullet paragraphs).
    """
    space = font.getlength(" ")
    words = text.split()
    lines: list[Line] = []
    cur: list[str] = []
    i = 0
    while i < len(words):
        start = indent if not lines else hang
        avail = width - start
        word = words[i]
        if font.getlength(" ".join([*cur, word])) <= avail:
            cur.append(word)
            i += 1
            continue
        used = font.getlength(" ".join(cur)) + space if cur else 0.0
        room = avail - used
        split = _split_word(word, room, font) if room > 2.5 * space or not cur else None
        if split:
            left, right, kind = split
            lines.append(Line([*cur, left], kind, start))
            words[i] = right
        elif not cur:  # a word wider than the column: let it overhang
            lines.append(Line([word], "space", start))
            i += 1
        else:
            lines.append(Line(cur, "space", start))
        cur = []
    if cur:
        lines.append(Line(cur, "end", indent if not lines else hang))
    return lines


def lines_text(lines: list[Line]) -> str:
    """Rebuild the words from set lines: inserted hyphens removed, compound hyphens kept."""
    out = ""
    prev = "end"
    for line in lines:
        text = " ".join(line.pieces)
        if prev == "soft":
            out = out[:-1] + text
        elif prev == "hard" or not out:
            out += text
        else:
            out += " " + text
        prev = line.end
    return out


# ---------------------------------------------------------------- drawing helpers


def draw_line(
    draw: ImageDraw.ImageDraw,
    line: Line,
    x: float,
    baseline: float,
    width: float,
    font: ImageFont.FreeTypeFont,
    justify: bool,
) -> None:
    """Draw a set line at `baseline`, justified to `width` when asked, with its bullet."""
    if line.bullet:
        draw.text((x, baseline), BULLET, font=font, fill=0, anchor="ls")
    x0 = x + line.indent
    widths = [font.getlength(p) for p in line.pieces]
    gaps = len(line.pieces) - 1
    gap = font.getlength(" ")
    if justify and gaps > 0:
        gap = (width - line.indent - sum(widths)) / gaps
    for piece, w in zip(line.pieces, widths, strict=True):
        draw.text((round(x0), baseline), piece, font=font, fill=0, anchor="ls")
        x0 += w + gap


def wrap(text: str, width: float, font: ImageFont.FreeTypeFont) -> list[str]:
    """Ragged lines without hyphenation, for captions and other short set-off text."""
    lines: list[str] = []
    cur: list[str] = []
    for word in text.split():
        if cur and font.getlength(" ".join([*cur, word])) > width:
            lines.append(" ".join(cur))
            cur = []
        cur.append(word)
    if cur:
        lines.append(" ".join(cur))
    return lines


def halftone(shape: tuple[int, int], rng: np.random.Generator, cell: float) -> np.ndarray:
    """A synthetic photograph (sky, hills, shapes) screened into 45-degree dots; 0 = ink."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    dark = 0.15 + 0.35 * yy / h  # sky gradient
    horizon = h * rng.uniform(0.45, 0.7)
    amp, freq, phase = h * 0.08, rng.uniform(1.0, 3.0), rng.uniform(0, 6.28)
    ground = yy > horizon + amp * np.sin(freq * 6.28 * xx / w + phase)
    dark = np.where(ground, 0.55 + 0.25 * (xx / w), dark)
    for _ in range(int(rng.integers(2, 5))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(0.05, 0.25) * w, rng.uniform(0.05, 0.3) * h
        inside = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 < 1
        dark = np.where(inside, rng.uniform(0.1, 0.95), dark)
    pic = Image.fromarray((dark * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(cell))
    dark = np.asarray(pic, dtype=np.float32) / 255
    u = (xx + yy) / (np.sqrt(2) * cell)
    v = (xx - yy) / (np.sqrt(2) * cell)
    spot = 0.5 + 0.25 * (np.cos(2 * np.pi * u) + np.cos(2 * np.pi * v))
    return np.where(spot > 1 - dark, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- text selection


def _paragraph_stream(rng: random.Random, stem: str | None = None):
    """Corpus paragraphs from a random starting point, running on through the files."""
    corpus = load_corpus()
    order = [c for c in corpus if stem is None or c[0] == stem]
    rng.shuffle(order)
    first = rng.randrange(len(order[0][1]))
    while True:
        for k, (_, paras) in enumerate(order):
            yield from paras[first if k == 0 else 0 :]
        first = 0


def _body_paragraphs(rng: random.Random, bullets: bool, stem: str | None = None):
    """Body paragraphs; with bullets, short runs of one-sentence "► " items between them."""
    due = bullets  # the first paragraph after the lead that can give a run of items does
    for k, text in enumerate(_paragraph_stream(rng, stem)):
        if bullets and k > 0 and (rng.random() < 0.3 or due):
            items = [s for s in sentences(text) if 4 <= len(s.split()) <= 30]
            if due and len(items) < 2:
                items = sentences(text)
            if len(items) >= 2:
                due = False
                for s in items[: rng.randint(2, 3)]:
                    yield _Para(s, bullet=True)
                continue
        yield _Para(text)


def _headline_words(rng: random.Random, n: int) -> list[str]:
    stem, paras = rng.choice(load_corpus())
    sent = rng.choice(sentences(rng.choice(paras)))
    words = [re.sub(r"^\W+|\W+$", "", w) for w in sent.split()]
    words = [w.upper() for w in words if w][:n]
    while len(words) > 2 and words[-1].lower() in STOP_TAIL:
        words.pop()
    return words


def byline(rng: random.Random) -> str:
    """One of the three byline forms: name, dateline, or the special correspondent."""
    kind = rng.randrange(3)
    if kind == 0:
        return f"By {rng.choice(NAMES)}, Our Own Correspondent"
    if kind == 1:
        return f"{rng.choice(PLACES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)}."
    return "From Our Special Correspondent."


# ---------------------------------------------------------------- layout


def fit_headline(
    words: list[str], n_lines: int, width: float, face: str, max_px: int, min_px: int
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """Largest size (then fewest dropped words) at which the headline fits in n_lines."""
    while True:
        for px in range(max_px, min_px - 1, -2):
            font = load_font(face, px)
            best = None
            cuts = [len(words)] if n_lines == 1 else range(1, len(words))
            for c in cuts:
                parts = (
                    [" ".join(words[:c]), " ".join(words[c:])]
                    if n_lines == 2
                    else [" ".join(words)]
                )
                wmax = max(font.getlength(p) for p in parts)
                if best is None or wmax < best[0]:
                    best = (wmax, parts)
            if best and best[0] <= width:
                return best[1], font
        if len(words) <= n_lines:
            return [" ".join(words)], load_font(face, min_px)
        words = words[:-1]


def render_page(spec: PageSpec) -> tuple[Image.Image, str, dict]:
    """Render the page; return (image, ground-truth text, info).

    Ground truth: one paragraph a line, blank line between: headline (lines joined), byline,
    body in column order, then caption and credit (book: running head, body). info holds
    dpi, skew_deg, degrade (all degradation parameters), size_px, and the boxes
    (headline_box, byline_box, column_boxes, photo_box, caption_box, credit_box, rules,
    running_head_box) in pixels of the undegraded render (render_size_px); after a heavy
    degradation map them with degrade["scale"] and degrade["angle_deg"] about the centre.
    """
    rng = random.Random(spec.seed)
    nrng = np.random.default_rng(spec.seed)
    dpi = spec.dpi
    W, H = round(spec.width_in * dpi), round(spec.height_in * dpi)
    img = Image.new("L", (W, H), 255)
    draw = ImageDraw.Draw(img)
    book = spec.layout == "book"
    margin = round((0.6 if book else 0.35) * dpi)
    x_left, x_right = margin, W - margin
    y = margin
    gt: list[str] = []
    info: dict = {"layout": spec.layout, "seed": spec.seed, "render_size_px": [W, H]}

    if book:
        stem = rng.choice(load_corpus())[0]
        head = TITLES.get(stem, stem.upper())
        hfont = load_font(SERIF, pt_px(9, dpi))
        draw.text((W / 2, y), head, font=hfont, fill=0, anchor="mt")
        info["running_head_box"] = list(draw.textbbox((W / 2, y), head, font=hfont, anchor="mt"))
        gt.append(head)
        y += round(hfont.size * 2.5)
        ncol, body_pt, lead_k = 1, 11.0, 1.32
        paras = _body_paragraphs(rng, spec.bullets, stem)
    else:
        face = rng.choice(HEAD_FACES)
        n = rng.randint(3, 6) if spec.headline_lines == 1 else rng.randint(7, 11)
        words = _headline_words(rng, n)
        hl, hfont = fit_headline(
            words, spec.headline_lines, x_right - x_left, face, pt_px(40, dpi), pt_px(18, dpi)
        )
        top = y
        for text in hl:
            draw.text((W / 2, y), text, font=hfont, fill=0, anchor="mt")
            y += round(hfont.size * 1.1)
        info["headline_box"] = [x_left, top, x_right, y]
        gt.append(" ".join(hl))
        by = byline(rng)
        bfont = load_font(SERIF_ITALIC, pt_px(10, dpi))
        y += round(bfont.size * 0.4)
        draw.text((W / 2, y), by, font=bfont, fill=0, anchor="mt")
        info["byline_box"] = list(draw.textbbox((W / 2, y), by, font=bfont, anchor="mt"))
        gt.append(by)
        y += round(bfont.size * 1.5)
        rule_w = max(1, dpi // 150)
        draw.rectangle([x_left, y, x_right, y + rule_w], fill=0)
        y += round(bfont.size * 0.8)
        ncol, body_pt, lead_k = max(1, spec.columns), 9.5, 1.18
        paras = _body_paragraphs(rng, spec.bullets)

    font = load_font(SERIF, pt_px(body_pt, dpi))
    lead = round(font.size * lead_k)
    gutter = round(0.18 * dpi)
    col_w = (x_right - x_left - gutter * (ncol - 1)) / ncol
    col_x = [x_left + k * (col_w + gutter) for k in range(ncol)]
    body_top, body_bottom = y, H - margin
    slots: list[list[tuple[int, int]]] = [[(body_top, body_bottom)] for _ in range(ncol)]
    info["column_boxes"] = [[round(x), body_top, round(x + col_w), body_bottom] for x in col_x]

    tail: list[str] = []
    photo_cols: range = range(0)
    photo_span = (0, 0)
    if spec.photo and not book:
        span = 1 if ncol < 3 else rng.randint(1, 2)
        c0 = rng.randrange(ncol - span + 1)
        photo_cols = range(c0, c0 + span)
        pw = round(col_w * span + gutter * (span - 1))
        ph = round(pw * rng.uniform(0.55, 0.75))
        at_top = rng.random() < 0.5
        py = body_top if at_top else body_top + round((body_bottom - body_top) * 0.3)
        px = round(col_x[c0])
        pic = halftone((ph, pw), nrng, cell=dpi / 65)
        img.paste(Image.fromarray(pic), (px, py))
        draw.rectangle([px, py, px + pw - 1, py + ph - 1], outline=0, width=max(1, dpi // 150))
        info["photo_box"] = [px, py, px + pw, py + ph]
        cy = py + ph + round(0.06 * dpi)
        cfont = load_font(SERIF_ITALIC, pt_px(8.5, dpi))
        caption = rng.choice(
            [
                s
                for _, p in load_corpus()
                for q in p
                for s in sentences(q)
                if 6 <= len(s.split()) <= 18
            ]
        )
        ctop = cy
        for text in wrap(caption, pw, cfont):
            cy += round(cfont.size * 1.15)
            draw.text((px, cy), text, font=cfont, fill=0, anchor="ls")
        info["caption_box"] = [px, ctop, px + pw, cy + round(cfont.size * 0.3)]
        credit = f"Photograph by {rng.choice(NAMES)}."
        sfont = load_font(SANS, pt_px(7, dpi))
        cy += round(sfont.size * 1.4)
        draw.text((px + pw, cy), credit, font=sfont, fill=0, anchor="rs")
        info["credit_box"] = list(draw.textbbox((px + pw, cy), credit, font=sfont, anchor="rs"))
        block_end = cy + round(0.12 * dpi)
        photo_span = (py, block_end)
        for c in photo_cols:
            slots[c] = [(block_end, body_bottom)]
            if not at_top:
                slots[c].insert(0, (body_top, py - round(0.1 * dpi)))
        tail = [caption, credit]

    if spec.rules and ncol > 1:
        rw = max(1, dpi // 150)
        info["rules"] = []
        for k in range(1, ncol):
            gx = round(col_x[k] - gutter / 2)
            inside = k in photo_cols and k - 1 in photo_cols
            spans = (
                [(body_top, photo_span[0]), (photo_span[1], body_bottom)]
                if inside
                else [(body_top, body_bottom)]
            )
            for y0, y1 in spans:
                if y1 - y0 > lead:
                    draw.rectangle([gx, y0, gx + rw - 1, y1], fill=0)
                    info["rules"].append([gx, y0, gx + rw, y1])

    indent = round(font.size * 1.2)
    bullet_w = font.getlength(BULLET + " ")
    placed: list[tuple[_Para, Line, float, float]] = []
    order = [(c, s) for c in range(ncol) for s in slots[c]]
    para = None
    queue: list[Line] = []
    for c, (s0, s1) in order:
        yb = s0 + font.size  # baseline of the first line in the slot
        while yb + lead - font.size <= s1:
            if not queue:
                para = next(paras)
                if para.bullet:
                    queue = set_lines(para.text, col_w, font, bullet_w, bullet_w)
                    queue[0].bullet = True
                else:
                    queue = set_lines(para.text, col_w, font, indent)
                para.lines = []
            line = queue.pop(0)
            placed.append((para, line, col_x[c], yb))
            para.lines.append(line)
            yb += lead
    # The page ends where it ends, but never on half a word.
    while placed and placed[-1][1].end in ("soft", "hard"):
        placed.pop()[0].lines.pop()
    seen: list[_Para] = []
    for p, line, x, yb in placed:
        draw_line(draw, line, x, yb, col_w, font, justify=line.end != "end")
        if not seen or seen[-1] is not p:
            seen.append(p)
    for p in seen:
        if p.lines:
            gt.append((BULLET + " " if p.bullet else "") + lines_text(p.lines))
    gt.extend(tail)

    ends = [line.end for _, line, _, _ in placed]
    info.update(columns=ncol, body_font_px=font.size, line_pitch_px=lead, paragraphs=len(gt))
    info.update(lines=len(placed), soft_hyphens=ends.count("soft"), hard_breaks=ends.count("hard"))
    img, dinfo = degrade(img, spec.level, np.random.default_rng([spec.seed, 7]), dpi=dpi)
    info["degrade"] = dinfo
    info["skew_deg"] = dinfo.get("angle_deg", 0.0)
    info["dpi"] = dinfo.get("dpi", dpi)
    info["size_px"] = list(img.size)
    img.info["dpi"] = (info["dpi"], info["dpi"])
    return img, "\n\n".join(gt) + "\n", info


def save_page(img: Image.Image, path: Path | str, **kw) -> None:
    """Save with the DPI recorded in the image (PIL does not carry img.info['dpi'] by itself)."""
    dpi = img.info.get("dpi", (300, 300))
    img.save(path, dpi=tuple(round(d) for d in dpi), **kw)
