"""Exports (hOCR, ALTO 4.4, searchable PDF, txt) of a page run through the real pipeline."""

import json
import os

import lxml.html
import numpy as np
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image

from bench.pagegen import PageSpec, render_page
from pipeline.cli import cli
from pipeline.commands.export import export_command
from pipeline.export import export, export_page, parse_formats
from pipeline.export.words import place_paragraphs, split_text
from pipeline.fileio import read_json, write_json, write_text
from pipeline.model import Block, Line, OcrPage, Paragraph, Token, Word, page_text

ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
MARK = "Quorvexa"  # a word no OCR would read here: the stand-in for a correction


def fold(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A small headline + 3-column page and a raw-text page run through the whole pipeline,
    one corrected word made by hand (as a user's fix would), then exported in every format."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    root = tmp_path_factory.mktemp("export")
    img, _, _ = render_page(
        PageSpec(seed=7, columns=3, headline_lines=1, width_in=6.0, height_in=4.5)
    )
    scans = root / "scans"
    scans.mkdir()
    img.save(scans / "gazette.png", dpi=(300, 300))
    (scans / "notes.txt").write_text("THE HARBOUR WORKS.\n\nThe new wharf is to be built.\n")
    out = root / "out"
    res = CliRunner().invoke(cli, ["run", str(scans), "-o", str(out), "-j", "1", "-q"])
    assert res.exit_code == 0, res.output
    d = out / "gazette"

    # correct one body word by hand, keeping its OCR ids, as the correct stage would
    cj = read_json(d / "4-correct" / "correct.json")
    paragraphs = [Paragraph.from_json(p) for p in cj["paragraphs"]]
    ocr = OcrPage.from_json(read_json(d / "2-ocr" / "ocr.json"))
    boxes = {w.id: w.box for w in ocr.words()}
    target = next(
        t
        for p in paragraphs
        if p.kind == "body"
        for t in p.tokens
        if len(t.src) == 1 and t.text.isalpha() and len(t.text) >= 5
    )
    box = boxes[target.src[0]]
    line_of = {w.id: ln.id for ln in ocr.lines() for w in ln.words}
    tokens = [t for p in paragraphs for t in p.tokens]
    target.text = MARK
    write_json(d / "4-correct" / "correct.json", {"paragraphs": [p.to_json() for p in paragraphs]})
    write_text(d / "4-correct" / "text.txt", page_text(paragraphs))

    res = CliRunner().invoke(export_command, [str(out), "--format", "hocr,alto,pdf,txt"])
    return {
        "out": out,
        "dir": d,
        "result": res,
        "paragraphs": paragraphs,
        "tokens": tokens,
        "mark_box": box,
        "broken": [t for t in tokens if len({line_of[i] for i in t.src}) > 1],
        "dpi": read_json(d / "1-preprocess" / "preprocess.json")["dpi_out"],
        "size": (ocr.width, ocr.height),
    }


def test_command_writes_every_format_beside_the_stages(page):
    res, d = page["result"], page["dir"]
    assert res.exit_code == 0, res.output
    for ext in (".hocr", ".alto.xml", ".pdf", ".txt"):
        assert (d / f"gazette{ext}").stat().st_size > 0
    notes = page["out"] / "notes"
    assert (notes / "notes.txt").read_text() == (notes / "4-correct" / "text.txt").read_text()
    assert not (notes / "notes.pdf").exists() and not (notes / "notes.alto.xml").exists()
    assert "notes: notes.txt (no page image" in res.output
    assert "gazette: gazette.hocr, gazette.alto.xml, gazette.pdf, gazette.txt" in res.output


def test_txt_is_the_final_text(page):
    d = page["dir"]
    assert (d / "gazette.txt").read_text() == (d / "4-correct" / "text.txt").read_text()
    assert MARK in (d / "gazette.txt").read_text()


def test_alto_is_valid_and_has_one_string_per_word(page, alto_schema):
    doc = etree.parse(str(page["dir"] / "gazette.alto.xml"))
    assert alto_schema.validate(doc), alto_schema.error_log
    strings = doc.findall(f".//{ALTO}String")
    hyp2 = [s for s in strings if s.get("SUBS_TYPE") == "HypPart2"]
    # a word broken across lines is two Strings, one of them HypPart2
    assert len(strings) - len(hyp2) == len(page["tokens"])
    width, height = page["size"]
    for s in strings:
        x, y = float(s.get("HPOS")), float(s.get("VPOS"))
        w, h = float(s.get("WIDTH")), float(s.get("HEIGHT"))
        assert 0 <= x and 0 <= y and w > 0 and h > 0
        assert x + w <= width and y + h <= height
    # reading order: the Strings, halves folded back into their words, are the final text
    words = [s.get("SUBS_CONTENT") or s.get("CONTENT") for s in strings if s not in hyp2]
    assert words == [t.text for t in page["tokens"]]


def test_alto_marks_hyphenated_words(page):
    doc = etree.parse(str(page["dir"] / "gazette.alto.xml"))
    broken = {t.text for t in page["broken"]}
    assert broken, "the page should have words broken at line ends"
    lines = doc.findall(f".//{ALTO}TextLine")
    pairs = 0
    for line, nxt in zip(lines, lines[1:], strict=False):
        last = line.findall(f"{ALTO}String")[-1]
        if last.get("SUBS_TYPE") != "HypPart1":
            continue
        first = nxt.findall(f"{ALTO}String")[0]
        assert first.get("SUBS_TYPE") == "HypPart2"
        full = last.get("SUBS_CONTENT")
        assert full == first.get("SUBS_CONTENT") and full in broken
        assert full.startswith(last.get("CONTENT")) and full.endswith(first.get("CONTENT"))
        assert line.find(f"{ALTO}HYP").get("CONTENT") == "-"
        pairs += 1
    assert pairs == len(page["broken"])


def test_hocr_has_one_word_per_token_with_boxes(page):
    doc = lxml.html.document_fromstring((page["dir"] / "gazette.hocr").read_bytes())
    words = doc.xpath("//*[@class='ocrx_word']")
    assert [w.text for w in words] == [t.text for t in page["tokens"]]
    width, height = page["size"]
    for w in words:
        x0, y0, x1, y1 = map(int, w.get("title").split(";")[0].split()[1:])
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    assert doc.xpath("//*[@class='ocr_page']")[0].get("title").startswith('image "')


def test_pdf_text_is_the_final_text_and_page_matches_image(page):
    d = page["dir"]
    pdf = pdfium.PdfDocument(str(d / "gazette.pdf"))
    assert len(pdf) == 1
    pw, ph = pdf[0].get_size()
    width, height = page["size"]
    assert pw == pytest.approx(width * 72 / page["dpi"], abs=0.01)
    assert ph == pytest.approx(height * 72 / page["dpi"], abs=0.01)
    text = pdf[0].get_textpage().get_text_range()
    assert fold(text) == fold((d / "4-correct" / "text.txt").read_text())
    # the page shows the image and nothing else: the text layer is invisible
    shown = pdf[0].render(scale=page["dpi"] / 72).to_pil().convert("L")
    image = Image.open(d / "1-preprocess" / "image.png").convert("L")
    ink_shown = (np.asarray(shown.resize(image.size)) < 128).mean()
    ink_image = (np.asarray(image) < 128).mean()
    assert ink_image > 0.02
    assert ink_shown == pytest.approx(ink_image, rel=0.02)


def test_corrected_word_stands_on_its_original_box(page):
    d, box = page["dir"], page["mark_box"]
    doc = etree.parse(str(d / "gazette.alto.xml"))
    (s,) = [s for s in doc.iter(f"{ALTO}String") if s.get("CONTENT") == MARK]
    assert [int(s.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")] == [
        box[0],
        box[1],
        box[2] - box[0],
        box[3] - box[1],
    ]
    hocr = lxml.html.document_fromstring((d / "gazette.hocr").read_bytes())
    (w,) = [w for w in hocr.xpath("//*[@class='ocrx_word']") if w.text == MARK]
    assert w.get("title").startswith("bbox {} {} {} {}".format(*box))

    pdf = pdfium.PdfDocument(str(d / "gazette.pdf"))
    tp = pdf[0].get_textpage()
    hit = tp.search(MARK, match_case=True, match_whole_word=True).get_next()
    assert hit is not None
    k = 72 / page["dpi"]
    left = tp.get_charbox(hit[0])[0]
    right = tp.get_charbox(hit[0] + hit[1] - 1)[2]
    _, ph = pdf[0].get_size()
    bottom, top = tp.get_charbox(hit[0])[1], tp.get_charbox(hit[0])[3]
    assert left == pytest.approx(box[0] * k, abs=1.0)
    assert right == pytest.approx(box[2] * k, abs=1.0)
    middle = ph - (bottom + top) / 2
    line_box = (box[1] * k - 4, box[3] * k + 4)  # the line's height, around the word
    assert line_box[0] <= middle <= line_box[1]


def test_export_page_returns_files_and_pdf_is_deterministic(page):
    d = page["dir"]
    before = (d / "gazette.pdf").read_bytes()
    paths = export_page(d, {"pdf", "alto"})
    assert [p.name for p in paths] == ["gazette.alto.xml", "gazette.pdf"]
    assert (d / "gazette.pdf").read_bytes() == before


def test_command_fails_for_unfinished_page(page, tmp_path):
    bad = tmp_path / "broken"
    bad.mkdir()
    (bad / "manifest.json").write_text(
        json.dumps({"name": "broken", "stages": {"correct": {"status": "failed"}}})
    )
    res = CliRunner().invoke(export_command, [str(tmp_path), "--format", "txt"])
    assert res.exit_code == 1
    assert "broken: not exported: the correct stage is failed" in res.output
    res = CliRunner().invoke(export_command, [str(page["out"]), "--format", "docx"])
    assert res.exit_code == 2 and "unknown format docx" in res.output


def test_parse_formats():
    assert parse_formats("hocr, ALTO") == {"hocr", "alto"}
    assert parse_formats("all") == {"hocr", "alto", "pdf", "txt", "articles"}
    with pytest.raises(ValueError):
        parse_formats(" , ")


def test_split_text_cuts_corrected_word_where_ocr_cut_it():
    assert split_text("Government", ["Govern", "ment"]) == ["Govern", "ment"]
    assert split_text("Government", ["Goverm", "ment"]) == ["Govern", "ment"]  # a fixed letter
    assert split_text("self-esteem", ["self", "esteem"]) == ["self-", "esteem"]
    assert split_text("ab", ["abc", "d"]) == ["a", "b"]  # every line keeps a letter


def _ocr_page() -> OcrPage:
    w = [
        Word("w1", "The", (10, 10, 40, 30)),
        Word("w2", "ofthe", (50, 10, 100, 30)),
        Word("w3", "Sov-", (110, 10, 150, 30)),
        Word("w4", "iets", (10, 40, 50, 60)),
    ]
    return OcrPage(200, 100, [Block("b1", [Line("l1", w[:3]), Line("l2", w[3:])])])


def test_placing_split_joined_and_typed_words():
    toks = [
        Token("The", ["w1"]),
        Token("of", ["w2"]),
        Token("the", ["w2"]),
        Token("Soviets", ["w3", "w4"]),
        Token("added", []),
    ]
    (p,) = place_paragraphs([Paragraph("p1", toks)], _ocr_page())
    the, of, the2, soviets, added = p.words
    assert the.parts[0].box == (10, 10, 40, 30)
    # one OCR word split in two: its box shared out, left to right
    assert of.parts[0].box[0] == 50 and the2.parts[0].box[2] == 100
    assert of.parts[0].box[2] < the2.parts[0].box[0]
    # a word broken across lines: its halves on their lines, the hyphen set aside
    assert [(x.text, x.line, x.hyphen) for x in soviets.parts] == [
        ("Sov", "l1", "-"),
        ("iets", "l2", ""),
    ]
    assert soviets.parts[0].box[2] < 150 and soviets.parts[0].hyphen_box[2] == 150
    # a word typed in by hand: an estimated box right after its neighbour on the same line
    assert added.estimated and added.parts[0].line == "l2"
    assert added.parts[0].box[0] > 50 and added.parts[0].box[1:4:2] == (40, 60)


def test_page_without_boxes_gets_txt_only(tmp_path):
    d = tmp_path / "typed"
    (d / "4-correct").mkdir(parents=True)
    paragraphs = [Paragraph("p1", [Token("Typed"), Token("text")])]
    write_json(d / "4-correct" / "correct.json", {"paragraphs": [p.to_json() for p in paragraphs]})
    write_text(d / "4-correct" / "text.txt", page_text(paragraphs))
    result = export(d, {"txt", "pdf"})
    assert [p.name for p in result.written] == ["typed.txt"]
    assert "pdf skipped" in result.notes[0]
