"""Stage 2's last look at a page whose columns stayed run together: cut at the gutters and
read a strip at a time (`ocr/strips.py`, from `ocr/columns.py`)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.scans import DEFAULT_DATA
from pipeline import ocr, preprocess
from pipeline.errors import PageError
from pipeline.fileio import read_json
from pipeline.metrics import cer
from pipeline.model import Block, Line, OcrPage, Word
from pipeline.ocr import columns, strips
from pipeline.ocr.render import ocr_text
from pipeline.ocr.tesseract import run_tesseract
from pipeline.ocr.tsv import parse_tsv
from pipeline.options import Options
from tests.drawing import LINES, text_page


def _line(
    lid: str, y: int, spans: list[tuple[int, int]], conf: float = 90.0, tall: int = 30
) -> Line:
    words = [
        Word(f"{lid}.{k}", "word", (a, y, b, y + tall), conf) for k, (a, b) in enumerate(spans)
    ]
    return Line(lid, words, (spans[0][0], y, spans[-1][1], y + tall))


def _gutters(page: OcrPage) -> list[int]:
    return strips.gutters(page, columns.GAP_LINES, columns.DOUBT_LINES)


LEFT = [(0, 100), (110, 200), (210, 300), (310, 400), (410, 500), (510, 600)]  # 6 words
RIGHT = [(900, 1000), (1010, 1100), (1110, 1200)]


def _run_together(merged: int = 12, single: int = 40, head: Line | None = None) -> OcrPage:
    """`merged` lines running a 300-px gutter (600-900) into the next column's words, then
    `single` lines of the left column alone."""
    lines = [_line(f"m{k}", 40 * k, [*LEFT, *RIGHT]) for k in range(merged)]
    lines += [_line(f"s{k}", 40 * (merged + k), LEFT) for k in range(single)]
    blocks = [Block("b1", lines)] + ([Block("b0", [head])] if head else [])
    return OcrPage(1300, 40 * (merged + single) + 40, blocks)


def test_the_cut_is_made_in_the_gutter_the_run_together_lines_leave_empty():
    assert _gutters(_run_together()) == [750]
    # a few lines with a wide space are not a gutter
    assert _gutters(_run_together(merged=5)) == []
    assert _gutters(OcrPage(0, 0, [])) == []


def test_no_cut_runs_through_a_word_tesseract_is_sure_of():
    """A cut runs the page's full height: a headline set across the gutter stops it; picture
    texture Tesseract read as unsure letters there does not."""
    headline = _line("h", 2200, [(500, 700), (720, 980)])
    assert _gutters(_run_together(head=headline)) == []
    # in type twice the body's, its words stand twice as far apart (35 px, the body's 10)
    big = _line("h", 2200, [(400, 700), (735, 1000)], tall=60)
    assert _gutters(_run_together(head=big)) == []
    # a line of one word each side of the gutter is run together, not set across it
    two = _line("two", 2200, [(500, 600), (900, 1000)])
    assert _gutters(_run_together(head=two)) == [750]
    texture = _line("t", 2200, [(650, 700), (720, 880)], conf=21.0)
    assert _gutters(_run_together(head=texture)) == [750]
    # the one word over part of the gutter moves the cut into the part it leaves free
    aside = _line("a", 2200, [(600, 640)])
    assert _gutters(_run_together(head=aside)) == [770]


def test_bands_closer_than_a_gutter_are_cut_once():
    """A sure word standing in the middle of a gutter splits its free band in two: one cut,
    in the wider part, not a sliver of a strip between two."""
    inside = _line("i", 2200, [(700, 720)])
    assert _gutters(_run_together(head=inside)) == [810]


def test_the_strips_readings_are_put_back_on_the_page_in_strip_order():
    left = OcrPage(600, 100, [Block("b1", [_line("l1", 10, [(5, 50), (60, 90)])], (5, 10, 90, 40))])
    right = OcrPage(
        400,
        100,
        [
            Block("b1", [_line("l1", 10, [(5, 50)])], (5, 10, 50, 40)),
            Block("b2", [_line("l2", 60, [(5, 30)])], (5, 60, 30, 90)),
        ],
        [(0, 0, 20, 20)],
    )
    right.blocks[1].lines[0].block, right.blocks[1].lines[0].par = "b2", "b2.p1"
    page = strips.joined([(0, left), (600, right)], 1000, 100)
    assert (page.width, page.height) == (1000, 100)
    assert [b.id for b in page.blocks] == ["b1", "b2", "b3"]
    assert [ln.id for ln in page.lines()] == ["l1", "l2", "l3"]
    assert [w.id for w in page.words()] == ["w1", "w2", "w3", "w4"]
    assert [w.box[0] for w in page.words()] == [5, 60, 605, 605]  # type: ignore[index]
    assert page.blocks[2].box == (605, 60, 630, 90)
    assert page.lines()[2].block == "b3" and page.lines()[2].par == "b3.p1"
    assert page.regions == [(600, 0, 620, 20)]


def test_the_cut_reading_is_kept_when_it_reads_as_many_words_as_surely():
    """Tried only when neither the second reading nor Tesseract's own estimate read the
    columns apart; it needs no fewer lines run together (the cut parted those), only as many
    sure words and as sure a reading as the first."""
    first = _run_together()
    apart = OcrPage(1300, 2000, [Block("b1", [_line(f"x{k}", 40 * k, LEFT) for k in range(56)])])
    asked: list[list[int]] = []

    def cut(at: list[int]) -> OcrPage:
        asked.append(at)
        return apart

    kept, record = columns.reread(first, 300, lambda dpi: first, cut)
    assert asked == [[750]] and kept is apart and record is not None
    assert record["kept"] == "cut" and record["cut"][0]["at"] == [750]  # type: ignore[index]
    assert record["cut"][0]["sure_words"] == [348, 336]  # type: ignore[index]
    assert len(record["cut"]) == 1  # type: ignore[arg-type]  # the strips show no more gutter
    # fewer sure words: the first reading stays
    thin = OcrPage(1300, 2000, [Block("b1", [_line(f"x{k}", 40 * k, LEFT) for k in range(40)])])
    kept, record = columns.reread(first, 300, lambda dpi: first, lambda at: thin)
    assert kept is first and record is not None and record["kept"] == "first"


def test_a_gutter_the_strips_reading_shows_is_cut_too():
    """Three columns whose first reading ran only the first two together: cut at that
    gutter, the second strip still runs the other two together, and is cut there too."""
    first = _run_together()
    right = [(1400, 1500), (1510, 1600), (1610, 1700)]
    column = Block("b1", [_line(f"c{k}", 40 * k, LEFT) for k in range(40)])
    merged = Block("b2", [_line(f"y{k}", 40 * k, [*RIGHT, *right]) for k in range(20)])
    two = OcrPage(1800, 2200, [column, merged])
    apart = OcrPage(1800, 2200, [Block("b1", [_line(f"x{k}", 40 * k, LEFT) for k in range(60)])])
    asked: list[list[int]] = []

    def cut(at: list[int]) -> OcrPage:
        asked.append(at)
        return two if len(at) == 1 else apart

    kept, record = columns.reread(first, 300, lambda dpi: first, cut)
    assert asked == [[750], [750, 1300]] and kept is apart and record is not None
    assert [c["at"] for c in record["cut"]] == [[750], [750, 1300]]  # type: ignore[index]
    # the second cut read worse: the first cut's reading is kept
    worse = OcrPage(1800, 2200, [Block("b1", [_line(f"x{k}", 40 * k, LEFT) for k in range(9)])])
    kept, record = columns.reread(
        first, 300, lambda dpi: first, lambda at: two if len(at) == 1 else worse
    )
    assert kept is two and record is not None and record["kept"] == "cut"
    assert len(record["cut"]) == 2  # type: ignore[arg-type]


def test_a_cut_reading_that_fails_leaves_the_page_as_first_read():
    def crash(at: list[int]) -> OcrPage:
        raise PageError("columns-1.png: Tesseract failed (exit 1)")

    first = _run_together()
    kept, record = columns.reread(first, 300, lambda dpi: first, crash)
    assert kept is first and record is not None and record["kept"] == "first"
    assert "exit 1" in record["cut"][0]["failed"]  # type: ignore[index]


def test_two_rendered_columns_read_a_strip_at_a_time(tmp_path):
    """Real Tesseract on two text pages set side by side and cut between them: each strip's
    text in turn, every box on the page, the strips kept beside ocr.json."""
    a = np.asarray(text_page(LINES[:3], size=30, margin=60))
    b = np.asarray(text_page(LINES[3:], size=30, margin=60))
    image = tmp_path / "page.png"
    cv2.imwrite(str(image), np.hstack([a, b]))
    page = strips.read_strips(
        image,
        [a.shape[1]],
        tmp_path,
        300,
        lambda strip: parse_tsv(run_tesseract(strip, "eng", 3, 60)),
    )
    assert (tmp_path / "columns-1.png").exists() and (tmp_path / "columns-2.png").exists()
    assert page.width == a.shape[1] + b.shape[1] and page.height == a.shape[0]
    assert [b.id for b in page.blocks] == [f"b{k + 1}" for k in range(len(page.blocks))]
    assert cer(ocr_text(page), "\n".join(LINES)) < 0.02
    words = page.words()
    assert max(w.box[2] for w in words[:27]) < a.shape[1] < min(w.box[0] for w in words[27:])  # type: ignore[index]


@pytest.mark.skipif(not DEFAULT_DATA.is_dir(), reason="real scans not found")
def test_typewritten_pages_side_by_side_that_stay_run_together_are_read_apart(
    tmp_path, monkeypatch
):
    """Two real typewritten reports set side by side as one page's columns, a picture set
    into the first, nothing round them (bench.stress `pic2` without margins): told 300 dpi,
    400 or 70, Tesseract runs 11 of 28 lines across the gutter (CER 64 %, plain Tesseract 62).
    Cut at the gutter and read a strip at a time, the two pages read apart."""
    from bench import stress

    folder = DEFAULT_DATA / "ehri-typewritten"
    names = ["EHRI-DR-19390519-US_04", "EHRI-DR-19400712-US_04"]
    pages = [cv2.imread(str(folder / f"{n}.jpg"), cv2.IMREAD_GRAYSCALE) for n in names]
    monkeypatch.setattr(stress, "MARGIN", 0)
    image = tmp_path / "page.png"
    cv2.imwrite(str(image), stress.columns(pages, picture=True))
    preprocess.run(image, 0, tmp_path / "1-preprocess", Options())
    ocr.run(tmp_path / "1-preprocess", tmp_path / "2-ocr", Options())
    found = read_json(tmp_path / "2-ocr" / "ocr.json")
    assert found["stats"]["columns_reread"] == "cut"
    record = found["columns_reread"]
    assert record["kept"] == "cut" and [len(c["at"]) for c in record["cut"]] == [1]
    assert (tmp_path / "2-ocr" / "columns-2.png").exists()
    truth = "".join((folder / f"{n}.gt.txt").read_text(encoding="utf-8") for n in names)
    text = (tmp_path / "2-ocr" / "text.txt").read_text(encoding="utf-8")
    assert cer(text, truth) < 0.15


@pytest.mark.skipif(not DEFAULT_DATA.is_dir(), reason="real scans not found")
def test_three_reports_side_by_side_are_cut_at_the_gutter_each_reading_shows(tmp_path, monkeypatch):
    """Three real typewritten reports set side by side, nothing round them (bench.stress
    `cols3` without margins): the first reading runs the first two together (CER 22 %, plain
    Tesseract 3.5), and cut there, the second strip still runs the other two together (18 %);
    cut at that gutter too, the three read apart."""
    from bench import stress

    folder = DEFAULT_DATA / "ehri-typewritten"
    names = ["EHRI-DR-19390519-US_04", "EHRI-DR-19400712-US_04", "EHRI-DR-19421116-US_03"]
    pages = [cv2.imread(str(folder / f"{n}.jpg"), cv2.IMREAD_GRAYSCALE) for n in names]
    monkeypatch.setattr(stress, "MARGIN", 0)
    image = tmp_path / "page.png"
    cv2.imwrite(str(image), stress.columns(pages))
    preprocess.run(image, 0, tmp_path / "1-preprocess", Options())
    ocr.run(tmp_path / "1-preprocess", tmp_path / "2-ocr", Options())
    record = read_json(tmp_path / "2-ocr" / "ocr.json")["columns_reread"]
    assert record["kept"] == "cut" and [len(c["at"]) for c in record["cut"]] == [1, 2]
    assert (tmp_path / "2-ocr" / "columns-3.png").exists()
    truth = "".join((folder / f"{n}.gt.txt").read_text(encoding="utf-8") for n in names)
    text = (tmp_path / "2-ocr" / "text.txt").read_text(encoding="utf-8")
    assert cer(text, truth) < 0.08
