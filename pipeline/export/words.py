"""The final words of a page, each put back on the boxes where it stands on the image.

Every exporter reads the page through `load_page`, so hOCR, ALTO and PDF agree on where each
corrected word is. A token of `4-correct/correct.json` is placed by its `src` OCR word ids:

- src words on one line: the union of their boxes;
- src words on two (or more) lines, i.e. a word broken at a line end: one `Part` a line, the
  corrected text cut where the OCR cut it (aligned with difflib, so a corrected letter does not
  move the cut), the line-end hyphen kept aside for ALTO's `HYP`;
- several consecutive tokens sharing the same src (one OCR word the corrector split): that box
  shared out by the tokens' lengths;
- no src (a word typed in by hand): an estimated box right after its neighbour in the same
  paragraph, marked `estimated`; a paragraph without any located word stays unplaced, and
  the exporters leave it out of hOCR/ALTO/PDF (the txt export is always complete).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PageError
from pipeline.fileio import read_json
from pipeline.model import Article, Box, OcrPage, Paragraph, Token, Word, union

HYPHENS = "-\u00ac\u00ad\u2010\u2011\u2e17"
DEFAULT_DPI = 300


@dataclass(frozen=True)
class Part:
    """The piece of a word standing on one line of the image."""

    text: str  # the letters on this line (a line-end hyphen is in `hyphen`, not here)
    box: Box
    line: str  # OCR line id
    hyphen: str = ""  # the hyphen printed after this piece at the line end, if any
    hyphen_box: Box | None = None  # where that hyphen stands (cut off the OCR word's box)


@dataclass(frozen=True)
class PlacedWord:
    text: str  # the final (corrected) word
    parts: tuple[Part, ...] = ()  # empty when the word has no place on the image
    conf: float | None = None  # 0-100
    estimated: bool = False  # box guessed from a neighbour (the word had no OCR ids)

    @property
    def hyphenated(self) -> bool:
        return len(self.parts) > 1


@dataclass(frozen=True)
class PlacedParagraph:
    id: str
    kind: str
    words: tuple[PlacedWord, ...]


@dataclass
class LineRun:
    """Consecutive pieces of one paragraph on the same OCR line, in reading order."""

    line: str
    items: list[tuple[PlacedWord, int]] = field(default_factory=list)  # (word, part index)

    @property
    def box(self) -> Box:
        return union([w.parts[i].box for w, i in self.items])


@dataclass
class ExportPage:
    name: str
    text: str  # the final text, exactly as 4-correct/text.txt
    paragraphs: list[PlacedParagraph]
    width: int = 0
    height: int = 0
    dpi: float = DEFAULT_DPI
    image: Path | None = None  # 1-preprocess/image.png; None for a .txt input
    # a page of several articles: (headline text, paragraph ids in reading order) each
    articles: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def unplaced(self) -> int:
        """Words that have no place on the image (left out of hOCR, ALTO and PDF)."""
        return sum(1 for p in self.paragraphs for w in p.words if not w.parts)

    @property
    def placed(self) -> int:
        return sum(1 for p in self.paragraphs for w in p.words if w.parts)


def runs(paragraph: PlacedParagraph, whole_words: bool) -> list[LineRun]:
    """Group a paragraph's placed pieces into lines, in reading order.

    whole_words: one item a word, on the line where it starts (hOCR and PDF, which have no
    notion of a word broken across lines); otherwise every part (ALTO's HypPart1/HypPart2).
    """
    out: list[LineRun] = []
    for w in paragraph.words:
        for i in range(1 if whole_words else len(w.parts)):
            if i >= len(w.parts):
                break
            line = w.parts[i].line
            if not out or out[-1].line != line:
                out.append(LineRun(line))
            out[-1].items.append((w, i))
    return out


def blocks(
    page: ExportPage, whole_words: bool
) -> Iterator[tuple[int, PlacedParagraph, list[LineRun], Box]]:
    """The paragraphs that have placed words, numbered from 1, with their lines and box."""
    n = 0
    for p in page.paragraphs:
        line_runs = runs(p, whole_words)
        if line_runs:
            n += 1
            yield n, p, line_runs, union([r.box for r in line_runs])


def split_text(full: str, pieces: list[str]) -> list[str]:
    """Cut `full` into len(pieces) parts at the places where the OCR pieces were cut.

    `pieces` are the OCR texts on each line without their line-end hyphens; the cuts are mapped
    through an alignment of their concatenation with `full`, so `Govern`+`ment` cuts the
    corrected `Government` after `Govern`. Falls back to the OCR pieces when `full` is too
    short to give every line a letter.
    """
    n = len(pieces)
    if n == 1:
        return [full]
    if len(full) < n:
        return list(pieces)
    ocr = "".join(pieces)
    ops = difflib.SequenceMatcher(None, ocr, full, autojunk=False).get_opcodes()
    cuts: list[int] = []
    pos = 0
    for piece in pieces[:-1]:
        pos += len(piece)
        cuts.append(_map_index(ops, pos, len(full)))
    parts: list[str] = []
    start = 0
    for k, cut in enumerate(cuts):
        cut = max(cut, start + 1)
        cut = min(cut, len(full) - (n - 1 - k))
        parts.append(full[start:cut])
        start = cut
    parts.append(full[start:])
    return parts


def _map_index(ops: list[tuple[str, int, int, int, int]], i: int, n_out: int) -> int:
    for _tag, i1, i2, j1, j2 in ops:
        if i1 <= i < i2:
            return j1 + round((i - i1) * (j2 - j1) / (i2 - i1))
    return n_out


def _split_box(box: Box, texts: list[str]) -> list[Box]:
    """Share one box out left to right by the texts' lengths (one OCR word, several tokens)."""
    x0, y0, x1, y1 = box
    weights = [max(1, len(t)) for t in texts]
    total = sum(weights) + (len(texts) - 1)  # a space's worth between them
    unit = (x1 - x0) / total
    out: list[Box] = []
    x = float(x0)
    for w in weights:
        right = x + w * unit
        out.append((round(x), y0, max(round(x) + 1, round(right)), y1))
        x = right + unit
    return out


def _place(token: Token, index: dict[str, tuple[Word, str]]) -> tuple[Part, ...]:
    """The parts of one token, from its src words."""
    text = token.text
    groups: list[tuple[str, list[Word]]] = []
    for wid in token.src:
        hit = index.get(wid)
        if hit is None or hit[0].box is None:
            continue
        word, line = hit
        if groups and groups[-1][0] == line:
            groups[-1][1].append(word)
        else:
            groups.append((line, [word]))
    if not groups:
        return ()
    if len(groups) == 1:
        line, words = groups[0]
        return (Part(text, union([w.box for w in words if w.box]), line),)
    ocr_pieces: list[str] = []
    hyphens: list[str] = []
    for k, (_line, words) in enumerate(groups):
        raw = " ".join(w.text for w in words)
        stripped = raw.rstrip(HYPHENS) if k < len(groups) - 1 else raw
        hyphens.append(raw[len(stripped) :][-1:] if k < len(groups) - 1 else "")
        ocr_pieces.append(stripped)
    texts = split_text(text, ocr_pieces)
    parts: list[Part] = []
    for k, ((line, words), piece) in enumerate(zip(groups, texts, strict=True)):
        hyphen = hyphens[k]
        if k < len(groups) - 1:
            kept = piece.rstrip(HYPHENS)
            hyphen = hyphen or piece[len(kept) :][-1:]
            piece = kept or piece
        if k > 0:
            piece = piece.lstrip(HYPHENS) or piece
        box = union([w.box for w in words if w.box])
        hyphen_box = None
        if hyphen and k < len(groups) - 1:
            box, hyphen_box = _cut_hyphen(box, len(" ".join(w.text for w in words)))
        parts.append(Part(piece, box, line, hyphen, hyphen_box))
    return tuple(parts)


def _cut_hyphen(box: Box, n_chars: int) -> tuple[Box, Box | None]:
    """Split the hyphen (about 0.6 of a mean letter wide) off the right of an OCR word box."""
    x0, y0, x1, y1 = box
    cut = round(0.6 * (x1 - x0) / max(1, n_chars))
    if n_chars < 2 or cut < 1 or x1 - cut <= x0:
        return box, None
    return (x0, y0, x1 - cut, y1), (x1 - cut, y0, x1, y1)


def _estimate(words: list[PlacedWord], width: int) -> list[PlacedWord]:
    """Give words without a box one beside their nearest located neighbour in the paragraph."""
    out = list(words)
    for forward in (True, False):
        order = range(len(out)) if forward else range(len(out) - 1, -1, -1)
        prev: Part | None = None
        prev_len = 1
        for i in order:
            w = out[i]
            if w.parts:
                prev = w.parts[-1] if forward else w.parts[0]
                prev_len = max(1, len(prev.text))
                continue
            if prev is None:
                continue
            x0, y0, x1, y1 = prev.box
            char_w = max(1.0, (x1 - x0) / prev_len)
            span = char_w * max(1, len(w.text))
            if forward:
                left = min(x1 + char_w, max(0, width - span))
            else:
                left = max(0.0, x0 - char_w - span)
            box = (round(left), y0, max(round(left) + 1, round(left + span)), y1)
            part = Part(w.text, box, prev.line)
            out[i] = PlacedWord(w.text, (part,), w.conf, estimated=True)
            prev, prev_len = part, max(1, len(w.text))
    return out


def place_paragraphs(paragraphs: list[Paragraph], ocr: OcrPage | None) -> list[PlacedParagraph]:
    """Put every token of the corrected paragraphs on its boxes (pure: no I/O)."""
    index: dict[str, tuple[Word, str]] = {}
    if ocr is not None:
        for line in ocr.lines():
            for w in line.words:
                index[w.id] = (w, line.id)
    out: list[PlacedParagraph] = []
    for p in paragraphs:
        words: list[PlacedWord] = []
        toks = p.tokens
        i = 0
        while i < len(toks):
            j = i + 1
            while j < len(toks) and toks[j].src and toks[j].src == toks[i].src:
                j += 1
            group = toks[i:j]
            if len(group) == 1 or not index:
                for t in group:
                    words.append(PlacedWord(t.text, _place(t, index), t.conf))
            else:
                words.extend(_place_split(group, index))
            i = j
        if ocr is not None:
            words = _estimate(words, ocr.width)
        out.append(PlacedParagraph(p.id, p.kind, tuple(words)))
    return out


def _place_split(group: list[Token], index: dict[str, tuple[Word, str]]) -> list[PlacedWord]:
    """Tokens the corrector split out of one OCR word: share its (last line's) box."""
    whole = _place(group[0], index)
    if not whole:
        return [PlacedWord(t.text, (), t.conf) for t in group]
    if len(whole) > 1:
        # a word broken across lines, then split: the first token keeps the break,
        # the others share the last line's piece
        rest = group[1:]
        last = whole[-1]
        boxes = _split_box(last.box, [last.text, *[t.text for t in rest]])[1:]
        out = [PlacedWord(group[0].text, whole, group[0].conf)]
        out += [
            PlacedWord(t.text, (Part(t.text, b, last.line),), t.conf)
            for t, b in zip(rest, boxes, strict=True)
        ]
        return out
    part = whole[0]
    boxes = _split_box(part.box, [t.text for t in group])
    return [
        PlacedWord(t.text, (Part(t.text, b, part.line),), t.conf)
        for t, b in zip(group, boxes, strict=True)
    ]


def load_page(page_dir: Path) -> ExportPage:
    """Read a finished page folder into an ExportPage; PageError names what is missing."""
    page_dir = Path(page_dir)
    correct = page_dir / "4-correct"
    try:
        data = read_json(correct / "correct.json")
        text = (correct / "text.txt").read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise PageError(f"{page_dir.name}: {e.filename} is missing; run the correct stage") from e
    except ValueError as e:
        raise PageError(f"{page_dir.name}: 4-correct/correct.json is not valid JSON ({e})") from e
    paragraphs = [Paragraph.from_json(p) for p in data.get("paragraphs", [])]
    articles = _articles(data, paragraphs)
    ocr_file = page_dir / "2-ocr" / "ocr.json"
    image = page_dir / "1-preprocess" / "image.png"
    if not ocr_file.exists() or not image.exists():
        return ExportPage(
            page_dir.name, text, place_paragraphs(paragraphs, None), articles=articles
        )
    ocr = OcrPage.from_json(read_json(ocr_file))
    dpi = float(DEFAULT_DPI)
    pre = page_dir / "1-preprocess" / "preprocess.json"
    if pre.exists():
        dpi = float(read_json(pre).get("dpi_out") or DEFAULT_DPI)
    return ExportPage(
        page_dir.name,
        text,
        place_paragraphs(paragraphs, ocr),
        ocr.width,
        ocr.height,
        dpi,
        image,
        articles,
    )


def _articles(data: dict, paragraphs: list[Paragraph]) -> list[tuple[str, list[str]]]:
    """correct.json's articles as (headline text, paragraph ids); none on a one-story page."""
    text = {p.id: p.text for p in paragraphs}
    arts = [Article.from_json(a) for a in data.get("articles") or []]
    return [(a.headline_text(text), [i for i in a.paragraphs if i in text]) for a in arts]
