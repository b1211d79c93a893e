"""Text Tesseract left unread (`pipeline.ocr.unread`): type on a halftone screen read again."""

import json
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline import ocr
from pipeline.model import Block, Line, OcrPage, Word
from pipeline.ocr import unread
from pipeline.ocr.tesseract import TESSERACT_ENV, run_tesseract
from pipeline.ocr.tsv import parse_tsv
from pipeline.options import Options
from pipeline.preprocess.encode import grey_png
from tests.drawing import LINES, SERIF, text_page

BOXED = ["Lloyd T. Carroll, Director", "Telephone (804) 780-2194"]


def screened_box(lines: list[str], tone: float = 0.25, pitch: int = 6) -> np.ndarray:
    """Black type on a light halftone screen (45 degrees, `pitch` px at twice the size),
    scanned: drawn at twice the size and shrunk by area, as a scanner's optics would."""
    size = 80
    font = ImageFont.truetype(SERIF, size)
    w = max(int(font.getlength(s)) for s in lines) + 60
    h = int(len(lines) * size * 1.5) + 40
    img = Image.new("L", (w, h), 255)
    ImageDraw.Draw(img).text((30, 20), "\n".join(lines), font=font, fill=0, spacing=size // 2)
    typed = np.asarray(img) < 128
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    du = ((x + y) / np.sqrt(2) % pitch) - pitch / 2
    dv = ((x - y) / np.sqrt(2) % pitch) - pitch / 2
    dots = du * du + dv * dv <= tone / np.pi * pitch * pitch
    big = np.where(dots | typed, 0, 255).astype(np.uint8)
    return cv2.resize(big, (w // 2, h // 2), interpolation=cv2.INTER_AREA)


def boxed_page(tmp_path):
    """A shaded box of a name and a telephone number above a paragraph of plain text."""
    body = np.asarray(text_page(LINES, size=40))
    box = screened_box(BOXED)
    page = np.full((body.shape[0] + box.shape[0] + 200, body.shape[1]), 255, np.uint8)
    page[120 : 120 + box.shape[0], 120 : 120 + box.shape[1]] = box
    page[box.shape[0] + 160 : box.shape[0] + 160 + body.shape[0]] = body
    folder = tmp_path / "1-preprocess"
    folder.mkdir()
    (folder / "image.png").write_bytes(grey_png(page, 300))
    return folder


def test_type_on_a_halftone_screen_tesseract_left_unread_is_read_again(tmp_path):
    folder = boxed_page(tmp_path)
    first = parse_tsv(run_tesseract(folder / "image.png", "eng", 3, 60))
    first_text = " ".join(w.text for w in first.words())
    assert "Carroll" not in first_text and "780-2194" not in first_text  # the case to mend
    out = tmp_path / "2-ocr"
    stats = ocr.run(folder, out, Options())
    text = (out / "text.txt").read_text()
    assert "Lloyd T. Carroll, Director" in text and "Telephone (804) 780-2194" in text
    assert text.index("Carroll") < text.index("committee")  # where it stands: above the body
    assert stats["unread_lines"] == 2
    record = json.loads((out / "ocr.json").read_text())["unread_reread"]
    assert record["regions"] == 1 and record["lines"] == 2
    assert (out / "unread-1.png").exists()  # the cut Tesseract read, kept for inspection
    assert "committee" in text and text.count("committee") == 1  # read once only


def test_a_page_tesseract_read_whole_is_not_read_again(tmp_path):
    folder = tmp_path / "1-preprocess"
    folder.mkdir()
    text_page(LINES, size=40).save(folder / "image.png", dpi=(300, 300))
    out = tmp_path / "2-ocr"
    stats = ocr.run(folder, out, Options())
    assert stats["unread_lines"] == 0
    assert not list(out.glob("unread-*.png"))
    assert "unread_reread" not in json.loads((out / "ocr.json").read_text())


def _marks(centres: list[tuple[int, int]], shape=(1400, 1400), dotted=True) -> np.ndarray:
    """A blank page with a row of four letter-sized marks (20 px tall) at each centre, each
    printed as dots 2 px across (`dotted`) or solid."""
    img = np.full(shape, 255, np.uint8)
    for cx, cy in centres:
        for k in range(4):
            x = cx + 18 * k
            cv2.rectangle(img, (x, cy - 10), (x + 10, cy + 10), 0, -1)
    if dotted:
        grid = np.zeros(shape, bool)
        grid[::4, ::4] = grid[1::4, ::4] = grid[::4, 1::4] = grid[1::4, 1::4] = True
        img[~grid] = 255
    return img


def test_regions_are_the_letters_outside_every_word_read():
    words = [Word("w1", "read", (90, 90, 180, 130), 95.0)]
    page = OcrPage(1400, 1400, [Block("b1", [Line("l1", words, (90, 90, 180, 130))])])
    img = _marks([(100, 110), (600, 700)])
    found = unread.regions(img, page, 20.0)
    assert [r.letters for r in found] == [4]  # the row at (100, 110) was read: only one left
    x0, y0, x1, y1 = found[0].box
    assert x0 <= 600 < x1 and y0 <= 700 < y1


def test_unread_marks_of_solid_ink_are_read_as_they_are():
    """Solid type Tesseract passed over (a masthead, words cut off by a crease's line) is
    read again without the blur, which only a screen's dots need."""
    page = OcrPage(1400, 1400, [])
    (solid,) = unread.regions(_marks([(600, 700)], dotted=False), page, 20.0)
    assert not solid.dotted and set(np.unique(solid.cut)) <= {0, 255}  # not blurred
    (dotted,) = unread.regions(_marks([(600, 700)]), page, 20.0)
    assert dotted.dotted and len(np.unique(dotted.cut)) > 2


def test_solid_lettering_that_is_a_small_part_of_a_picture_is_the_picture_s_own():
    """A drawing's labels (`FRONT`, `BACK`) are left to the picture; type as wide as what
    Tesseract took for a picture is a line of type; dotted type is read in a picture too
    (a shaded box is what Tesseract takes for one)."""
    solid = _marks([(600, 700)], dotted=False)  # four marks, 64 px wide
    drawing = OcrPage(1400, 1400, [], regions=[(300, 400, 1300, 1000)])
    assert unread.regions(solid, drawing, 20.0) == []
    taken = OcrPage(1400, 1400, [], regions=[(590, 680, 680, 720)])
    assert len(unread.regions(solid, taken, 20.0)) == 1
    assert len(unread.regions(_marks([(600, 700)]), drawing, 20.0)) == 1


def test_lettering_in_a_picture_s_box_that_ends_a_row_of_type_is_read():
    """Tesseract's picture box can take in the line under a picture, read by neither: the
    line's start, as wide as the picture, is type; its end, a word or two a small part of
    the picture's width, was left as the picture's own (`Hall;` lost, book page `d029` in
    bench.stress `pic2`). Continuing a row read again, it is read too; lettering off that
    row is still the picture's."""
    row = [(320 + 72 * k, 990) for k in range(9)]  # one region, 584 px wide
    end = (1010, 990)  # 64 px, two letters after it
    drawing = OcrPage(1400, 1400, [], regions=[(300, 400, 1300, 1000)])
    found = unread.regions(_marks(row + [end, (600, 700)], dotted=False), drawing, 20.0)
    boxes = sorted(r.box for r in found)
    assert len(boxes) == 2 and boxes[0][2] - boxes[0][0] > 500
    assert boxes[1][0] <= 1010 and boxes[1][2] <= 1100 and boxes[1][1] > 900
    assert unread.regions(_marks([end], dotted=False), drawing, 20.0) == []
    # read besides the regions kept: it takes no other region's turn
    others = [(100, 100 + 150 * k) for k in range(unread.MAX_SOLID)]
    found = unread.regions(_marks(row + [end] + others, dotted=False), drawing, 20.0)
    assert len(found) == unread.MAX_SOLID + 1
    assert any(r.box[0] <= 1010 < r.box[2] for r in found)


def test_words_in_a_picture_s_box_as_wide_as_a_line_of_type_are_read_as_one_line():
    """The line under a picture, in its box, whose words stand too far apart to be drawn into
    one region (book page `e045` in bench.stress `pic2`: `pearls and precious stones, ...`):
    words on one row, each within ROW_GAP of the next, spanning half the picture or more,
    are a line of type, read as one cut. Three such words are still the picture's own."""
    drawing = OcrPage(1400, 1400, [], regions=[(300, 400, 1300, 1000)])
    words = [(320 + 100 * k, 990) for k in range(7)]  # 64 px each, 36 px apart
    (line,) = unread.regions(_marks(words, dotted=False), drawing, 20.0)
    assert line.box[0] <= 320 and line.box[2] >= 984 and not line.dotted
    assert line.cut.shape[1] == line.box[2] - line.box[0]
    assert unread.regions(_marks(words[:3], dotted=False), drawing, 20.0) == []


def test_a_line_of_solid_type_left_unread_is_read_again_where_it_stands(tmp_path):
    """Tesseract's reading of a plain page with one line taken out, as when it passes over a
    line: the line is read again from the page and put back between its neighbours."""
    image = tmp_path / "image.png"
    image.write_bytes(grey_png(np.asarray(text_page(LINES, size=40)), 300))
    read = parse_tsv(run_tesseract(image, "eng", 3, 60))
    lines = read.lines()
    gone = lines[2]
    assert len(gone.words) >= 4
    page = OcrPage(
        read.width,
        read.height,
        [replace(b, lines=[ln for ln in b.lines if ln is not gone]) for b in read.blocks],
    )
    again, record = unread.reread(image, page, tmp_path, "eng", 30, 300, None)
    assert record["solid"] == 1 and record["lines"] == 1
    assert [ln.text for ln in again.lines()] == [ln.text for ln in lines]


def test_a_page_whose_unread_marks_are_everywhere_is_texture_not_text():
    """More candidate regions than MAX_CANDIDATES: a noisy scan, nothing is read again."""
    page = OcrPage(1400, 1400, [])
    centres = [(100 + 200 * i, 100 + 200 * j) for i in range(6) for j in range(6)]
    assert len(centres) > unread.MAX_CANDIDATES
    assert unread.regions(_marks(centres), page, 20.0) == []
    few = unread.regions(_marks(centres[:3]), page, 20.0)
    assert len(few) == 3


def test_a_wide_region_with_a_few_letters_is_a_picture_not_type():
    """Letters covering under LETTER_SHARE of a region: a picture's screen, not lines of type;
    not read (such cuts were the costliest to read, and held no text)."""
    page = OcrPage(1400, 1400, [])
    letters = _marks([(600, 700)])
    assert len(unread.regions(letters, page, 20.0)) == 1
    field = letters.copy()
    field[400:1000:8, 350:950:8] = 0  # lone dots of a light screen, drawn into one region
    assert unread.regions(field, page, 20.0) == []


def _line(lid, words):
    boxes = [w.box for w in words]
    x0 = min(b[0] for b in boxes)
    return Line(
        lid,
        words,
        (x0, min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)),
    )


def test_a_found_piece_goes_into_the_line_it_continues_and_pieces_of_a_row_join():
    row = _line("l1", [Word("w1", "doing", (100, 100, 180, 130), 95.0)])
    below = _line("l2", [Word("w2", "Connoisseurs", (100, 150, 300, 180), 95.0)])
    page = OcrPage(1000, 1000, [Block("b1", [row, below], (100, 100, 300, 180))])
    pieces = [
        _line("u2.l1", [Word("u2.l1.w1", "copy", (330, 102, 390, 130), 97.0)]),
        _line("u1.l1", [Word("u1.l1.w1", "their", (200, 101, 260, 130), 96.0)]),
    ]
    merged = unread._merge_rows(pieces, 20.0)
    assert [ln.text for ln in merged] == ["their copy"]
    blocks, joined = unread._seat(page, merged, 20.0)
    assert joined == 1
    assert [ln.text for ln in blocks[0].lines] == ["doing their copy", "Connoisseurs"]


def test_pieces_of_a_row_join_left_to_right_whichever_stands_higher():
    """A crease's words read as three pieces, the rightmost a little higher: one line."""
    pieces = [
        _line("u1.l1", [Word("u1.l1.w1", "them.", (330, 96, 400, 118), 96.0)]),
        _line("u2.l1", [Word("u2.l1.w1", "best", (100, 101, 160, 123), 97.0)]),
        _line("u3.l1", [Word("u3.l1.w1", "copy", (230, 102, 300, 123), 94.0)]),
    ]
    assert [ln.text for ln in unread._merge_rows(pieces, 17.0)] == ["best copy them."]


def test_pieces_of_a_row_in_large_type_join_at_their_own_size():
    """A masthead: `Morgan Stanley` in type three times the body's, then `RESEARCH`, 74 px on
    (5.3 body letters): one line; the same gap between pieces of body type is not."""
    big = _line("u1.l1", [Word("u1.l1.w1", "Morgan Stanley", (136, 116, 523, 173), 96.0)])
    small = _line("u2.l1", [Word("u2.l1.w1", "RESEARCH", (597, 135, 724, 152), 96.0)])
    assert [ln.text for ln in unread._merge_rows([big, small], 14.0)] == ["Morgan Stanley RESEARCH"]
    body = _line("u1.l1", [Word("u1.l1.w1", "Morgan", (136, 135, 523, 152), 96.0)])
    assert len(unread._merge_rows([body, small], 14.0)) == 2


def test_a_found_line_between_a_block_s_lines_goes_between_them():
    top = _line("l1", [Word("w1", "first", (100, 100, 400, 130), 95.0)])
    bottom = _line("l2", [Word("w2", "third", (100, 200, 400, 230), 95.0)])
    page = OcrPage(1000, 1000, [Block("b1", [top, bottom], (100, 100, 400, 230))])
    found = [_line("u1.l1", [Word("u1.l1.w1", "second", (110, 150, 390, 180), 90.0)])]
    blocks, joined = unread._seat(page, found, 20.0)
    assert joined == 1 and [ln.text for ln in blocks[0].lines] == ["first", "second", "third"]
    assert blocks[0].lines[1].block == "b1"


def test_a_found_block_goes_before_the_first_block_below_it():
    left = Block(
        "b1", [_line("l1", [Word("w1", "left", (100, 300, 400, 330), 95.0)])], (100, 300, 400, 330)
    )
    right = Block(
        "b2", [_line("l2", [Word("w2", "right", (600, 400, 900, 430), 95.0)])], (600, 400, 900, 430)
    )
    page = OcrPage(1000, 1000, [left, right])
    found = [
        _line("u1.l1", [Word("u1.l1.w1", "Name", (600, 100, 900, 130), 90.0)]),
        _line("u1.l2", [Word("u1.l2.w1", "Phone", (600, 140, 900, 170), 90.0)]),
    ]
    blocks, joined = unread._seat(page, found, 20.0)
    assert joined == 0
    assert [b.id for b in blocks] == ["b1", "u1", "b2"]  # in the right column, above `right`
    assert [ln.text for ln in blocks[1].lines] == ["Name", "Phone"]


def _spaced_line(lid, x, y, words, space=12, width=60, height=24):
    """A line of `words`, each `width` px wide, `space` px apart, from (x, y)."""
    out = []
    for i, text in enumerate(words):
        x0 = x + i * (width + space)
        out.append(Word(f"{lid}.w{i + 1}", text, (x0, y, x0 + width, y + height), 95.0))
    return _line(lid, out)


def test_a_column_read_again_beside_a_column_read_joins_none_of_its_lines():
    """A shaded page set beside a page Tesseract read (bench.stress `pic2`): the shaded page's
    lines, read again, stand on the other page's rows a gutter away (60 px, where its words
    are 12 px apart). They are a column of their own, read before the column to their right,
    its part under a picture after its part over it; not words added to the other's lines."""
    right = [
        _spaced_line(f"l{k}", 600, 100 + 40 * k, ["one", "two", "three", "four"]) for k in range(8)
    ]
    lower = [
        _spaced_line(f"l{k}", 600, 500 + 40 * k, ["five", "six", "seven", "eight"])
        for k in range(8, 12)
    ]
    page = OcrPage(
        1000,
        1000,
        [Block("b1", right, (600, 100, 888, 404)), Block("b2", lower, (600, 820, 888, 944))],
    )
    over = [
        _spaced_line(f"u1.l{k + 1}", 336, 100 + 40 * k, ["left", "column", "text"])
        for k in range(3)
    ]
    under = [
        _spaced_line(f"u2.l{k + 1}", 336, 800 + 40 * k, ["under", "the", "picture"])
        for k in range(2)
    ]
    blocks, joined = unread._seat(page, under + over, 20.0)
    assert joined == 0
    assert [b.id for b in blocks] == ["u1", "u2", "b1", "b2"]
    assert [ln.text for ln in blocks[2].lines] == [ln.text for ln in right]


def test_a_piece_a_word_space_from_a_line_on_its_row_joins_it():
    """Two lines read again from one region, each set one word space (15 px) before a line's
    first word: the lines' own starts, Tesseract missed; they join them. A gutter away (88 px,
    where the page's words stand 12 px apart) they are a column of their own."""
    lines = [_spaced_line(f"l{k}", 600, 100 + 40 * k, ["one", "two", "three"]) for k in range(4)]
    page = OcrPage(1000, 1000, [Block("b1", lines, (600, 100, 816, 244))])
    near = [_spaced_line(f"u1.l{k}", 453, 100 + 40 * k, ["zero", "half"]) for k in (1, 2)]
    blocks, joined = unread._seat(page, near, 20.0)
    assert joined == 2 and blocks[0].lines[1].text == "zero half one two three"
    far = [_spaced_line(f"u1.l{k}", 380, 100 + 40 * k, ["zero", "half"]) for k in (1, 2)]
    blocks, joined = unread._seat(page, far, 20.0)
    assert joined == 0 and [b.id for b in blocks] == ["u1", "b1"]


def test_a_lone_line_read_again_keeps_to_its_row_across_a_wide_space():
    """A masthead Tesseract read (`Morgan Stanley`) and `RESEARCH` read again 60 px on, where
    the page's words stand 10 px apart: a lone line read again is a piece of its row (as are
    words a crease cut through), and joins it; read as one of two lines of its region, it is
    a column's piece, and the wide space a gutter."""
    body = [
        _spaced_line(f"l{k}", 136, 300 + 30 * k, ["body", "text", "here"], 10, 40, 17)
        for k in range(4)
    ]
    big = Line(
        "l9", [Word("l9.w1", "Morgan Stanley", (136, 116, 523, 173), 96.0)], (136, 116, 523, 173)
    )
    page = OcrPage(
        1000, 1000, [Block("b1", [big], big.box), Block("b2", body, (136, 300, 272, 407))]
    )
    research = _line("u1.l1", [Word("u1.l1.w1", "RESEARCH", (583, 135, 710, 152), 96.0)])
    blocks, joined = unread._seat(page, [research], 14.0)
    assert joined == 1 and blocks[0].lines[0].text == "Morgan Stanley RESEARCH"
    update = _line("u1.l2", [Word("u1.l2.w1", "UPDATE", (583, 165, 690, 182), 96.0)])
    blocks, joined = unread._seat(page, [research, update], 14.0)
    assert joined == 0 and blocks[0].lines[0].text == "Morgan Stanley"


def test_a_second_look_that_crashes_leaves_the_page_as_read(tmp_path, monkeypatch, fake_tesseract):
    folder = boxed_page(tmp_path)
    page = parse_tsv(run_tesseract(folder / "image.png", "eng", 3, 60))
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("echo 'Segmentation fault' >&2; exit 139"))
    out = tmp_path / "2-ocr"
    out.mkdir()
    again, record = unread.reread(folder / "image.png", page, out, "eng", 30, 300, None)
    assert again == page and record["lines"] == 0 and record["regions"] == 1


def test_a_second_look_that_hangs_is_stopped_by_its_own_limit(
    tmp_path, monkeypatch, fake_tesseract
):
    import time

    folder = boxed_page(tmp_path)
    page = parse_tsv(run_tesseract(folder / "image.png", "eng", 3, 60))
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("sleep 60"))
    monkeypatch.setattr(unread, "LOOK_SECONDS", 1.0)
    start = time.monotonic()
    again, record = unread.reread(folder / "image.png", page, tmp_path, "eng", 300, 300, None)
    assert time.monotonic() - start < 20
    assert again == page and record["lines"] == 0
