"""Tesseract's TSV output to the page model: the words, boxes and confidences of one run,
and the boxes of the blocks that hold no words (pictures, rules)."""

from __future__ import annotations

from pipeline.model import Block, Line, OcrPage, Word, union

# TSV levels: 1 page, 2 block, 3 paragraph, 4 line, 5 word


def parse_tsv(tsv: str) -> OcrPage:
    rows = tsv.splitlines()
    if not rows:
        return OcrPage(0, 0, [])
    width = height = 0
    blocks: dict[int, Block] = {}
    lines: dict[tuple[int, int, int], Line] = {}
    n_words = 0
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        level, _page, b, p, ln, _w = (int(c) for c in cols[:6])
        x, y, w, h = (int(c) for c in cols[6:10])
        if level == 1:
            width, height = w, h
            continue
        if level == 2:
            blocks[b] = Block(f"b{len(blocks) + 1}", [], (x, y, x + w, y + h))
            continue
        if level != 5:
            continue
        text = cols[11].strip()
        if not text:
            continue
        key = (b, p, ln)
        line = lines.get(key)
        if line is None:
            block = blocks.setdefault(b, Block(f"b{len(blocks) + 1}", []))
            line = Line(f"l{len(lines) + 1}", [], None, block.id, f"{block.id}.p{p}")
            lines[key] = line
            block.lines.append(line)
        n_words += 1
        line.words.append(
            Word(f"w{n_words}", text, (x, y, x + w, y + h), round(float(cols[10]), 2))
        )
    for line in lines.values():
        line.box = union([wd.box for wd in line.words if wd.box])
    kept = [b for b in blocks.values() if b.lines]
    for b in kept:
        b.box = union([ln.box for ln in b.lines if ln.box])
    # Blocks without words are pictures and rules: layout needs them to find captions.
    regions = [b.box for b in blocks.values() if not b.lines and b.box]
    return OcrPage(width, height, kept, regions)
