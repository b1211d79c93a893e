"""Stage 2's second reading of a page whose columns Tesseract ran together (`ocr/columns.py`)."""

from __future__ import annotations

import pytest
from PIL import Image

from bench.scans import DEFAULT_DATA
from pipeline import ocr, preprocess
from pipeline.errors import PageError
from pipeline.fileio import read_json
from pipeline.model import Block, Line, OcrPage, Word
from pipeline.ocr import columns
from pipeline.options import Options


def _line(lid: str, y: int, spans: list[tuple[int, int]], conf: float = 90.0) -> Line:
    words = [Word(f"{lid}.{k}", "word", (a, y, b, y + 30), conf) for k, (a, b) in enumerate(spans)]
    return Line(lid, words, (spans[0][0], y, spans[-1][1], y + 30))


PROSE = [(0, 100), (110, 200), (210, 300), (310, 400), (410, 500), (510, 600)]  # 6 words


def _page(
    merged: int, single: int, left: list[tuple[int, int]] = PROSE, conf: float = 90.0
) -> OcrPage:
    """`merged` lines of `left`'s words, a 300-px gutter, then two more (two columns read as
    one line, 30-px type), over `single` lines of one column with ordinary word spaces."""
    lines = [
        _line(f"m{k}", 40 * k, [*left, (900, 1000), (1010, 1100)], conf) for k in range(merged)
    ]
    lines += [_line(f"s{k}", 40 * (merged + k), PROSE, conf) for k in range(single)]
    return OcrPage(1200, 40 * (merged + single) + 40, [Block("b1", lines)])


def test_lines_holding_a_gutter_wide_space_are_counted():
    found = columns.spread(_page(merged=10, single=30))
    assert (found.wide, found.lines, found.prose) == (10, 40, 6)
    assert found.in_doubt()
    assert not columns.spread(_page(merged=3, single=30)).in_doubt()  # a few lines only
    assert not columns.spread(_page(merged=9, single=60)).in_doubt()  # under 15 % of lines
    assert columns.spread(OcrPage(10, 10, [])).lines == 0


def test_a_table_read_row_by_row_is_not_taken_for_columns_run_together():
    """Rows of short cells (`12. Baumann, Fritz` | `48 Gartengasse`) hold the same wide
    spaces, but no running text: a second reading that split them into columns would be
    worse."""
    cells = [(0, 60), (70, 250), (260, 380)]
    found = columns.spread(_page(merged=25, single=5, left=cells))
    assert found.wide == 25 and found.prose == 3
    assert not found.in_doubt()


def test_a_page_not_in_doubt_is_read_once():
    def read(dpi: int) -> OcrPage:
        raise AssertionError("read again")

    page = _page(merged=2, single=40)
    assert columns.reread(page, 300, read) == (page, None)


def test_the_second_reading_is_kept_only_when_clearly_fewer_lines_run_together():
    told: list[int] = []

    def better(dpi: int) -> OcrPage:
        told.append(dpi)
        return _page(merged=1, single=55)

    first = _page(merged=12, single=40)
    kept, record = columns.reread(first, 191, better)
    assert told == [255] and record is not None
    assert kept.lines()[0].id == "m0" and len(kept.lines()) == 56
    assert record["words"] == [336, 338]
    assert record["kept"] == "reread" and record["reread_dpi"] == 255
    assert "12 of 52 lines" in str(record["why"]) and "6 words" in str(record["why"])

    kept, record = columns.reread(first, 300, lambda dpi: _page(merged=10, single=42))
    assert kept is first and record is not None and record["kept"] == "first"
    # columns apart, but a sixth of the words lost: the first reading stays
    kept, record = columns.reread(first, 250, lambda dpi: _page(merged=1, single=45))
    assert kept is first and record is not None and record["words"] == [336, 278]
    # columns apart and the words there, but Tesseract much less sure of them: the first stays
    kept, record = columns.reread(first, 300, lambda dpi: _page(merged=1, single=55, conf=84))
    assert kept is first and record is not None and record["mean_conf"] == [90.0, 84.0]
    kept, _ = columns.reread(first, 300, lambda dpi: _page(merged=1, single=55, conf=89.2))
    assert kept is not first  # within a point: as sure


def test_tesseract_s_own_resolution_estimate_is_tried_when_the_second_reading_fails():
    """Told 200-400 dpi, Tesseract ran a book page's two columns together beside a picture
    (bench.stress `pic2`, `oldbooks_f030`: CER 69.5 %); told 70, the lowest it credits, it
    estimates the page's resolution from the letters as for a file stating none, and read the
    columns apart (1.6 %). That third reading is tried only when the second is not kept, and
    kept on the same terms."""
    told: list[int] = []

    def own_apart(dpi: int) -> OcrPage:
        told.append(dpi)
        return _page(merged=1, single=55) if dpi == columns.OWN_DPI else _page(12, 40)

    first = _page(merged=12, single=40)
    kept, record = columns.reread(first, 300, own_apart)
    assert told == [400, 70] and record is not None and kept is not first
    assert record["kept"] == "estimated"
    assert record["estimated"] == {
        "dpi": 70,
        "wide": "1 of 56",
        "words": [336, 338],
        "sure_words": [336, 338],
        "mean_conf": [90.0, 90.0],
    }
    # no better told 70 either: the first reading stays
    kept, record = columns.reread(first, 300, lambda dpi: _page(merged=11, single=41))
    assert kept is first and record is not None and record["kept"] == "first"
    assert record["estimated"]["wide"] == "11 of 52"  # type: ignore[index]


def test_junk_read_across_the_gutter_does_not_count_for_the_first_reading():
    """Columns run together also read junk in and across the gutter (a typewritten page set
    beside another: 215 words against 188 read right, word F1 85.0 against 91.3 %): the words
    weighed are those Tesseract is sure of (confidence 80 or more), and the second reading
    keeps them."""
    first = _page(merged=12, single=40)
    junk = [_line(f"j{k}", 40 * k, [(620, 660), (700, 740), (780, 820)], 70.0) for k in range(20)]
    first = OcrPage(first.width, first.height, [*first.blocks, Block("junk", junk)])
    kept, record = columns.reread(first, 300, lambda dpi: _page(merged=1, single=55))
    assert record is not None and record["words"] == [396, 338]
    assert record["sure_words"] == [336, 338] and record["kept"] == "reread"
    assert kept is not first


def test_a_second_reading_that_fails_leaves_the_page_as_first_read():
    def crash(dpi: int) -> OcrPage:
        raise PageError("image.png: Tesseract failed (exit 1): out of memory")

    first = _page(merged=12, single=40)
    kept, record = columns.reread(first, 300, crash)
    assert kept is first and record is not None
    assert record["kept"] == "first" and "out of memory" in str(record["reread_failed"])


@pytest.mark.skipif(not DEFAULT_DATA.is_dir(), reason="real scans not found")
def test_a_sidebar_tesseract_ran_into_the_main_column_is_read_apart_again(tmp_path):
    """Development page multicol_01 stated at 191 dpi: Tesseract reads the headline and body
    lines together with the sidebar's lines beside them (`Elections mark start of next
    Matthew Harrison`); told 255 dpi it keeps the columns apart."""
    src = tmp_path / "multicol_01.png"
    Image.open(DEFAULT_DATA / "multicol-documents" / "multicol_01.png").save(src, dpi=(191, 191))
    preprocess.run(src, 0, tmp_path / "1-preprocess", Options())
    ocr.run(tmp_path / "1-preprocess", tmp_path / "2-ocr", Options())
    found = read_json(tmp_path / "2-ocr" / "ocr.json")
    assert found["stats"]["columns_reread"] == "reread"
    assert found["columns_reread"]["dpi"] == 191
    text = (tmp_path / "2-ocr" / "text.txt").read_text(encoding="utf-8")
    assert "Elections mark start of next\nchapter in drug pricing" in text
    assert "Harrison" in text and "next Matthew" not in text
