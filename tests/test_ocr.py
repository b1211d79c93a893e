import json
import os

import cv2
import numpy as np
import pytest
from lxml import etree

from pipeline import ocr
from pipeline.errors import PageError, SetupError
from pipeline.ocr import render
from pipeline.ocr import sideways as sideways_reread
from pipeline.ocr.tesseract import TESSERACT_ENV, check_tesseract, run_tesseract
from pipeline.ocr.tsv import parse_tsv
from pipeline.options import Options
from tests.drawing import LINES


def test_one_run_gives_words_boxes_confidences_hocr_and_text(page_image, tmp_path):
    out = tmp_path / "2-ocr"
    stats = ocr.run(page_image, out, Options())
    data = json.loads((out / "ocr.json").read_text())
    words = [w for b in data["blocks"] for ln in b["lines"] for w in ln["words"]]
    assert stats["words"] == len(words) >= 50
    assert stats["mean_conf"] > 80
    assert len({w["id"] for w in words}) == len(words)
    x0, y0, x1, y1 = words[0]["box"]
    assert x1 > x0 and y1 > y0
    text = (out / "text.txt").read_text()
    assert "committee" in text and "bridge" in text
    assert "ocrx_word" in (out / "page.hocr").read_text()
    # the TSV-derived lines read like the printed lines
    first_line = " ".join(w["text"] for w in data["blocks"][0]["lines"][0]["words"])
    assert first_line == LINES[0]


def test_parse_tsv_groups_words_into_lines_and_blocks():
    header = "\t".join(
        "level page_num block_num par_num line_num word_num left top width height conf text".split()
    )
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t1000\t800\t-1\t",
        "2\t1\t1\t0\t0\t0\t10\t10\t500\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t91.5\tHello",
        "5\t1\t1\t1\t1\t2\t70\t10\t60\t20\t88\tworld",
        "5\t1\t1\t1\t2\t1\t10\t40\t50\t20\t95\tagain",
        "5\t1\t1\t1\t2\t2\t70\t40\t60\t20\t95\t ",
    ]
    page = parse_tsv("\n".join([header, *rows]))
    assert (page.width, page.height) == (1000, 800)
    assert [ln.text for ln in page.lines()] == ["Hello world", "again"]
    assert page.lines()[0].box == (10, 10, 130, 30)
    assert page.words()[1].conf == 88.0


def test_crashing_tesseract_fails_the_page(page_image, tmp_path, monkeypatch, fake_tesseract):
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("echo 'Segmentation fault' >&2; exit 139"))
    with pytest.raises(PageError, match="Tesseract failed"):
        run_tesseract(page_image / "image.png", "eng", 3, 30)


def test_hanging_tesseract_is_stopped_by_the_timeout(
    page_image, tmp_path, monkeypatch, fake_tesseract
):
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("sleep 60"))
    with pytest.raises(PageError, match="longer than 1 s"):
        run_tesseract(page_image / "image.png", "eng", 3, 1)


def test_missing_tesseract_is_one_clear_setup_error(monkeypatch):
    monkeypatch.setenv(TESSERACT_ENV, "/nonexistent/tesseract")
    with pytest.raises(SetupError, match="apt-get install"):
        check_tesseract("eng")


def test_missing_language_is_named(monkeypatch):
    monkeypatch.delenv(TESSERACT_ENV, raising=False)
    with pytest.raises(SetupError, match="xyz"):
        check_tesseract("xyz")
    assert os.environ.get(TESSERACT_ENV) is None


def test_text_and_hocr_are_rendered_from_the_tsv_words():
    header = "\t".join(
        "level page_num block_num par_num line_num word_num left top width height conf text".split()
    )
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t1000\t800\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t91.5\tHello",
        "5\t1\t1\t1\t1\t2\t70\t10\t60\t20\t88\tworld",
        "5\t1\t1\t2\t1\t1\t10\t40\t50\t20\t95\tagain",
        "5\t1\t2\t1\t1\t1\t10\t90\t50\t20\t12\tx&y",
    ]
    page = parse_tsv("\n".join([header, *rows]))
    assert render.ocr_text(page) == "Hello world\n\nagain\n\nx&y\n\n"
    root = etree.fromstring(render.ocr_hocr(page, 300))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    words = root.findall(".//h:span[@class='ocrx_word']", ns)
    assert [w.text for w in words] == ["Hello", "world", "again", "x&y"]
    assert words[1].get("title") == "bbox 70 10 130 30; x_wconf 88"
    assert len(root.findall(".//h:p[@class='ocr_par']", ns)) == 3
    assert len(root.findall(".//h:div[@class='ocr_carea']", ns)) == 2
    assert "scan_res 300 300" in root.find(".//h:div[@class='ocr_page']", ns).get("title")


def test_a_box_in_a_turned_crop_maps_back_to_the_page():
    """The crop is turned a quarter counter-clockwise before it is read again; a mark's box
    found in the turned crop must land where the mark is on the page."""
    page = np.full((400, 300), 255, np.uint8)
    page[120:130, 205:215] = 0  # the mark, at x 205-215, y 120-130
    crop = (180, 50, 260, 350)
    turned = cv2.rotate(page[50:350, 180:260], cv2.ROTATE_90_COUNTERCLOCKWISE)
    ys, xs = np.nonzero(turned == 0)
    found = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    assert sideways_reread.back_to_page(found, crop) == (205, 120, 215, 130)


def test_stacked_marks_are_seated_at_the_start_of_their_rows():
    """A list's numbers read as a stack: each goes before the row it begins, the row's lone
    full stop under it dropped; a row far to the right (the next column) gets none."""
    from pipeline.model import Line, Word

    def line(lid, words):
        ws = [Word(f"{lid}.{k}", t, b, 90.0) for k, (t, b) in enumerate(words)]
        return Line(lid, ws, (ws[0].box[0], ws[0].box[1], ws[-1].box[2], ws[-1].box[3]))

    marks = [
        line("m1", [("1.", (197, 1163, 218, 1182))]),
        line("m2", [("2.", (194, 1203, 217, 1223))]),
        line("m3", [("3.", (194, 1600, 217, 1623))]),
    ]
    rows = [
        line("r1", [(".", (212, 1176, 218, 1182)), ("Caroline", (238, 1156, 357, 1181))]),
        line("r2", [("Marietta,", (237, 1197, 363, 1226))]),
        line("far", [("Column", (900, 1595, 1000, 1625))]),
    ]
    seated, left = sideways_reread._seat(marks, rows)
    assert seated["r1"].text == "1. Caroline" and seated["r1"].box[0] == 197
    assert seated["r2"].text == "2. Marietta,"
    assert [m.id for m in left] == ["m3"] and "far" not in seated


def _unsure_sideways_page(tmp_path):
    """A blank page image, and Tesseract's reading of it with one tall line read unsure."""
    from pipeline.model import Block, Line, OcrPage, Word

    cv2.imwrite(str(tmp_path / "image.png"), np.full((1200, 900), 255, np.uint8))
    words = [
        Word("w1", "SAA", (800, 100, 830, 400), 29.0),
        Word("w2", "Ee", (800, 420, 830, 600), 29.0),
    ]
    return OcrPage(900, 1200, [Block("b1", [Line("l1", words, (800, 100, 830, 600))])])


def test_a_second_look_that_fails_leaves_the_page_as_read(tmp_path, monkeypatch, fake_tesseract):
    """A sideways line read again by a Tesseract that crashes on the cut: the page keeps the
    line as first read, and no error reaches the page."""
    page = _unsure_sideways_page(tmp_path)
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("echo 'Segmentation fault' >&2; exit 139"))
    out = tmp_path / "2-ocr"
    again, replaced = sideways_reread.reread(tmp_path / "image.png", page, out, "eng", 30, 300)
    assert replaced == [] and again.lines()[0].text == "SAA Ee"
    assert sorted(p.name for p in out.glob("*.png")) == [
        "sideways-l1-turned.png",
        "sideways-l1-upright.png",
    ]


def test_a_second_look_that_hangs_is_stopped_long_before_the_page_s_timeout(
    tmp_path, monkeypatch, fake_tesseract
):
    """Each second look has its own short limit (LOOK_SECONDS), not the page's: two hung
    looks at a line must not hold the page for twice its timeout."""
    import time

    page = _unsure_sideways_page(tmp_path)
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("sleep 60"))
    monkeypatch.setattr(sideways_reread, "LOOK_SECONDS", 1.0)
    start = time.monotonic()
    again, replaced = sideways_reread.reread(
        tmp_path / "image.png", page, tmp_path, "eng", 300, 300
    )
    assert time.monotonic() - start < 20
    assert replaced == [] and again.lines()[0].text == "SAA Ee"
