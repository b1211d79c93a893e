"""Synthetic newspaper pages holding several articles, with ground truth per article.

    .venv/bin/python -m bench.articlegen --pages 36 --out DIR [--seed N]

writes, per page, `NAME.png` (degraded clean / mild / heavy, a third of the pages each),
`NAME.gt.txt` and `NAME.articles.json` (names `multi-LEVEL-KK`; page KK of every level has
2 + KK % 7 articles and column rules when KK is odd, its own seed). 36 letter-size pages
take about 45 s of CPU (70 s on a busy 2-core machine) and 160 MB of disk. In code:
`render_multi(MultiPageSpec(seed, level, articles, rules))` -> (image, ground truth, info);
`write_page(spec, out_dir, name)` writes the three files. Small pages (6.5 x 8.5 in) keep
tests fast, but with 7-8 articles their stories are only a few lines long.

`bench.pagegen` draws one article a page; stage 3's grouping of blocks into articles needs
pages where several stories sit side by side and stacked, as on real front pages. Everything
is drawn from the seed, with pagegen's fonts, line setting and halftone, and degraded by
`bench.degrade` exactly as pagegen's pages are.

What a page holds (`plan_page` chooses it from the seed; `MultiPageSpec` can fix the article
count and the rules): a running head (page number, paper, date) over a double rule; a lead
story over 3-4 of the 4-5 columns, usually with a photograph, caption and credit; a rail of
one-column (or two-column) stories stacked beside it, separated by cut-off rules; a row of
one- or two-column stories under it; sometimes a boxed sidebar, a story whose text runs on
below a photograph without a caption, an advert block; subheads in long stories, datelines
opening first paragraphs, jump lines ("Continued on Page 4", "See HARBOUR, 4A") closing
stories cut short; vertical column rules on some pages (broken where a headline, photograph
or box crosses the gutter), white gutters on the others.

Ground truth (`NAME.gt.txt`): one paragraph a line with a blank line between (as pagegen's),
articles in reading order, each its headline (lines joined), byline (when there is one),
body paragraphs (subheads are paragraphs of their own; caption and credit last); a line
`---` between articles, a line `===` before the page furniture (running head, jump lines in
article order, adverts), one item a paragraph. Reading order is the XY-cut order of the
article rectangles: the column blocks left to right (lead block, rail), each top to bottom,
a row of stories under the lead left to right. `plain_text(gt)` drops the markers, for CER of
a whole page; `pipeline.articlescore.split_articles` reads the articles back.

`NAME.articles.json`: per article id, role (lead, story, sidebar, photo_story), headline,
byline, body, caption, jump, columns spanned, photo, and `box` in pixels of NAME.png (the
axis-aligned box of the rotated rectangle on mild and heavy pages, so neighbours' boxes may
overlap there; `quad` its four corners, `render_box` the box before degradation); furniture
items with kind (running_head, jump, advert), text and box; the column rules and the
degradation parameters.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from bench.degrade import LEVELS, degrade
from bench.pagegen import (
    ABBREV,
    HEAD_FACES,
    MONTHS,
    NAMES,
    PLACES,
    SANS,
    SERIF,
    SERIF_ITALIC,
    STOP_TAIL,
    Line,
    byline,
    draw_line,
    fit_headline,
    halftone,
    lines_text,
    load_corpus,
    load_font,
    pt_px,
    save_page,
    sentences,
    set_lines,
    wrap,
)

LEVEL_SEED = {"clean": 61000, "mild": 62000, "heavy": 63000}
ARTICLE_SEP, FURNITURE_SEP = "---", "==="
SERIF_BOLD = HEAD_FACES[0]
PAPERS = ("THE EVENING HERALD", "THE DAILY CHRONICLE", "THE WEEKLY COURIER", "THE MORNING STAR")
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")
SHOPS = (
    "DALTON & GREER",
    "PEMBERTON BROTHERS",
    "THE CITY TEA COMPANY",
    "HARRIS & SONS",
    "WHITCOMBE'S PHARMACY",
    "AVERY'S BOOT STORE",
)
OFFERS = (
    "GREAT WINTER SALE",
    "Blankets, Flannels and Drapery at Reduced Prices",
    "Finest Ceylon Tea, 1s. 8d. per lb.",
    "Boots and Shoes for the Whole Family",
    "Open Every Evening until Nine O'Clock",
    "Country Orders Promptly Attended To",
    "Prescriptions Carefully Dispensed",
)
STREETS = ("King Street", "George Street", "Queen Street", "Market Square", "High Street")
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
MIN_STORY_IN = 1.9  # inches of column a stacked story needs: headline, byline, ~8 lines
ADVERT_SHARE = 0.65  # an advert's height against a story's in a stack
MAX_TRIM_LINES = 6  # a story ends at a sentence end this near the foot (and in its last
# third), else jumps


@dataclass(frozen=True)
class MultiPageSpec:
    """What to draw; `articles` (2-8) and `rules` are drawn from the seed when None."""

    seed: int
    level: str = "clean"
    articles: int | None = None
    rules: bool | None = None
    dpi: int = 300
    width_in: float = 8.5
    height_in: float = 11.0


@dataclass
class Slot:
    """A rectangle of the column grid (columns c0..c1-1, y0..y1 px) for an article or advert."""

    role: str  # lead | story | sidebar | photo_story | advert
    c0: int
    c1: int
    y0: int
    y1: int


@dataclass
class Plan:
    """The page's grid and its slots in reading order: everything but the text and pixels."""

    width: int
    height: int
    margin: int
    gutter: int
    col_x: list[float]
    col_w: float
    body_top: int
    body_bottom: int
    rules: bool
    slots: list[Slot]
    lead_photo: bool

    @property
    def articles(self) -> int:
        return sum(s.role != "advert" for s in self.slots)


@dataclass
class Article:
    """One article's ground truth and where it was drawn (render pixels until mapped)."""

    id: str
    role: str
    headline: str
    byline: str | None
    body: list[str]
    box: list[int]
    columns: list[int]
    caption: str | None = None
    photo: list[int] | None = None
    jump: str | None = None

    def paragraphs(self) -> list[str]:
        return [self.headline, *([self.byline] if self.byline else []), *self.body]


@dataclass
class Furniture:
    """Page furniture: running head, jump line (with its article), advert."""

    kind: str
    text: str
    box: list[int]
    article: str | None = None


@dataclass
class _Item:
    """A body paragraph or subhead being set, with the lines it got on the page."""

    text: str
    subhead: bool = False
    lines: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------- planning


def _split(total: int, weights: list[float]) -> list[int]:
    """Cut points dividing `total` px in proportion to `weights`."""
    cuts, acc = [0], 0.0
    for w in weights:
        acc += w
        cuts.append(round(total * acc / sum(weights)))
    return cuts


def _stack(roles: list[str], c0: int, c1: int, y0: int, y1: int, rng: random.Random) -> list[Slot]:
    weights = [ADVERT_SHARE if r == "advert" else rng.uniform(0.85, 1.15) for r in roles]
    cuts = _split(y1 - y0, weights)
    return [Slot(r, c0, c1, y0 + cuts[k], y0 + cuts[k + 1]) for k, r in enumerate(roles)]


def _composition(total: int, parts: int, rng: random.Random, most: int) -> list[int]:
    """`total` split into `parts` positive sizes of at most `most` each, at random."""
    sizes = [1] * parts
    for _ in range(total - parts):
        room = [k for k in range(parts) if sizes[k] < most] or list(range(parts))
        sizes[rng.choice(room)] += 1
    return sizes


def plan_page(spec: MultiPageSpec) -> Plan:
    """Grid and slots from the seed: lead block (lead over the row under it) and a rail."""
    if spec.articles is not None and not 2 <= spec.articles <= 8:
        raise ValueError(f"articles must be 2-8, not {spec.articles}")
    rng = random.Random(f"plan-{spec.seed}")
    n = spec.articles or rng.randint(2, 8)
    rules = spec.rules if spec.rules is not None else rng.random() < 0.5
    dpi = spec.dpi
    width, height = round(spec.width_in * dpi), round(spec.height_in * dpi)
    margin, gutter = round(0.35 * dpi), round(0.18 * dpi)
    ncol = 5 if spec.width_in >= 7.5 and rng.random() < 0.5 else 4
    col_w = (width - 2 * margin - gutter * (ncol - 1)) / ncol
    col_x = [margin + k * (col_w + gutter) for k in range(ncol)]
    body_top = margin + round(pt_px(8, dpi) * 3.4)
    body_bottom = height - margin
    lead_span = rng.choice((3, 4))
    rail = ncol - lead_span
    others = n - 1
    body_h = body_bottom - body_top
    story_h = MIN_STORY_IN * 1.15 * dpi  # with room for the stack's uneven shares

    def fits(h: float, stories: float) -> bool:
        return stories * story_h <= h

    rail_cap = int(body_h // story_h) if rail else 0
    in_rail = rng.randint(1, min(3, others, rail_cap)) if rail else 0
    if rail and in_rail == others and rng.random() < 0.5 and others > 1:
        in_rail -= 1  # keep a row under the lead on most pages
    under = others - in_rail
    frac = rng.uniform(0.45, 0.6)
    while under and not fits(body_h * (1 - frac), under / min(under, lead_span)):
        if frac > 0.3:
            frac -= 0.05  # a shorter lead leaves the row under it more room
        elif in_rail < rail_cap:
            in_rail, under = in_rail + 1, under - 1
        else:
            break  # the page is too small for this many stories: they come out short
    under_h = body_h * (1 - frac) if under else 0.0
    per_group = max(1, int(under_h // story_h))
    rail_left = rail > 0 and rng.random() < 0.3
    lead_c0 = rail if rail_left else 0
    rail_c0 = 0 if rail_left else lead_span
    lead_y1 = body_top + round(body_h * frac) if under else body_bottom
    lead = [Slot("lead", lead_c0, lead_c0 + lead_span, body_top, lead_y1)]
    groups, roles_by_group, widths = 0, [], []
    if under:
        fewest = min(-(-under // per_group), lead_span, under)
        groups = rng.randint(fewest, min(under, lead_span))
        widths = _composition(lead_span, groups, rng, 2)
        counts = _composition(under, groups, rng, per_group)
        roles_by_group = [["story"] * k for k in counts]
    advert_in_rail = False
    if rng.random() < 0.55:  # an advert, where a stack has room for one
        room = [k for k in range(groups) if fits(under_h, len(roles_by_group[k]) + ADVERT_SHARE)]
        if rail and fits(body_h, in_rail + ADVERT_SHARE):
            room.append(-1)
        if room:
            k = rng.choice(room)
            if k < 0:
                advert_in_rail = True
            else:
                roles_by_group[k].append("advert")
    row: list[Slot] = []
    c = lead_c0
    for w, roles in zip(widths, roles_by_group, strict=True):
        row += _stack(roles, c, c + w, lead_y1, body_bottom, rng)
        c += w
    side: list[Slot] = []
    roles = ["story"] * in_rail + (["advert"] if advert_in_rail else [])
    if roles:
        side = _stack(roles, rail_c0, rail_c0 + rail, body_top, body_bottom, rng)
    slots = side + lead + row if rail_left else lead + row + side
    stories = [s for s in slots if s.role == "story"]
    if len(stories) >= 2 and rng.random() < 0.45:
        rng.choice(stories).role = "sidebar"
    tall = [s for s in slots if s.role == "story" and s.y1 - s.y0 >= 2.4 * dpi]
    if tall and rng.random() < 0.6:
        rng.choice(tall).role = "photo_story"
    return Plan(
        width,
        height,
        margin,
        gutter,
        col_x,
        col_w,
        body_top,
        body_bottom,
        rules,
        slots,
        lead_photo=rng.random() < 0.75,
    )


# ---------------------------------------------------------------- text


class _Pool:
    """The corpus paragraphs for one page, each handed out once: articles never share text."""

    def __init__(self, rng: random.Random) -> None:
        self.paras = [p for _, ps in load_corpus() for p in ps]
        self.pos = rng.randrange(len(self.paras))
        self.left = len(self.paras)

    def peek(self, k: int = 0) -> str:
        return self.paras[(self.pos + k) % len(self.paras)]

    def take(self) -> str | None:
        if self.left == 0:
            return None
        self.left -= 1
        self.pos = (self.pos + 1) % len(self.paras)
        return self.paras[self.pos - 1]


def _caps_words(text: str, n: int) -> list[str]:
    """Up to n words from the start of `text` (its first sentence when that is long enough),
    upper-cased, no stop word last: headlines and subheads echo their story's own words."""
    first = sentences(text)[0]
    words = [
        re.sub(r"^\W+|\W+$", "", w) for w in (first if len(first.split()) >= 3 else text).split()
    ]
    words = [w.upper() for w in words if w][:n]
    while len(words) > 1 and words[-1].lower() in STOP_TAIL:
        words.pop()
    return words


def _items(pool: _Pool, rng: random.Random, dateline: str | None, subheads: bool):
    """The article's paragraphs from the pool; a dateline opens the first, subheads between."""
    k, subs = 0, 0
    while (text := pool.take()) is not None:
        if k == 0 and dateline:
            text = f"{dateline}\u2014{text}"
        elif k >= 2 and subheads and subs < 2 and rng.random() < 0.3:
            words = _caps_words(text, rng.randint(2, 4))
            if len(words) >= 2:  # "TO THE PEOPLE" loses its stop words to a lone "TO"
                subs += 1
                yield _Item(" ".join(words), subhead=True)
        yield _Item(text)
        k += 1


def _caption(pool: _Pool) -> str:
    """A sentence of the story itself (captions echo their story, so no other article's words)."""
    for k in range(3):
        for s in sentences(pool.peek(k))[1:]:
            if 6 <= len(s.split()) <= 18:
                return s
    words = sentences(pool.peek())[0].split()[:12]
    return " ".join(words).rstrip(",;:") + "."


# ---------------------------------------------------------------- setting text in columns


Placed = tuple[_Item, Line, float, float]  # item, line, x, baseline


def _flow(
    items: Iterator[_Item],
    cols: list[tuple[float, int, int]],
    width: float,
    font,
    lead: int,
) -> list[Placed]:
    """Fill the columns (x, top, bottom) in turn; a subhead never ends a column."""
    placed: list[Placed] = []
    queue: list[Line] = []
    item: _Item | None = None
    pending: _Item | None = None
    indent = round(font.size * 1.2)
    for ci, (x, top, bottom) in enumerate(cols):
        yb = top + font.size
        while yb + lead - font.size <= bottom:
            if not queue:
                item = pending or next(items, None)
                pending = None
                if item is None:
                    return placed
                if item.subhead:
                    room = (bottom - yb) // lead
                    if room < 5:
                        if ci + 1 < len(cols):
                            pending = item
                            break
                        continue  # no room for it in the last column: drop it
                    if yb > top + font.size:
                        yb += lead // 2
                    placed.append((item, Line([item.text], "end"), x, yb))
                    yb += round(lead * 1.5)
                    continue
                queue = set_lines(item.text, width, font, indent)
            line = queue.pop(0)
            placed.append((item, line, x, yb))
            yb += lead
    return placed


def _ends_sentence(piece: str) -> bool:
    return bool(SENTENCE_END.search(piece)) and not ABBREV.search(piece)


def _trim(placed: list[Placed], jump: bool) -> tuple[list[Placed], bool]:
    """End the story at a sentence end near the foot (the line cut after it), else on a whole
    word with a jump line."""
    if not jump:
        give_up = min(MAX_TRIM_LINES, len(placed) // 3)  # a short story keeps most of its room
        for i in range(len(placed) - 1, max(-1, len(placed) - 1 - give_up), -1):
            it, line, x, yb = placed[i]
            if it.subhead:
                continue
            whole = len(line.pieces) - (line.end in ("soft", "hard"))  # a last fragment is not
            for j in range(whole - 1, -1, -1):
                if _ends_sentence(line.pieces[j]):
                    cut = Line(line.pieces[: j + 1], "end", line.indent, line.bullet)
                    return [*placed[:i], (it, cut, x, yb)], False
        jump = True
    while placed and (placed[-1][1].end in ("soft", "hard") or placed[-1][0].subhead):
        placed = placed[:-1]
    return placed, jump


# ---------------------------------------------------------------- drawing


class _Page:
    """The canvas, plan and random streams of one page, and what has been drawn on it."""

    def __init__(self, spec: MultiPageSpec, plan: Plan) -> None:
        self.spec, self.plan, self.dpi = spec, plan, spec.dpi
        self.rng = random.Random(f"text-{spec.seed}")
        self.nrng = np.random.default_rng([spec.seed, 11])
        self.img = Image.new("L", (plan.width, plan.height), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.pool = _Pool(self.rng)
        self.font = load_font(SERIF, pt_px(9.5, self.dpi))
        self.lead = round(self.font.size * 1.18)
        self.rule_w = max(1, self.dpi // 150)
        self.blocked: list[tuple[int, int, int, int]] = []  # c0, c1, y0, y1 across gutters
        self.page_no = self.rng.randint(2, 24)

    def x_span(self, slot: Slot) -> tuple[int, int]:
        p = self.plan
        return round(p.col_x[slot.c0]), round(p.col_x[slot.c1 - 1] + p.col_w)

    def hrule(self, x0: int, x1: int, y: int) -> None:
        self.draw.rectangle([x0, y, x1, y + self.rule_w - 1], fill=0)

    def photo(self, x: int, y: int, w: int, h: int) -> list[int]:
        pic = halftone((h, w), self.nrng, cell=self.dpi / 65)
        self.img.paste(Image.fromarray(pic), (x, y))
        self.draw.rectangle([x, y, x + w - 1, y + h - 1], outline=0, width=self.rule_w)
        return [x, y, x + w, y + h]

    def centred(self, lines: list[str], font, x0: int, x1: int, y: int, k: float = 1.1) -> int:
        for text in lines:
            self.draw.text(((x0 + x1) / 2, y), text, font=font, fill=0, anchor="mt")
            y += round(font.size * k)
        return y


def running_head(page: _Page) -> Furniture:
    """Page number, paper and date across the top over a double rule."""
    p, rng, dpi = page.plan, page.rng, page.dpi
    font = load_font(SERIF, pt_px(8, dpi))
    date = f"{rng.choice(DAYS)}, {rng.choice(MONTHS).upper()} {rng.randint(1, 28)}, "
    date += str(rng.randint(1880, 1925))
    paper = rng.choice(PAPERS)
    number = str(page.page_no) if rng.random() < 0.5 else f"PAGE {page.page_no}"
    left, right = (number, date) if page.page_no % 2 == 0 else (date, number)
    x0, x1, y = p.margin, p.width - p.margin, p.margin
    draw = page.draw
    draw.text((x0, y), left, font=font, fill=0, anchor="lt")
    draw.text(((x0 + x1) / 2, y), paper, font=font, fill=0, anchor="mt")
    draw.text((x1, y), right, font=font, fill=0, anchor="rt")
    bottom = y + round(font.size * 1.2)
    page.hrule(x0, x1, bottom + page.rule_w)
    page.hrule(x0, x1, bottom + 3 * page.rule_w)
    return Furniture("running_head", f"{left} {paper} {right}", [x0, y, x1, bottom])


def advert(page: _Page, slot: Slot) -> Furniture:
    """A ruled box of display type: shop, offers, address."""
    rng, dpi = page.rng, page.dpi
    x0, x1 = page.x_span(slot)
    pad = round(0.08 * dpi)
    top = slot.y0 + (pad if slot.y0 > page.plan.body_top else 0)
    bottom = slot.y1 - pad
    page.blocked.append((slot.c0, slot.c1, slot.y0, slot.y1))
    page.draw.rectangle([x0, top, x1, bottom], outline=0, width=3 * page.rule_w)
    inner = (x1 - x0) - 2 * pad
    shop = rng.choice(SHOPS)
    offers = rng.sample(OFFERS, rng.randint(2, 3))
    address = f"{rng.randint(10, 240)} {rng.choice(STREETS)}."
    offer_font = load_font(SANS, pt_px(9, dpi))
    addr_font = load_font(SERIF_ITALIC, pt_px(8.5, dpi))
    n_name = 2 if " " in shop else 1

    def blocks_for(name_pt: float, k: int) -> list[tuple[list[str], object]]:
        px = pt_px(name_pt, dpi)
        name = fit_headline(shop.split(), n_name, inner, SERIF_BOLD, px, min(px, pt_px(10, dpi)))
        offer = [(wrap(o, inner, offer_font), offer_font) for o in offers[:k]]
        return [name, *offer, ([address], addr_font)]

    def height(blocks) -> int:
        return sum(len(ls) * round(f.size * 1.25) for ls, f in blocks)

    # the largest name with the most offers that fits the box
    options = [(pt, k) for pt in (18, 15, 12, 10) for k in range(len(offers), -1, -1)]
    blocks = blocks_for(10, 0)
    for pt, k in options:
        if height(candidate := blocks_for(pt, k)) <= bottom - top - 2 * pad:
            blocks = candidate
            break
    y = top + max(pad, (bottom - top - height(blocks)) // 2)
    drawn: list[str] = []
    for lines, font in blocks:
        y = page.centred(lines, font, x0, x1, y, 1.25)
        drawn += lines
    return Furniture("advert", " ".join(drawn), [x0, top, x1, bottom + 1])


def _fit_byline(text: str, width: float, dpi: int):
    """The byline at the largest size that fits (the long form cut at its comma if need be)."""
    for candidate in (text, text.split(",")[0]):
        for pt in (8.5, 7.5, 7.0):
            font = load_font(SERIF_ITALIC, pt_px(pt, dpi))
            if font.getlength(candidate) <= width:
                return candidate, font
    return None, None


def _headline(page: _Page, role: str, words: list[str], width: int, ncols: int):
    """Fitted headline lines and font; words too wide for the column even small are left out."""
    dpi, rng = page.dpi, page.rng
    face = rng.choice(HEAD_FACES)
    lines, size = (rng.choice((1, 2)), (30, 18)) if role == "lead" else (1, (22, 13))
    if ncols == 1:
        lines, size = 2, (15, 11)
    small = load_font(face, pt_px(size[1], dpi))
    words = [w for w in words if small.getlength(w) <= width] or ["NEWS"]
    hl, font = fit_headline(words, lines, width, face, pt_px(size[0], dpi), pt_px(size[1], dpi))
    while len(hl) == 1 and len(hl[0].split()) > 1 and font.getlength(hl[0]) > width:
        hl = [hl[0].rsplit(" ", 1)[0]]  # fit_headline's last resort can still be too wide
    while len(hl[-1].split()) > 1 and hl[-1].split()[-1].lower() in STOP_TAIL:
        hl[-1] = hl[-1].rsplit(" ", 1)[0]
    return hl, font


def render_article(page: _Page, slot: Slot, aid: str) -> tuple[Article, Furniture | None]:
    """Headline, byline, photo and body of one story in its slot; the jump line if cut short."""
    p, rng, dpi, draw = page.plan, page.rng, page.dpi, page.draw
    font, lead = page.font, page.lead
    pad = round(0.08 * dpi)
    x0, x1 = page.x_span(slot)
    top, bottom = slot.y0 + (pad if slot.y0 > p.body_top else 0), slot.y1 - pad
    ncols = slot.c1 - slot.c0
    if slot.y0 > p.body_top and slot.role != "sidebar":
        page.hrule(x0, x1, slot.y0 - page.rule_w // 2)
    col_x = [p.col_x[c] for c in range(slot.c0, slot.c1)]
    col_w, tx0, tx1 = p.col_w, x0, x1
    if slot.role == "sidebar":
        draw.rectangle([x0, top, x1, bottom], outline=0, width=2 * page.rule_w)
        page.blocked.append((slot.c0, slot.c1, slot.y0, slot.y1))
        inset = round(0.1 * dpi)
        tx0, tx1, top, bottom = x0 + inset, x1 - inset, top + inset, bottom - inset
        g = round(p.gutter / 1.5)
        col_w = (tx1 - tx0 - g * (ncols - 1)) / ncols
        col_x = [tx0 + k * (col_w + g) for k in range(ncols)]
    for _ in range(rng.randint(0, 2)):  # a story starts where it likes, not where the last ended
        page.pool.take()
    first = page.pool.peek()
    n_words = rng.randint(5, 9) if slot.role == "lead" else rng.randint(3, 6)
    words = _caps_words(first, n_words)
    while len(words) < 3 and n_words < 9:  # "WHEN I WAS A" would print as "WHEN"
        n_words += 1
        words = _caps_words(first, n_words)
    hl, hfont = _headline(page, slot.role, words, tx1 - tx0, ncols)
    y = page.centred(hl, hfont, tx0, tx1, top)
    by_text, by_font = None, None
    if rng.random() < 0.7:
        by_text, by_font = _fit_byline(byline(rng), tx1 - tx0, dpi)
    if by_text:
        y += round(by_font.size * 0.3)
        y = page.centred([by_text], by_font, tx0, tx1, y, 1.3)
    y += round(font.size * 0.5)
    if ncols > 1:
        page.blocked.append((slot.c0, slot.c1, slot.y0, y))
    dateline = None
    if (by_text is None or by_text.startswith(("By", "From"))) and rng.random() < 0.4:
        dateline = f"{rng.choice(PLACES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)}."
    tops = [y] * ncols
    caption, photo_box, tail = None, None, []
    py = y
    if slot.role == "photo_story" or (slot.role == "lead" and p.lead_photo):
        span = ncols if slot.role == "photo_story" else min(2, ncols - 1)
        c0 = 0 if slot.role == "photo_story" else rng.choice((0, ncols - span))
        px = round(col_x[c0])
        pw = round(col_x[c0 + span - 1] + col_w) - px
        ph = min(round(pw * rng.uniform(0.5, 0.72)), round((bottom - y) * 0.45))
        photo_box = page.photo(px, y, pw, ph)
        py = y + ph + round(0.06 * dpi)
        if slot.role == "lead":
            cfont = load_font(SERIF_ITALIC, pt_px(8.5, dpi))
            caption = _caption(page.pool)
            for text in wrap(caption, pw, cfont):
                py += round(cfont.size * 1.15)
                draw.text((px, py), text, font=cfont, fill=0, anchor="ls")
            tail = [caption]
            if rng.random() < 0.6:
                credit = f"Photograph by {rng.choice(NAMES)}."
                sfont = load_font(SANS, pt_px(7, dpi))
                py += round(sfont.size * 1.4)
                draw.text((px + pw, py), credit, font=sfont, fill=0, anchor="rs")
                tail.append(credit)
            py += round(0.1 * dpi)
        if span > 1:
            page.blocked.append((slot.c0 + c0, slot.c0 + c0 + span, photo_box[1], py))
        for c in range(c0, c0 + span):
            tops[c] = py
    cols = [(col_x[c], tops[c], bottom) for c in range(ncols)]
    x_last, t_last, b_last = cols[-1]
    cols[-1] = (x_last, t_last, b_last - round(lead * 1.3))  # room for a jump line
    big = slot.role == "lead" or (ncols > 1 and bottom - top > 3 * dpi)
    items = _items(page.pool, rng, dateline, subheads=big)
    placed, jump = _trim(_flow(items, cols, col_w, font, lead), rng.random() < 0.25)
    sub_font = load_font(SERIF_BOLD, pt_px(9, dpi))
    body: list[_Item] = []
    y_end = py
    for k, (it, line, x, yb) in enumerate(placed):
        if it.subhead:
            draw.text((x + col_w / 2, yb), it.text, font=sub_font, fill=0, anchor="ms")
        else:
            last = k == len(placed) - 1
            draw_line(draw, line, x, yb, col_w, font, justify=line.end != "end" and not last)
        if not body or body[-1] is not it:
            body.append(it)
            it.lines = []
        it.lines.append(line)
        y_end = max(y_end, round(yb + font.size * 0.3))
    jump_item = None
    if jump:
        word = max(hl[0].split(), key=len).strip("'\u2019")
        other = rng.choice([n for n in range(1, 25) if n != page.page_no])
        text = f"Continued on Page {other}" if rng.random() < 0.5 else f"See {word}, {other}A"
        jfont = load_font(SERIF_ITALIC, pt_px(8, dpi))
        jx, jy = round(x_last + col_w), b_last - round(lead * 0.3)
        draw.text((jx, jy), text, font=jfont, fill=0, anchor="rs")
        jbox = list(draw.textbbox((jx, jy), text, font=jfont, anchor="rs"))
        jump_item = Furniture("jump", text, jbox, aid)
        y_end = max(y_end, jbox[3])
    paras = [it.text if it.subhead else lines_text(it.lines) for it in body]
    box = [x0, slot.y0 + (pad if slot.y0 > p.body_top else 0), x1, y_end]
    if slot.role == "sidebar":
        box[3] = bottom + round(0.1 * dpi) + 1
    if jump_item:  # the jump line is the story's: its box holds it
        box = [min(box[0], jbox[0]), box[1], max(box[2], jbox[2]), max(box[3], jbox[3])]
    article = Article(
        aid,
        slot.role,
        " ".join(hl),
        by_text,
        paras + tail,
        box,
        list(range(slot.c0, slot.c1)),
        caption,
        photo_box,
        jump_item.text if jump_item else None,
    )
    return article, jump_item


def column_rules(page: _Page) -> list[list[int]]:
    """Vertical rules in the gutters, broken where a headline, photo or box crosses them."""
    p = page.plan
    rules = []
    for g in range(1, len(p.col_x)):
        gx = round(p.col_x[g] - p.gutter / 2)
        cuts = sorted((y0, y1) for c0, c1, y0, y1 in page.blocked if c0 < g < c1)
        y = p.body_top
        spans = []
        for y0, y1 in cuts:
            spans.append((y, y0 - page.lead // 2))
            y = max(y, y1 + page.lead // 2)
        spans.append((y, p.body_bottom))
        for y0, y1 in spans:
            if y1 - y0 > 2 * page.lead:
                page.draw.rectangle([gx, y0, gx + page.rule_w - 1, y1], fill=0)
                rules.append([gx, y0, gx + page.rule_w, y1])
    return rules


# ---------------------------------------------------------------- page


def map_quad(box: list[int], dinfo: dict, render_size: tuple[int, int]) -> list[list[float]]:
    """A render-pixel box's corners (top-left, top-right, bottom-right, bottom-left) in the
    degraded image: scaled and rotated about the centre as `bench.degrade` did."""
    angle, scale = dinfo.get("angle_deg", 0.0), dinfo.get("scale", 1.0)
    x0, y0, x1, y1 = box
    corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    if angle == 0.0 and scale == 1.0:
        return [[float(x), float(y)] for x, y in corners]
    w, h = render_size
    if scale < 1.0:
        w, h = round(w * scale), round(h * scale)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if dinfo.get("level") == "heavy":  # rotated with the canvas expanded
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        m[0, 2] += (int(np.ceil(h * sin + w * cos)) - w) / 2
        m[1, 2] += (int(np.ceil(h * cos + w * sin)) - h) / 2
    pts = np.array([[x * scale, y * scale, 1.0] for x, y in corners]) @ m.T
    return [[round(float(x), 1), round(float(y), 1)] for x, y in pts]


def map_box(box: list[int], dinfo: dict, render_size: tuple[int, int]) -> list[int]:
    """The axis-aligned box around `map_quad`'s corners, in whole pixels (on a skewed page
    neighbours' boxes overlap a little: test a point against the quad to tell them apart)."""
    pts = np.array(map_quad(box, dinfo, render_size))
    return [
        int(np.floor(pts[:, 0].min())),
        int(np.floor(pts[:, 1].min())),
        int(np.ceil(pts[:, 0].max())),
        int(np.ceil(pts[:, 1].max())),
    ]


def page_text(articles: list[Article], furniture: list[Furniture]) -> str:
    """The page's ground truth: articles in reading order between `---`, furniture after `===`."""
    parts = ["\n\n".join(a.paragraphs()) for a in articles]
    text = f"\n\n{ARTICLE_SEP}\n\n".join(parts)
    if furniture:
        text += f"\n\n{FURNITURE_SEP}\n\n" + "\n\n".join(f.text for f in furniture)
    return text + "\n"


def plain_text(gt: str) -> str:
    """The ground truth without the `---` / `===` markers, for CER of the whole page."""
    keep = [
        p for p in re.split(r"\n\s*\n", gt.strip()) if p.strip() not in (ARTICLE_SEP, FURNITURE_SEP)
    ]
    return "\n\n".join(keep) + "\n"


def render_multi(spec: MultiPageSpec) -> tuple[Image.Image, str, dict]:
    """Render the page; return (degraded image, ground truth, info for NAME.articles.json)."""
    plan = plan_page(spec)
    page = _Page(spec, plan)
    head = running_head(page)
    articles: list[Article] = []
    jumps: list[Furniture] = []
    adverts: list[Furniture] = []
    for slot in plan.slots:
        if slot.role == "advert":
            adverts.append(advert(page, slot))
            continue
        art, jump = render_article(page, slot, f"a{len(articles) + 1}")
        articles.append(art)
        if jump:
            jumps.append(jump)
    rules = column_rules(page) if plan.rules else []
    furniture = [head, *jumps, *adverts]
    gt = page_text(articles, furniture)
    render_size = (plan.width, plan.height)
    img, dinfo = degrade(page.img, spec.level, np.random.default_rng([spec.seed, 7]), dpi=spec.dpi)
    img.info["dpi"] = (dinfo["dpi"], dinfo["dpi"])

    def mapped(box: list[int] | None) -> dict:
        if box is None:
            return {}
        return {
            "box": map_box(box, dinfo, render_size),
            "quad": map_quad(box, dinfo, render_size),
            "render_box": box,
        }

    info = {
        "seed": spec.seed,
        "level": spec.level,
        "spec": asdict(spec),
        "size_px": list(img.size),
        "render_size_px": list(render_size),
        "dpi": dinfo["dpi"],
        "columns": len(plan.col_x),
        "column_boxes": [
            [round(x), plan.body_top, round(x + plan.col_w), plan.body_bottom] for x in plan.col_x
        ],
        "rules": rules,
        "articles": [
            {
                **asdict(a),
                **mapped(a.box),
                "photo": mapped(a.photo) or None,
            }
            for a in articles
        ],
        "furniture": [{**asdict(f), **mapped(f.box)} for f in furniture],
        "degrade": dinfo,
    }
    return img, gt, info


def spec_for(level: str, k: int, seed: int = 0) -> MultiPageSpec:
    """The k-th page of a level: article counts cycle 2-8, rules every other page."""
    return MultiPageSpec(
        seed=seed + LEVEL_SEED.get(level, 69000) + k,
        level=level,
        articles=2 + k % 7,
        rules=k % 2 == 1,
    )


def write_page(spec: MultiPageSpec, out: Path, name: str) -> dict:
    """Render and write NAME.png, NAME.gt.txt and NAME.articles.json; return the info."""
    img, gt, info = render_multi(spec)
    buf = io.BytesIO()
    save_page(img, buf, format="PNG")
    (out / f"{name}.png").write_bytes(buf.getvalue())
    (out / f"{name}.gt.txt").write_text(gt, encoding="utf-8")
    text = json.dumps({"name": name, **info}, indent=1, ensure_ascii=False)
    (out / f"{name}.articles.json").write_text(text + "\n", encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=36, help="total, a third per level")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0, help="added to every page's seed")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for i in range(args.pages):
        level, k = LEVELS[i % 3], i // 3
        name = f"multi-{level}-{k:02d}"
        info = write_page(spec_for(level, k, args.seed), args.out, name)
        print(f"{name}: {len(info['articles'])} articles, rules={bool(info['rules'])}")
    print(f"{args.pages} pages in {time.perf_counter() - start:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
