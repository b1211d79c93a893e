"""Stage 3's reading order does no harm: Tesseract's block order kept unless the geometry shows
it wrong, captions only with evidence, footnotes kept with their column, lines merged across a
gutter cut (issue 11, item 3). Hand-built OCR pages with the geometry real scans showed."""

from __future__ import annotations

from pipeline.model import Block, Line, OcrPage, Word, union
from pipeline.repair import order, repair_page
from tests.test_repair import PageBuilder

MAIN = [
    "The foreign ministers met in Geneva on",
    "Monday to discuss the future of the",
    "divided city and the talks went on late",
    "into the night without any agreement.",
    "Observers expected a long and difficult",
    "session, as the delegations from the",
    "East and the West had failed to agree",
    "on an agenda for the coming meeting.",
]
MORE = [
    "Valuation. We are keeping our rating",
    "and our price target after the results",
    "and a modest change in our estimates.",
]
SIDE = [
    "Disclosure Code: None",
    "Important disclosures and",
    "certifications are in the",
    "Disclosure Section of this",
    "report for every reader.",
]


def _words(paras) -> list[str]:
    return " ".join(p.text for p in paras).split()


def _text(rows: list[str]) -> list[str]:
    return " ".join(rows).split()


def _column(b: PageBuilder, block: str, rows: list[str], x: int, y: int) -> None:
    """One column's lines, 44 px apart, 700 px wide."""
    for i, text in enumerate(rows):
        b.line(block, text, x, y + 44 * i, width=700)


def _main_and_sidebar(b: PageBuilder, main_blocks: list[tuple[str, list[str], int]]) -> None:
    for block, rows, y in main_blocks:
        for i, text in enumerate(rows):
            b.line(block, text, 100, y + 44 * i, width=700)
    for i, text in enumerate(SIDE):
        b.line("side", text, 1000, 200 + 44 * i)


def test_tesseract_block_order_kept_when_it_reads_no_column_upward(lex):
    """A main column, a white band across the page, more main text; a sidebar that ends above
    the band. Tesseract reads the main column through, then the sidebar; the XY-cut would read
    band by band and put the sidebar in the middle of the main text (multicol_03)."""
    b = PageBuilder()
    _main_and_sidebar(b, [("m1", MAIN, 200), ("m2", MORE, 200 + 44 * 8 + 100)])
    rp = repair_page(b.page(["m1", "m2", "side"]), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text(MORE) + _text(SIDE)
    assert rp.stats["reading_order"] == "tesseract"
    assert "none of its 3 blocks" in rp.stats["reading_order_reason"]


def test_block_read_upward_moves_back_and_the_rest_keeps_tesseracts_order(lex):
    """Tesseract reads the second half of the main column before its first half: that block
    alone moves back; the sidebar stays after the main text."""
    b = PageBuilder()
    _main_and_sidebar(
        b, [("m1a", MAIN[:4], 200), ("m1b", MAIN[4:], 200 + 44 * 4), ("m2", MORE, 652)]
    )
    rp = repair_page(b.page(["m1b", "m1a", "m2", "side"]), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text(MORE) + _text(SIDE)
    assert rp.stats["reading_order"] == "tesseract-mended"
    assert "m1a before m1b" in rp.stats["reading_order_reason"]


RIGHT = [
    "This and That",
    "Boycotts, if unofficial, are included",
    "among the sanctions, but it is plain",
    "that they hurt the trade of a nation",
    "whose goods are shunned in the shops.",
    "For a spontaneous boycott to be felt",
    "the buyers must know what they buy,",
    "and the box must say where it was made.",
]


def test_stray_line_read_early_moves_on_to_its_place(lex):
    """Tesseract reads one line from the middle of the right column (a block of its own)
    among the left column's text, and the right column's top after it. The stray line moves
    on to follow the text above it; the column's top is not moved back into the left column
    (bench.stress `blur2` broadsheet: 4.4 points of CER)."""
    b = PageBuilder()
    _column(b, "l1", MAIN[:4], 100, 200)
    _column(b, "l2", MAIN[4:], 100, 200 + 44 * 4 + 120)  # after a gap: a new paragraph
    for block, first, last in (("r1", 0, 5), ("stray", 5, 6), ("r2", 6, 8)):
        for k in range(first, last):
            b.line(block, RIGHT[k], 900, 200 + 44 * k, width=700)
    rp = repair_page(b.page(["l1", "stray", "l2", "r1", "r2"]), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text(RIGHT)
    assert "stray after r1" in rp.stats["reading_order_reason"]
    # the same page with the column's top read late (no stray): the top moves back, as before
    b = PageBuilder()
    _column(b, "l1", MAIN, 100, 200)
    for block, first, last in (("r1", 0, 1), ("r2", 1, 8)):
        for k in range(first, last):
            b.line(block, RIGHT[k], 900, 200 + 44 * k, width=700)
    rp = repair_page(b.page(["l1", "r2", "r1"]), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text(RIGHT)
    assert "r1 before r2" in rp.stats["reading_order_reason"]


def test_block_holding_lines_of_two_columns_is_read_as_two(lex):
    """Tesseract put a left column's line and the right column's line beside it in one block,
    read before the right column's top (a broadsheet at 1.5x its pixels). The block's box
    spans both columns; taken as two runs, the right line is a stray read early and moves on
    under the right column's top, which stays where it was read."""
    b = PageBuilder()
    _column(b, "l1", MAIN[:4], 100, 200)
    b.line("mix", MAIN[4], 100, 200 + 44 * 4, width=700)
    b.line("mix", RIGHT[4], 900, 200 + 44 * 4 + 40, width=700)  # under it, beside
    _column(b, "l2", MAIN[5:], 100, 200 + 44 * 5)
    _column(b, "r1", RIGHT[:4], 900, 200 + 40)
    _column(b, "r2", RIGHT[5:], 900, 200 + 44 * 5 + 40)
    rp = repair_page(b.page(["l1", "mix", "l2", "r1", "r2"]), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text(RIGHT)
    assert "mix after r1" in rp.stats["reading_order_reason"]


def test_column_read_on_under_a_heading_where_tesseract_read_across(lex):
    """Tesseract reads the left column down to a heading, then the right column's top beside
    it, then the story under the heading: the left column runs on under its heading
    (bench.stress `threeq` broadsheet: CER 18.6 -> 3.3 %). Where what was read across is a
    grid's short cells (telephone numbers beside a name), nothing moves."""
    b = PageBuilder()
    _column(b, "a", MAIN, 100, 200)
    b.line("h", "PATRIOTISM", 300, 200 + 44 * 8 + 20)
    _column(b, "s", MORE, 100, 200 + 44 * 9 + 30)
    _column(b, "r1", RIGHT[:6], 900, 400)  # beside the heading
    _column(b, "r2", RIGHT[6:], 900, 400 + 44 * 6)
    rp = repair_page(b.page(["a", "h", "r1", "s", "r2"]), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + ["PATRIOTISM"] + _text(MORE) + _text(RIGHT)
    assert "s before r1" in rp.stats["reading_order_reason"]
    b = PageBuilder()
    _column(b, "a", MAIN, 100, 200)
    b.line("h", "PATRIOTISM", 300, 200 + 44 * 8 + 20)
    _column(b, "s", MORE, 100, 200 + 44 * 9 + 30)
    b.line("t1", "+1 212 761-6494", 900, 200 + 44 * 8 + 20)
    b.line("t2", "+1 212 761-3017", 900, 200 + 44 * 12)
    rp = repair_page(b.page(["a", "h", "t1", "s", "t2"]), lex)
    assert rp.stats["reading_order"] == "tesseract"


def test_row_set_under_a_grid_of_names_and_numbers_stays_after_the_numbers(lex):
    """An analysts' box: names and titles on the left, a telephone number beside each, and
    rows set across the whole box under them. Tesseract read the names, the numbers, then
    the rows: the rows run on under the names but under the numbers too, so they are not the
    names' column running on, and stay after the numbers (bench.stress `rot15`'s
    `multicol_01`: CER 7.07 -> 4.54 %)."""
    b = PageBuilder()
    _column(b, "names", SIDE, 100, 200)
    for k in range(3):
        b.line(f"t{k}", f"+1 212 761-60{k}4", 1000, 200 + 44 * k)
    rows = [f"{region} IndustryView In-Line" for region in ("North America", "Europe", "Asia")]
    for k, text in enumerate(rows):  # across the box: the rating under the numbers
        b.line("rows", text, 100, 200 + 44 * (5 + k) + 10, width=1200)
    rp = repair_page(b.page(["names", "t0", "t1", "t2", "rows"]), lex)
    numbers = [f"+1 212 761-60{k}4" for k in range(3)]
    assert _words(rp.paragraphs) == _text(SIDE) + _text(numbers) + _text(rows)
    assert rp.stats["reading_order"] == "tesseract"


def test_jumps_count_the_lines_not_read_under_the_last():
    col1 = [Line(f"a{i}", [], (100, 100 + 40 * i, 500, 130 + 40 * i), "a") for i in range(5)]
    col2 = [Line(f"b{i}", [], (600, 100 + 40 * i, 1000, 130 + 40 * i), "b") for i in range(5)]
    assert order.jumps(col1 + col2) == 1  # down one column, then up to the next
    interleaved = [ln for pair in zip(col1, col2, strict=True) for ln in pair]
    assert order.jumps(interleaved) == 9  # across the gutter at every line
    # how the XY-cut is checked against Tesseract's mended order: 2x the jumps at most
    assert order.jumps(interleaved) > order.XYCUT_JUMPS * order.jumps(col1 + col2)


def test_whole_page_read_upward_falls_back_to_geometry():
    lines = [Line(f"l{i}", [], (100, 1000 - 50 * i, 600, 1030 - 50 * i), f"b{i}") for i in range(8)]
    choice, runs = order.choose(order.block_runs(lines))
    assert choice.order == "geometry" and "7 of its 8 blocks" in choice.reason


def test_one_stray_read_before_a_whole_column_is_one_block_out_of_place():
    """A page's footer set left of its last column, under it, read before that column (the
    last of three pages set side by side, bench.stress `cols3`): every block of the column
    moves back before it, one by one, but one block is out of place, not a lost order."""
    col1 = [Line(f"a{i}", [], (100, 100 + 60 * i, 500, 130 + 60 * i), f"a{i}") for i in range(4)]
    col2 = [Line(f"c{i}", [], (700, 100 + 60 * i, 1100, 130 + 60 * i), f"c{i}") for i in range(8)]
    footer = Line("f", [], (600, 700, 900, 730), "f")  # under column 2, reaching left of it
    read = order.block_runs([*col1, footer, *col2])
    choice, runs = order.choose(read)
    assert choice.order == "tesseract-mended" and len(choice.moves) == 8
    assert [r[0].id for r in runs] == [ln.id for ln in col1 + col2] + ["f"]
    assert order.displaced(read, runs) == 1


BODY_ABOVE = [
    "The delegations had failed to agree on",
    "an agenda for the meeting, and the So-",
]
BODY_UNDER = [
    "viets insisted that their own plan was",
    "the only basis for a settlement of the",
    "question of the divided city of Berlin.",
]


def test_body_text_running_on_under_a_picture_is_no_caption(lex):
    """Column 1 runs on under a picture, mid-sentence and mid-word (`So-` / `viets`), and
    ends; nothing but its place under the picture says caption (multicol_08)."""
    b = PageBuilder()
    _column(b, "c1", BODY_ABOVE, 100, 200)
    _column(b, "c1b", BODY_UNDER, 100, 930)
    _column(b, "c2", MAIN, 900, 200)
    page = b.page(["c1", "c1b", "c2"])
    page.regions = [(100, 320, 800, 900)]
    rp = repair_page(page, lex)
    assert all(p.kind == "body" for p in rp.paragraphs)
    words = _words(rp.paragraphs)
    assert "Soviets" in words
    assert words.index("Soviets") < words.index("foreign")  # column 1 before column 2
    assert any("nothing but its place says caption" in d.reason for d in rp.decisions)


COL2_TOP = [
    "The other delegation replied that the",
    "plan was made without consulting the",
    "city council and could not be accepted.",
]
COL2_UNDER = [
    "Later in the evening the ministers met",
    "again, but only to fix the next date.",
]
COL3 = MAIN + MORE


def _picture_across_two_columns(b: PageBuilder, caption: bool) -> None:
    """Columns 1 and 2 with a picture set across both in their middle, column 3 beside it
    running the page's full height (news-clean-06 of bench.pagegen)."""
    _column(b, "c1", MORE + BODY_ABOVE, 100, 200)
    _column(b, "c2", COL2_TOP, 900, 200)
    if caption:
        b.line("cap", "The delegates at the station.", 100, 830, width=500)
    _column(b, "c1b", BODY_UNDER, 100, 930)
    _column(b, "c2b", COL2_UNDER, 900, 930)
    _column(b, "c3", COL3, 1700, 200)


def test_column_read_across_a_picture_set_into_it_follows_its_column(lex):
    """Tesseract reads a picture over columns 1-2 as a break across the page: both columns'
    tops, then both under the picture. The column order runs each column on under it."""
    b = PageBuilder()
    _picture_across_two_columns(b, caption=True)
    page = b.page(["c1", "c2", "cap", "c1b", "c2b", "c3"])
    page.regions = [(100, 460, 1600, 800)]
    rp = repair_page(page, lex)
    words = _words(rp.paragraphs)
    order_ = [words.index(w) for w in ("Valuation.", "Soviets", "replied", "Later", "foreign")]
    assert order_ == sorted(order_)  # column 1 (above, under), column 2 (above, under), column 3
    assert rp.stats["reading_order"] == "tesseract-mended"
    assert "read across a picture or a gap" in rp.stats["reading_order_reason"]
    # a picture across the whole page does break it in two: Tesseract's order is kept
    b = PageBuilder()
    _picture_across_two_columns(b, caption=False)
    page = b.page(["c1", "c2", "c1b", "c2b", "c3"])
    page.regions = [(100, 460, 2400, 800)]
    assert repair_page(page, lex).stats["reading_order"] == "tesseract"


def test_columns_read_across_a_paragraph_gap_that_lines_up_follow_their_columns(lex):
    """Tesseract reads two columns as if the page broke where their paragraph gaps happen to
    line up (multicol_05 at three quarters of its pixels): both tops, then both bottoms. A
    column running on across a paragraph's gap is read through; cards of a grid, set further
    apart, keep Tesseract's row by row order."""
    for gap, runs_on in ((50, True), (200, False)):
        b = PageBuilder()
        _column(b, "c1", MAIN[:4], 100, 200)
        _column(b, "c2", COL2_TOP, 900, 200)
        _column(b, "c1b", MAIN[4:], 100, 200 + 44 * 3 + 32 + gap)
        _column(b, "c2b", COL2_UNDER + MORE, 900, 200 + 44 * 2 + 32 + gap)
        rp = repair_page(b.page(["c1", "c2", "c1b", "c2b"]), lex)
        words = _words(rp.paragraphs)
        col1, col2 = _text(MAIN), _text(COL2_TOP + COL2_UNDER + MORE)
        if runs_on:
            assert words == col1 + col2
            assert "read across a picture or a gap" in rp.stats["reading_order_reason"]
        else:
            assert words == _text(MAIN[:4] + COL2_TOP + MAIN[4:] + COL2_UNDER + MORE)
            assert rp.stats["reading_order"] == "tesseract"


def test_small_type_at_the_foot_of_a_column_is_a_footnote_kept_with_it(lex):
    """A two-line note in small type under column 1 stays after column 1, marked, instead of
    going to the end of the page as a caption (multicol_05's footnotes)."""
    b = PageBuilder()
    _column(b, "c1", MAIN, 100, 200)
    b.line("fn", "1 See the report of the Geneva talks of May", 100, 620, size=20)
    b.line("fn", "1959, pages 12 to 14, for the full agenda.", 100, 646, size=20)
    _column(b, "c2", MORE + SIDE, 900, 200)
    rp = repair_page(b.page(["c1", "fn", "c2"]), lex)
    kinds = [p.kind for p in rp.paragraphs]
    assert "footnote" in kinds and "caption" not in kinds
    note = rp.paragraphs[kinds.index("footnote")]
    assert note.text.startswith("1 See the report")
    words = _words(rp.paragraphs)
    assert words.index("See") < words.index("Valuation.")  # before column 2
    assert rp.stats["footnotes"] == 1


def _merged_row_page(into: str) -> tuple[OcrPage, Line]:
    """Two columns whose line 5 Tesseract read as one line of both, put in block `into`
    ("c1" or "c2"); the page and that row's left line."""
    b = PageBuilder()
    _column(b, "c1", MAIN, 100, 200)
    for i, text in enumerate(MAIN[::-1]):
        b.line("c2", text.upper(), 900, 200 + 44 * i, width=700)
    left, right = b.blocks["c1"][4], b.blocks["c2"][4]
    kept, gone = (left, right) if into == "c1" else (right, left)
    merged = Line(kept.id, left.words + right.words, union([left.box, right.box]), into)
    b.blocks[into][b.blocks[into].index(kept)] = merged
    b.blocks["c2" if into == "c1" else "c1"].remove(gone)
    return OcrPage(2400, 3200, [Block("c1", b.blocks["c1"]), Block("c2", b.blocks["c2"])]), left


def test_line_merged_across_a_gutter_is_cut_there(lex):
    """Tesseract read line 5 of both columns as one line; the lines around it leave the
    gutter empty, so it is cut and its right half read in column 2."""
    page, left = _merged_row_page("c1")
    rp = repair_page(page, lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text([t.upper() for t in MAIN[::-1]])
    cut = [d for d in rp.decisions if "merged across a column gutter" in d.reason]
    assert [d.lines for d in cut] == [[left.id, f"{left.id}r"]]


def test_line_merged_across_a_gutter_in_the_next_column_s_block_goes_home(lex):
    """As above, but Tesseract put the merged line in column 2's block, among its lines (a
    book page beside another, bench.stress `pic2`): once cut, its left half too goes to the
    block of its own column, instead of being read inside column 2."""
    page, _ = _merged_row_page("c2")
    rp = repair_page(page, lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text([t.upper() for t in MAIN[::-1]])


def test_lines_merged_across_a_short_column_s_gutter_are_cut_and_read_in_column(lex):
    """A short second column (4 lines) beside a first, two consecutive rows of both read as
    one line each, and a headline with a byline over both columns just below (multi-heavy-04).
    Each merged line is evidence for the other's gutter, and the lines under the headline
    belong to another story: both are cut, the byline does not close the gutter. Tesseract
    read column 1's first line, column 2, then the block of merged lines: once cut, that
    block is read in column 1, before column 2; the headline it held stays after them."""
    b = PageBuilder()
    for i, text in enumerate(MAIN[:5]):
        b.line("c1a" if i == 0 else "c1b", text, 100, 200 + 44 * i, width=700)
    right_rows = [t.upper() for t in MORE + ["AND THE LAST LINE OF IT."]]
    _column(b, "c2", right_rows, 900, 200)
    merged_ids = []
    for k in (0, 1):
        left, right = b.blocks["c1b"][k], b.blocks["c2"][k + 1]
        both = union([left.box, right.box])
        b.blocks["c1b"][k] = Line(left.id, left.words + right.words, both, "c1b")
        merged_ids.append(left.id)
    del b.blocks["c2"][1:3]
    b.line("c1b", "THE SECOND STORY OF THE DAY", 400, 440, size=48)
    b.line("by", "From Our Own Correspondent", 650, 510)
    _column(b, "c3", MORE, 100, 570)
    page = b.page(["c1a", "c2", "c1b", "by", "c3"])
    rp = repair_page(page, lex)
    cut = [d.lines for d in rp.decisions if "merged across a column gutter" in d.reason]
    assert cut == [[i, f"{i}r"] for i in merged_ids]
    words = _words(rp.paragraphs)
    head = "THE SECOND STORY OF THE DAY".split()
    assert words[: len(_text(MAIN[:5]) + _text(right_rows))] == _text(MAIN[:5]) + _text(right_rows)
    assert words.index(head[1]) > words.index("IT.")


def test_figure_caption_on_a_one_column_page_stays_where_it_is_read(lex):
    """A book page: text, a figure, its caption in small type, more text. The text reads past
    the figure and the caption is read there (the book transcriptions have it there), so it
    is marked a caption but not moved after the body (j066)."""
    b = PageBuilder()
    for i, text in enumerate(MAIN[:4]):
        b.line("p1", text, 100, 200 + 44 * i, width=700)
    b.line("cap", "Fig. 52. Rolls of splints and reed.", 250, 900, size=20)
    _column(b, "p2", MORE, 100, 980)
    page = b.page(["p1", "cap", "p2"])
    page.regions = [(150, 400, 750, 870)]
    rp = repair_page(page, lex)
    assert [p.kind for p in rp.paragraphs] == ["body", "caption", "body"]
    assert _words(rp.paragraphs) == _text(
        MAIN[:4]
    ) + "Fig. 52. Rolls of splints and reed.".split() + _text(MORE)


def test_caption_of_a_figure_inside_one_column_stays_there_one_across_columns_goes_last(lex):
    """Two columns, a figure inside column 1 with its caption in small type under it: column
    1's text reads past the figure, so the caption stays where Tesseract read it, before
    column 2 (two book pages scanned as one spread, bench.stress's `spread`: j032, j074). A
    caption under a picture set across two columns belongs to neither: it goes last."""
    b = PageBuilder()
    for i, text in enumerate(MAIN[:4]):
        b.line("p1", text, 100, 200 + 44 * i, width=700)
    cap = "Fig. 52. Rolls of splints and reed."
    b.line("cap", cap, 250, 900, size=20)
    _column(b, "p2", MORE, 100, 980)
    col2 = [t.upper() for t in COL2_TOP + COL2_UNDER + SIDE + MORE]
    _column(b, "c2", col2, 900, 200)
    page = b.page(["p1", "cap", "p2", "c2"])
    page.regions = [(150, 400, 750, 870)]
    rp = repair_page(page, lex)
    assert "caption" in [p.kind for p in rp.paragraphs]
    assert _words(rp.paragraphs) == _text(MAIN[:4]) + cap.split() + _text(MORE) + _text(col2)
    assert any("picture stands inside one column" in d.reason for d in rp.decisions)
    b = PageBuilder()
    _column(b, "c1", MORE + BODY_ABOVE, 100, 200)
    _column(b, "c2", COL2_TOP, 900, 200)
    b.line("cap", "The delegates at the station.", 500, 830, size=20)
    _column(b, "c1b", BODY_UNDER, 100, 930)
    _column(b, "c2b", COL2_UNDER, 900, 930)
    _column(b, "c3", COL3, 1700, 200)
    page = b.page(["c1", "c2", "cap", "c1b", "c2b", "c3"])
    page.regions = [(100, 460, 1600, 800)]
    rp = repair_page(page, lex)
    assert [p.kind for p in rp.paragraphs][-1] == "caption"
    assert rp.paragraphs[-1].text == "The delegates at the station."
    assert any(
        "caption under a picture region placed after the body" in d.reason for d in rp.decisions
    )


def test_piece_of_a_line_in_another_block_goes_back_beside_its_left_piece(lex):
    """Tesseract split a justified line of column 1 at a wide space and read its right piece
    as a block of its own after column 2 (news-mild-03): in Tesseract's order the piece
    comes back after its left piece, and the two are one line again."""
    b = _two_columns()
    row = b.blocks["c1"][3]
    cut = next(k for k, w in enumerate(row.words) if w.box[0] > 450)
    left, right = row.words[:cut], row.words[cut:]
    b.blocks["c1"][3] = Line(row.id, left, union([w.box for w in left]), "c1")
    piece = Line("px", right, union([w.box for w in right]), "x")
    rp = repair_page(_with_block(b, piece), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text([t.upper() for t in MORE + SIDE])
    assert rp.stats["reading_order"] == "tesseract"


def test_a_line_in_display_type_takes_no_body_line_for_its_right_piece():
    """`2016` in display type, the last line of a block under a graphic, stands on the row of
    the next column's line (`multicol_01` at 1.25x its pixels): that line is no piece of it,
    and stays in its column. A line of body type there still takes its piece."""
    for text, size, joined in (("2016", 70, False), ("Then in", 32, True)):
        b = PageBuilder()
        b.line("g", "industry than Donald Trump. If the Democrats take", 604, 1119)
        b.line("g", "the Senate as many investors fear, Democratic", 182, 1175)
        left = b.line("g", text, 263, 1289 - (size - 32) // 2, size=size)
        piece = b.line("c", "committees and call hearings to investigate the", 604, 1289)
        b.line("c", "pricing of drugs. A surprising Democratic sweep", 605, 1344)
        runs, moved = order.gather_pieces([b.blocks["g"], b.blocks["c"]], 32.0)
        assert ([left.id, piece.id] in moved) is joined, moved
        assert (piece in runs[0]) is joined


def test_middle_of_a_line_cut_in_three_goes_back_between_its_other_pieces(lex):
    """Tesseract cut a justified line at two wide spaces, kept its two ends as one line with
    a gap, and read the middle as a block of its own after the next column (book page
    `j066` beside a picture, bench.stress `pic2`): its words go back into the gap. A speck
    in a gap (a piece of a quote mark) is no piece and stays where it was read."""
    b = _two_columns()
    row = b.blocks["c1"][3]
    inner = [k for k, w in enumerate(row.words) if 250 < w.box[0] and w.box[2] < 550]
    assert len(inner) >= 2
    ends = row.words[: inner[0]] + row.words[inner[-1] + 1 :]
    middle = row.words[inner[0] : inner[-1] + 1]
    b.blocks["c1"][3] = Line(row.id, ends, union([w.box for w in ends]), "c1")
    piece = Line("px", middle, union([w.box for w in middle]), "x")
    rp = repair_page(_with_block(b, piece), lex)
    assert _words(rp.paragraphs) == _text(MAIN) + _text([t.upper() for t in MORE + SIDE])
    moved = [d for d in rp.decisions if d.lines == ["l4", "px"]]
    assert moved, [d.lines for d in rp.decisions]

    x0, y0, _, y1 = middle[0].box
    speck = Line(
        "sp", [Word("spw", "?", (x0, y0, x0 + 8, y0 + 14), 60.0)], (x0, y0, x0 + 8, y0 + 14)
    )
    rp = repair_page(_with_block(b, speck), lex)
    assert _words(rp.paragraphs)[-1] == "?"


def _two_columns() -> PageBuilder:
    """Column 1 (MAIN) and column 2 (MORE and SIDE in capitals), one block each."""
    b = PageBuilder()
    _column(b, "c1", MAIN, 100, 200)
    for i, text in enumerate(MORE + SIDE):
        b.line("c2", text.upper(), 900, 200 + 44 * i, width=700)
    return b


def _with_block(b: PageBuilder, line: Line) -> OcrPage:
    """The two columns' page with `line` read last, as a block of its own."""
    blocks = [Block("c1", b.blocks["c1"]), Block("c2", b.blocks["c2"]), Block("x", [line])]
    return OcrPage(2400, 3200, blocks)


def test_a_line_read_right_piece_first_as_two_one_line_blocks_is_one_line(lex):
    """Tesseract read a caption's two pieces as one-line blocks, the right one first (`METHOD
    OF WEAVING THE FIRST STRAND.` then `FIG. 40.`, book page `j050`): they are one line, left
    piece first. Two such blocks further apart than a few body sizes are left as read."""
    for gap, joined in ((40, True), (400, False)):
        b = PageBuilder()
        _column(b, "c1", MAIN[:4], 100, 200)
        right = b.line("r", "METHOD OF WEAVING THE FIRST STRAND.", 330 + gap, 400, size=24)
        left = b.line("l", "FIG. 40.", 200, 400, size=24)
        _column(b, "c2", MAIN[4:], 100, 460)
        rp = repair_page(b.page(["c1", "r", "l", "c2"]), lex)
        text = " ".join(p.text for p in rp.paragraphs)
        assert ("FIG. 40. METHOD OF WEAVING" in text) is joined, text
        assert ([left.id, right.id] in [d.lines for d in rp.decisions]) is joined


def test_headline_read_after_the_columns_under_it_comes_first(lex):
    """Tesseract read a headline set across both columns after the column text under it:
    reading upward, so the headline block alone moves back before the columns."""
    b = PageBuilder()
    b.line("head", "Ministers Fail to Agree", 300, 60, size=90)
    _column(b, "c1", MAIN, 100, 220)
    _column(b, "c2", MORE + SIDE, 900, 220)
    rp = repair_page(b.page(["c1", "c2", "head"]), lex)
    assert rp.paragraphs[0].kind == "headline"
    assert _words(rp.paragraphs) == "Ministers Fail to Agree".split() + _text(MAIN + MORE + SIDE)
    assert rp.stats["reading_order"] == "tesseract-mended"


def test_heading_over_one_column_read_after_both_moves_back_not_the_column_on(lex):
    """A heading over the left column only, read after both columns: the left column (one
    block, read between other columns' text, so a stray) could instead move on under the
    heading, but that order jumps as often as the heading moved back, which is kept: the
    columns stay in their order."""
    b = PageBuilder()
    b.line("head", "The Foreign Ministers", 100, 120, size=48)
    _column(b, "c1", MAIN, 100, 200)
    _column(b, "c2", RIGHT, 900, 120)
    rp = repair_page(b.page(["c1", "c2", "head"]), lex)
    assert _words(rp.paragraphs) == "The Foreign Ministers".split() + _text(MAIN + RIGHT)
    assert "head before c1" in rp.stats["reading_order_reason"]


def test_a_footnote_broken_by_a_wider_gap_over_a_page_number_stays_one_note(lex):
    """A three-line note whose last line sits a little lower, and the page number under it
    (multicol_05): one footnote, not a footnote and a caption."""
    b = PageBuilder()
    _column(b, "c1", MAIN, 100, 200)
    b.line("fn", "1 See the report of the Geneva talks of May", 100, 620, size=20)
    b.line("fn", "1959, pages 12 to 14, for the full agenda", 100, 646, size=20)
    b.line("fn", "and the list of the delegations present.", 100, 712, size=20)
    b.line("pg", "- 2 -", 420, 800)
    _column(b, "c2", MORE + SIDE, 900, 200)
    rp = repair_page(b.page(["c1", "fn", "pg", "c2"]), lex)
    notes = [p for p in rp.paragraphs if p.kind == "footnote"]
    assert len(notes) == 1 and notes[0].text.endswith("delegations present.")
    assert "caption" not in [p.kind for p in rp.paragraphs]


def _cut_row(b: PageBuilder, block: str, k: int, at: int, into: str) -> tuple[Line, Line]:
    """Row `k` of `block` cut at x = `at`: the left piece stays, the right one is returned as a
    line of block `into`."""
    row = b.blocks[block][k]
    cut = next(i for i, w in enumerate(row.words) if w.box[0] > at)
    left, right = row.words[:cut], row.words[cut:]
    return (
        Line(row.id, left, union([w.box for w in left]), block),
        Line(f"{row.id}r", right, union([w.box for w in right]), into),
    )


def test_paragraph_cut_into_small_blocks_at_wide_spaces_reads_in_line_order(lex):
    """Tesseract cut a justified paragraph at wide word spaces into one- and two-line blocks
    (a book page set beside others as columns, bench.stress cols2), too small to show the
    column's edges: a line's right piece read in the block above, another's after the next
    line. The lines over and under each pair
    run across the white between the pieces, so they are one printed line: read left piece,
    right piece, and the paragraph comes out in order."""
    b = PageBuilder()
    _column(b, "p", MAIN, 100, 200)
    rows = b.blocks["p"]
    left2, right2 = _cut_row(b, "p", 2, 400, "a")
    left5, right5 = _cut_row(b, "p", 5, 400, "d")
    cut = {
        "z": [rows[0]],
        "a": [rows[1], right2],  # the right piece read before its left one
        "b": [left2],
        "c": [rows[3], rows[4]],
        "d": [left5, rows[6]],  # the right piece read after the next line
        "e": [right5],
        "f": [rows[7]],
    }
    blocks = [Block(k, [Line(ln.id, ln.words, ln.box, k) for ln in v]) for k, v in cut.items()]
    rp = repair_page(OcrPage(1000, 1400, blocks), lex)
    assert _words(rp.paragraphs) == _text(MAIN)
    moved = [d.lines for d in rp.decisions if "piece of a printed line" in d.reason]
    assert [rows[2].id, f"{rows[2].id}r"] in moved and [rows[5].id, f"{rows[5].id}r"] in moved


def test_texture_read_under_a_piece_is_no_evidence_of_a_gutter(lex):
    """A line cut over a picture (bench.stress `pic2`, `oldbooks_f012`): Tesseract read its
    right piece as a small block's last line and its left piece as a block of its own after
    it, with the picture's texture read as a word (`ee`, confidence 15) under the left piece.
    A line Tesseract is that unsure of is no line under one piece only: the pieces are read
    in order, and the paragraph's hyphenated word is not joined to the wrong piece."""
    b = PageBuilder()
    _column(b, "p", MAIN[:5], 100, 200)
    rows = b.blocks["p"]
    left, right = _cut_row(b, "p", 4, 400, "p")
    texture = b.line("x", "ee", 150, 200 + 44 * 5 + 10, size=80, conf=15.0)
    _column(b, "s", MAIN[5:], 100, 800)
    cut = {"a": rows[:2], "c": [*rows[2:4], right], "q": [left], "x": [texture]}
    blocks = [Block(k, [Line(ln.id, ln.words, ln.box, k) for ln in v]) for k, v in cut.items()]
    rp = repair_page(OcrPage(1000, 1400, [*blocks, Block("s", b.blocks["s"])]), lex)
    assert [w for w in _words(rp.paragraphs) if w != "ee"] == _text(MAIN)


def test_lines_of_two_columns_under_text_across_them_are_not_taken_for_pieces(lex):
    """Two columns an em or two apart under a lead paragraph set across both: its last line
    runs over the white between the columns' first lines, but the lines under those are two
    lines, one in each column: a gutter, not a wide word space. Each column is read through."""
    b = PageBuilder()
    lead = [
        "The foreign ministers of the four powers met again in Geneva on Monday and",
        "failed to agree on anything at all after a long day of talks in the old hall.",
    ]
    b.line("lead", lead[0], 100, 100, width=1460)
    b.line("lead", lead[1], 100, 144, width=1460)
    _column(b, "c1", MAIN, 100, 200)
    _column(b, "c2", [t.upper() for t in MAIN], 860, 200)
    rp = repair_page(b.page(["lead", "c1", "c2"]), lex)
    assert _words(rp.paragraphs) == _text(lead + MAIN + [t.upper() for t in MAIN])
    assert not [d for d in rp.decisions if "piece" in d.reason]


def test_a_river_of_wide_spaces_two_lines_deep_is_no_gutter(lex):
    """Tesseract cut two lines of a paragraph at the same wide space and read their left
    pieces as a block of their own after the rest (a book page beside two others,
    bench.stress `cols3`): the row under the first pair is split at the same white, so the
    row beyond it answers, and it runs across. Three rows or more split there are a gutter."""
    b = PageBuilder()
    _column(b, "p", MAIN, 100, 200)
    rows = b.blocks["p"]
    left2, right2 = _cut_row(b, "p", 2, 400, "p")
    left3, right3 = _cut_row(b, "p", 3, 400, "p")
    cut = {"p": [rows[0], rows[1], right2, right3], "q": [left2, left3], "s": rows[4:]}
    blocks = [Block(k, [Line(ln.id, ln.words, ln.box, k) for ln in v]) for k, v in cut.items()]
    rp = repair_page(OcrPage(1000, 1400, blocks), lex)
    assert _words(rp.paragraphs) == _text(MAIN)


def test_pieces_of_a_column_s_lines_read_apart_do_not_stop_it_following_its_column(lex):
    """As `test_column_read_across_a_picture_set_into_it_follows_its_column`, but Tesseract
    split column 1's last two lines over the picture at a wide space and read their left
    pieces as a block right after the column (`oldbooks_j066` beside two pages, bench.stress
    `cols3`): pieces of the column's own lines, read in its own band, are no sign that the
    column ends there; it still runs on under the picture."""
    b = PageBuilder()
    _picture_across_two_columns(b, caption=True)
    rows = b.blocks["c1"]
    left3, right3 = _cut_row(b, "c1", 3, 400, "c1")
    left4, right4 = _cut_row(b, "c1", 4, 400, "c1")
    b.blocks["c1"] = [*rows[:3], right3, right4]
    b.blocks["c1p"] = [Line(ln.id, ln.words, ln.box, "c1p") for ln in (left3, left4)]
    page = b.page(["c1", "c1p", "c2", "cap", "c1b", "c2b", "c3"])
    page.regions = [(100, 460, 1600, 800)]
    rp = repair_page(page, lex)
    words = _words(rp.paragraphs)
    markers = ("Valuation.", "delegations", "agenda", "Soviets", "replied", "Later", "foreign")
    order_ = [words.index(w) for w in markers]
    assert order_ == sorted(order_)
    assert "read across a picture or a gap" in rp.stats["reading_order_reason"]
