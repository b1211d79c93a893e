"""The page model: what the stages hand each other through their JSON files.

Word ids are given once, by the OCR stage (or by the text reader for `.txt` input), and
travel with every word to the end, so each final word can be put back on the image.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of 1-preprocess/image.png


def _box(value: Any) -> Box | None:
    return None if value is None else (int(value[0]), int(value[1]), int(value[2]), int(value[3]))


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def x_overlap(a: Box, b: Box) -> int:
    """How far two boxes share the page's width (negative: the gap between them)."""
    return min(a[2], b[2]) - max(a[0], b[0])


def same_row(a: Box, b: Box, share: float = 0.5) -> bool:
    """Do two boxes stand on one row: sharing `share` of the lower one's height or more?"""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared >= share * min(a[3] - a[1], b[3] - b[1])


# A line this many times taller than wide, with this many letters or figures, is set sideways.
SIDEWAYS_RATIO = 3.0
SIDEWAYS_LETTERS = 4
# A line set sideways read this unsure is not text as it stands: Tesseract reads a credit
# running upward at 74-97 (real and rendered ones), but one running downward comes out upside
# down (`CTVUH ATIVG AHL` for HERALD DAILY THE) at 23-55, and the edge of the next page or a
# picture at 3-53 (`he ae oe. —>`, whose short words pass for known ones).
SIDEWAYS_CONF = 65.0


@dataclass
class Word:
    id: str
    text: str
    box: Box | None = None
    conf: float | None = None  # Tesseract's 0-100 word confidence

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "box": self.box, "conf": self.conf}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Word:
        return cls(d["id"], d["text"], _box(d.get("box")), d.get("conf"))


@dataclass
class Line:
    id: str
    words: list[Word]
    box: Box | None = None
    block: str = ""
    par: str = ""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "box": self.box,
            "block": self.block,
            "par": self.par,
            "words": [w.to_json() for w in self.words],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Line:
        return cls(
            d["id"],
            [Word.from_json(w) for w in d["words"]],
            _box(d.get("box")),
            d.get("block", ""),
            d.get("par", ""),
        )


@dataclass
class Block:
    id: str
    lines: list[Line]
    box: Box | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "box": self.box, "lines": [ln.to_json() for ln in self.lines]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Block:
        return cls(d["id"], [Line.from_json(ln) for ln in d["lines"]], _box(d.get("box")))


@dataclass
class OcrPage:
    """Contents of 2-ocr/ocr.json: Tesseract's blocks, lines and words in its own order."""

    width: int
    height: int
    blocks: list[Block]
    regions: list[Box] = field(default_factory=list)  # non-text blocks: pictures, rules

    def lines(self) -> list[Line]:
        return [ln for b in self.blocks for ln in b.lines]

    def words(self) -> list[Word]:
        return [w for ln in self.lines() for w in ln.words]

    def to_json(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "blocks": [b.to_json() for b in self.blocks],
            "regions": [list(r) for r in self.regions],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> OcrPage:
        regions = [r for r in (_box(x) for x in d.get("regions", [])) if r is not None]
        return cls(
            int(d["width"]), int(d["height"]), [Block.from_json(b) for b in d["blocks"]], regions
        )


@dataclass
class Token:
    """A word of repaired or corrected text, with the ids of the OCR words it came from."""

    text: str
    src: list[str] = field(default_factory=list)
    conf: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "src": self.src, "conf": self.conf}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Token:
        return cls(d["text"], list(d.get("src", [])), d.get("conf"))


PARAGRAPH_KINDS = ("headline", "byline", "body", "caption", "footnote")


@dataclass
class Paragraph:
    id: str
    tokens: list[Token]
    kind: str = "body"  # one of PARAGRAPH_KINDS
    lines: list[str] = field(default_factory=list)  # ids of the source lines, in order

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "lines": self.lines,
            "text": self.text,
            "tokens": [t.to_json() for t in self.tokens],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Paragraph:
        return cls(
            d["id"],
            [Token.from_json(t) for t in d["tokens"]],
            d.get("kind", "body"),
            list(d.get("lines", [])),
        )


class Action(StrEnum):
    """The kinds of repair decision; each counts in one `repair.json` figure only."""

    JOIN = "join"  # a line-end hyphen removed, the word joined
    KEEP = "keep"  # a line-end hyphen kept: the hyphen is real
    DROP = "drop"  # a junk line dropped
    STRIP = "strip"  # stray marks (rules, specks) removed from a kept line
    MARK = "mark"  # a misread mark put right: quotes, year apostrophes, bullets
    ORDER = "order"  # a block moved out of Tesseract's order, or a note on the order


@dataclass
class Decision:
    """One repair decision, recorded so a person can see why the text changed."""

    action: Action  # a plain string of an Action's value is accepted and converted
    reason: str
    original: str
    result: str = ""
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.action = Action(self.action)  # an unknown kind fails here, not in a report

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "reason": self.reason,
            "original": self.original,
            "result": self.result,
            "lines": self.lines,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Decision:
        return cls(d["action"], d["reason"], d["original"], d.get("result", ""), d.get("lines", []))


# Lines of their own in text.txt between articles and before the page furniture (running
# head, folio, adverts); the same markers as bench.articlegen's ground truth, so a script splits
# an output page exactly as it splits the truth. Only a page of several articles has them.
ARTICLE_SEP = "---"
FURNITURE_SEP = "==="


@dataclass
class Article:
    """One story of a page of several: its paragraphs in reading order, headline first."""

    id: str
    paragraphs: list[str]  # paragraph ids in reading order
    headline: list[str] = field(default_factory=list)  # ids of its headline paragraph(s)
    byline: list[str] = field(default_factory=list)  # ids of its byline paragraph(s)
    box: Box | None = None
    why: list[str] = field(default_factory=list)  # why its blocks were joined, doubts included

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "byline": self.byline,
            "paragraphs": self.paragraphs,
            "box": self.box,
            "why": self.why,
        }

    def headline_text(self, text: Mapping[str, str]) -> str:
        """Its headline as printed, from paragraph id -> text ("" when it has none)."""
        return " ".join(text.get(i, "") for i in self.headline).strip()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Article:
        return cls(
            d["id"],
            list(d.get("paragraphs", [])),
            list(d.get("headline", [])),
            list(d.get("byline", [])),
            _box(d.get("box")),
            list(d.get("why", [])),
        )


@dataclass
class RepairedPage:
    """Contents of 3-repair/repair.json.

    `articles` is empty on a page read as one story (its text as before); on a page of several
    it holds every paragraph not in `furniture` (paragraph ids), in reading order."""

    source: str  # "ocr" or "text"
    paragraphs: list[Paragraph]
    decisions: list[Decision] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return article_text(self.paragraphs, self.articles, self.furniture)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.source,
            "stats": self.stats,
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "decisions": [d.to_json() for d in self.decisions],
        }
        if self.articles:  # a one-story page's repair.json stays as it was
            d["articles"] = [a.to_json() for a in self.articles]
            d["furniture"] = self.furniture
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RepairedPage:
        return cls(
            d["source"],
            [Paragraph.from_json(p) for p in d["paragraphs"]],
            [Decision.from_json(x) for x in d.get("decisions", [])],
            dict(d.get("stats", {})),
            [Article.from_json(a) for a in d.get("articles", [])],
            list(d.get("furniture", [])),
        )


def page_text(paragraphs: list[Paragraph]) -> str:
    """The text form used by every text.txt: one paragraph a line, a blank line between."""
    body = "\n\n".join(p.text for p in paragraphs if p.tokens)
    return body + "\n" if body else ""


def article_text(paragraphs: list[Paragraph], articles: list[Article], furniture: list[str]) -> str:
    """`page_text` article by article: a line `---` between articles, a line `===` before the
    page furniture; without articles exactly `page_text`. A paragraph in no article and not
    furniture (none should be) goes after the articles, before the furniture."""
    if not articles:
        return page_text(paragraphs)
    by_id = {p.id: p for p in paragraphs}
    placed = {i for a in articles for i in a.paragraphs} | set(furniture)
    sections = [[by_id[i] for i in a.paragraphs if i in by_id] for a in articles]
    sections[-1] += [p for p in paragraphs if p.id not in placed]
    texts = [page_text(s).rstrip("\n") for s in sections]
    body = f"\n\n{ARTICLE_SEP}\n\n".join(t for t in texts if t)
    tail = page_text([by_id[i] for i in furniture if i in by_id]).rstrip("\n")
    if tail:
        body = f"{body}\n\n{FURNITURE_SEP}\n\n{tail}" if body else f"{FURNITURE_SEP}\n\n{tail}"
    return body + "\n" if body else ""


def split_article_text(text: str) -> tuple[list[str], list[str]]:
    """(articles, furniture items) of a text with `---` between articles and `===` before the
    furniture: the inverse of `article_text`, and how a ground truth of several articles is
    read. Articles keep their paragraphs (blank line between); furniture is one item a paragraph.
    """
    parts = re.split(rf"(?m)^[ \t]*{re.escape(FURNITURE_SEP)}[ \t]*$", text, maxsplit=1)
    body, tail = parts[0], parts[1] if len(parts) > 1 else ""
    articles = [a.strip() for a in re.split(rf"(?m)^[ \t]*{re.escape(ARTICLE_SEP)}[ \t]*$", body)]
    furniture = [f.strip() for f in re.split(r"\n\s*\n", tail) if f.strip()]
    return [a for a in articles if a], furniture


def sideways(ln: Line) -> bool:
    """Text set on its side (a photo credit up a picture's edge, a note in the margin): a line
    far taller than wide, as no line of upright letters is (three upright letters are wider
    than tall). Such a line is no part of any column's run of sentences."""
    if not ln.box or sum(c.isalnum() for c in ln.text) < SIDEWAYS_LETTERS:
        return False
    x0, y0, x1, y1 = ln.box
    return y1 - y0 >= SIDEWAYS_RATIO * max(1, x1 - x0)


def mean_conf(words: list[Word]) -> float:
    """The mean of the words' confidences (0 when none has one)."""
    real = [w.conf for w in words if w.conf is not None and w.conf >= 0]
    return sum(real) / len(real) if real else 0.0


def reading_confs(*pages: OcrPage) -> list[float]:
    """Each reading's mean word confidence, to a tenth: what stage 2 weighs two readings of
    a page by (`ocr/columns.py`, `ocr/soft.py`)."""
    return [round(mean_conf(page.words()), 1) for page in pages]
