"""Stage 3, repair: OCR output (or a raw OCR .txt) to clean paragraphs in reading order.

Order of work: strip column-rule marks and restore bullets from the word boxes (specks.py,
OCR input only), drop junk lines and strip stray leading marks (junk.py), put the remaining
lines in reading order (layout.py with order.py, typesize.py, regions.py and xycut.py; OCR
input only), group a page of several stories into articles (articles.py), cut them into
paragraphs
(paragraphs.py), then resolve line-end hyphens, lost hyphens and misread line-end marks
while making tokens (hyphens.py), and mend quotes and year apostrophes (marks.py). Every
change is recorded as a Decision in repair.json.
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline import lexicon
from pipeline.fileio import read_json, write_json, write_text
from pipeline.lexicon import Lexicon
from pipeline.model import (
    SIDEWAYS_CONF,
    Action,
    Box,
    Decision,
    Line,
    OcrPage,
    Paragraph,
    RepairedPage,
    Word,
    mean_conf,
    union,
)
from pipeline.options import Options
from pipeline.repair import articles, junk, layout, marks, paragraphs, specks, typesize
from pipeline.repair.paragraphs import Block
from pipeline.repair.textinput import read_text, text_lines

__all__ = ["repair_page", "repair_text", "run"]


def _clean(
    lines: list[Line],
    lex: Lexicon,
    decisions: list[Decision],
    text_input: bool = False,
    size: float = 0.0,
) -> list[Line]:
    """Lines with junk lines dropped and stray leading marks stripped; decisions recorded.

    `text_input`: raw archive text, where a line with many letters is garbled print, kept.
    `size`: the body type size from the word boxes (0 without boxes), against which a mark's
    box is a rule or a letter.
    """
    kept = []
    for ln in lines:
        texts = [w.text for w in ln.words]
        if not texts:
            continue
        score = junk.score_line(texts, [w.conf for w in ln.words], lex)
        if score.is_junk and not (text_input and junk.garbled_print(texts)):
            decisions.append(Decision("drop", score.describe(), ln.text, "", [ln.id]))
            continue
        if junk.stray_prefix(texts, lex, _rule_tall(ln.words[0], size)):
            stripped = specks.rebox(ln, ln.words[1:])
            decisions.append(
                Decision(
                    "strip",
                    "stray mark at the line start (a speck or rule read as a character)",
                    ln.text,
                    stripped.text,
                    [ln.id],
                )
            )
            ln = stripped
        if any("_" in w.text for w in ln.words):
            ln = _mend_underscores(ln, lex, decisions)
        noise = junk.noise_tokens([w.text for w in ln.words])
        if noise and len(noise) < len(ln.words):
            kept_words = [w for i, w in enumerate(ln.words) if i not in noise]
            stripped = specks.rebox(ln, kept_words)
            why = "marks alone in the line that specks and rules are read as (| ■ • _ ~ ° =)"
            decisions.append(Decision("strip", why, ln.text, stripped.text, [ln.id]))
            ln = stripped
        if not text_input:
            ln = _mend_stray_dots(ln, decisions)
        if junk.stray_suffix([w.text for w in ln.words]):
            stripped = specks.rebox(ln, ln.words[:-1])
            why = "stray mark at the line end (a column rule or speck read as a letter)"
            decisions.append(Decision("strip", why, ln.text, stripped.text, [ln.id]))
            ln = stripped
        kept.append(ln)
    return kept


def _mend_stray_dots(ln: Line, decisions: list[Decision]) -> Line:
    """Lone `.` tokens of our own OCR (`junk.stray_dots`): specks dropped, a full stop set
    apart glued to its word. Raw archive text keeps its own spacing (`resigned . By`)."""
    drop, attach = junk.stray_dots([w.text for w in ln.words])
    if not drop and not attach:
        return ln
    words = list(ln.words)
    for k in attach:
        word, dot = words[k - 1], words[k]
        box = union([word.box, dot.box]) if word.box and dot.box else word.box
        words[k - 1] = replace(word, text=word.text + ".", box=box)
    kept = [w for k, w in enumerate(words) if k not in drop and k not in attach]
    mended = specks.rebox(ln, kept)
    why = "a lone dot: a speck after punctuation or before lower case, else the word's full stop"
    decisions.append(Decision("strip", why, ln.text, mended.text, [ln.id]))
    return mended


def _drop_handwriting(lines: list[Line], decisions: list[Decision]) -> list[Line]:
    """Signatures, stamps and drawings that Tesseract read as a line (`junk.handwriting`)."""
    heights = [ln.box[3] - ln.box[1] for ln in lines if ln.box]
    if not heights:
        return lines
    median = statistics.median(heights)
    kept = []
    for ln in lines:
        height = ln.box[3] - ln.box[1] if ln.box else 0
        if junk.handwriting(height, median, [w.conf for w in ln.words]):
            why = (
                f"handwriting or a drawing read as text: line {height / median:.1f}x the page's "
                f"median line height, every word unsure (confidence < {junk.HAND_MAX_CONF:g})"
            )
            decisions.append(Decision(Action.DROP, why, ln.text, "", [ln.id]))
            continue
        kept.append(ln)
    return kept


def _drop_unsure_sideways(lines: list[Line], decisions: list[Decision]) -> list[Line]:
    """Lines set sideways (`layout.set_aside`) that Tesseract read unsure, and no surer when
    stage 2 read them again (turned upright, and as a stack of upright marks): the edge of the
    next page or of a picture read as letters."""
    dropped = set()
    for ln in layout.set_aside(lines):
        mean = mean_conf(ln.words)
        if mean >= SIDEWAYS_CONF:
            continue
        why = (
            f"text set sideways read unsure (mean confidence {mean:.0f} < {SIDEWAYS_CONF:g}):"
            " a page's or picture's edge read as letters"
        )
        decisions.append(Decision(Action.DROP, why, ln.text, "", [ln.id]))
        dropped.add(ln.id)
    return [ln for ln in lines if ln.id not in dropped]


def _rule_tall(word: Word, size: float) -> bool:
    """A box far taller than a letter (junk.RULE_TALL body sizes): a column rule read as text."""
    return bool(word.box and size) and word.box[3] - word.box[1] >= junk.RULE_TALL * size


def _mend_underscores(ln: Line, lex: Lexicon, decisions: list[Decision]) -> Line:
    """`_` glued to words is a rule, a speck or a space misread (`junk.underscores`); a word
    split in two keeps its id (and box) in both pieces."""
    words = [replace(w, text=t) for w in ln.words for t in junk.underscores(w.text, lex)]
    fixed = Line(ln.id, words, ln.box, ln.block, ln.par)
    if fixed.text != ln.text:
        why = "'_' glued to a word (a rule, a speck or a space misread)"
        decisions.append(Decision("strip", why, ln.text, fixed.text, [ln.id]))
    return fixed


def _finish(
    source: str,
    blocks: list[Block],
    lex: Lexicon,
    decisions: list[Decision],
    extra: dict,
    grouping: articles.Grouping | None = None,
    pics: tuple[Box, ...] = (),
) -> RepairedPage:
    """Paragraphs, tokens and marks of the blocks; with a `grouping`, its sections (each
    article, then the furniture) one after another, no paragraph running across two."""
    runs = [blocks] if grouping is None else articles.sections(grouping, extra["size"], pics)
    blocks = [b for run in runs for b in run]
    lex = lex.on_page(w.text for b in blocks for ln in b.lines for w in ln.words)
    paras: list[Paragraph] = []
    owners: list[int] = []
    for k, run in enumerate(runs):
        run, ds = paragraphs.join_past_lettering([b for b in run if b.lines])
        decisions.extend(ds)
        cut = paragraphs.split_at_interruptions(run, lex)
        for block in paragraphs.merge_split_words(cut):
            para, ds = paragraphs.tokenise(block, lex, f"p{len(paras) + 1}")
            paras.append(para)
            owners.append(k)
            decisions.extend(ds)
    paras, owners, ds = paragraphs.rejoin_split_words(paras, owners, lex)
    decisions.extend(ds)
    line_of = {w.id: ln.id for b in blocks for ln in b.lines for w in ln.words}
    paras, ds = marks.year_apostrophes(paras, line_of)
    decisions.extend(ds)
    paras, ds = marks.normalise_quotes(paras, line_of)
    decisions.extend(ds)
    stats = {
        "lines_in": extra["lines_in"],
        "paragraphs": len(paras),
        "lines_joined": sum(max(0, len(p.lines) - 1) for p in paras),
        "hyphens_removed": sum(d.action == Action.JOIN for d in decisions),
        "hyphens_kept": sum(d.action == Action.KEEP for d in decisions),
        "junk_dropped": sum(d.action == Action.DROP for d in decisions),
        "stripped": sum(d.action == Action.STRIP for d in decisions),
        "marks_mended": sum(d.action == Action.MARK for d in decisions),
        "columns": extra.get("columns", 1),
        "headline_lines": extra.get("headline_lines", 0),
    }
    if "reading_order" in extra:
        stats["reading_order"] = extra["reading_order"]
        stats["reading_order_reason"] = extra["reading_order_reason"]
        stats["footnotes"] = extra["footnotes"]
    if grouping is None:
        return RepairedPage(source, paras, decisions, stats)
    arts, furniture = articles.page_articles(grouping, paras, owners)
    stats["articles"] = len(arts)
    return RepairedPage(source, paras, decisions, stats, arts, furniture)


def repair_page(page: OcrPage, lex: Lexicon) -> RepairedPage:
    """Repair Tesseract output, using the word boxes for reading order and paragraphs."""
    decisions: list[Decision] = []
    all_lines = [ln for ln in page.lines() if ln.words]
    size = typesize.body_size(all_lines)
    lines, fixes = specks.strip_rule_marks(all_lines, size)
    decisions.extend(fixes)
    restored, fixes = specks.restore_bullets(lines, size)
    lines, fixes = marks.footnote_marks(lines, restored, fixes)
    decisions.extend(fixes)
    lines = _drop_handwriting(lines, decisions)
    lines = _drop_unsure_sideways(lines, decisions)
    lines = _clean(lines, lex, decisions, size=size)
    lay = layout.analyse(page, lines)
    for note, ids in lay.notes:
        decisions.append(Decision("order", note, "", "", ids))
    blocks: list[Block] = []
    if lay.headline:
        blocks.append(Block("headline", lay.headline))
    if lay.byline:
        blocks.append(Block("byline", lay.byline))
    blocks += paragraphs.split_segments(lay.body, lay.size, lay.pictures)
    blocks += [Block("body", [ln]) for ln in lay.unplaced]
    blocks += [Block("caption", group) for group in lay.captions]
    grouping = articles.group(
        lay.headline, lay.byline, lay.body, lay.captions, lay.columns, page.height, lay.pictures
    )
    if grouping is not None and lay.unplaced:
        grouping = None  # lines without boxes have no place in an article
    extra = {
        "lines_in": len(all_lines),
        "size": lay.size,
        "columns": lay.columns,
        "headline_lines": len(lay.headline),
        "reading_order": lay.order,
        "reading_order_reason": lay.order_reason,
        "footnotes": sum(s.kind == "footnote" for s in lay.body),
    }
    return _finish("ocr", blocks, lex, decisions, extra, grouping, lay.pictures)


def repair_text(raw: str, lex: Lexicon) -> RepairedPage:
    """Repair raw OCR text without geometry: blank lines and line ends are all there is."""
    decisions: list[Decision] = []
    items = text_lines(raw)
    present = [x for x in items if x is not None]
    kept = {ln.id: ln for ln in _clean(present, lex, decisions, text_input=True)}
    cleaned: list[Line | None] = []
    for x in items:
        if x is None:
            cleaned.append(None)
        elif x.id in kept:
            cleaned.append(kept[x.id])
    cleaned, notes = marks.text_bullets(cleaned)
    decisions.extend(notes)
    blocks, notes = paragraphs.split_text(cleaned)
    decisions.extend(notes)
    blocks, notes = paragraphs.move_interruptions(blocks)
    decisions.extend(notes)
    extra = {
        "lines_in": len(present),
        "columns": 1,
        "reading_order": "text",
        "reading_order_reason": "raw text: the file's line order (no geometry)",
        "footnotes": 0,
    }
    return _finish("text", blocks, lex, decisions, extra)


def run(source: Path, out_dir: Path, options: Options) -> dict[str, Any]:
    """Repair an ocr.json or a raw .txt; write out_dir/repair.json and out_dir/text.txt."""
    source, out_dir = Path(source), Path(out_dir)
    lex = lexicon.load(options.lang, tuple(options.lexicons))
    if source.suffix.lower() == ".json":
        result = repair_page(OcrPage.from_json(read_json(source)), lex)
    else:
        result = repair_text(read_text(source), lex)
    write_json(out_dir / "repair.json", result.to_json())
    write_text(out_dir / "text.txt", result.text)
    return result.stats
