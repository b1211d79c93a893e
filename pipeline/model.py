"""The page model: what the stages hand each other through their JSON files.

Word ids are given once, by the OCR stage (or by the text reader for `.txt` input), and
travel with every word to the end, so each final word can be put back on the image.
"""

from __future__ import annotations

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


@dataclass
class RepairedPage:
    """Contents of 3-repair/repair.json."""

    source: str  # "ocr" or "text"
    paragraphs: list[Paragraph]
    decisions: list[Decision] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return page_text(self.paragraphs)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "stats": self.stats,
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "decisions": [d.to_json() for d in self.decisions],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RepairedPage:
        return cls(
            d["source"],
            [Paragraph.from_json(p) for p in d["paragraphs"]],
            [Decision.from_json(x) for x in d.get("decisions", [])],
            dict(d.get("stats", {})),
        )


def page_text(paragraphs: list[Paragraph]) -> str:
    """The text form used by every text.txt: one paragraph a line, a blank line between."""
    body = "\n\n".join(p.text for p in paragraphs if p.tokens)
    return body + "\n" if body else ""
