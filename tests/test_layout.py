"""Stage 3 reading order on rendered newspaper pages read by the real Tesseract stages, and the
layout helpers (rule marks, bullets, XY-cut) on hand-built lines."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace

import pytest

from bench.pagegen import BULLET, PageSpec, render_page, save_page
from pipeline import lexicon, ocr, preprocess
from pipeline.fileio import read_json
from pipeline.metrics import cer
from pipeline.model import Action, Block, Line, OcrPage, Word, union
from pipeline.options import Options
from pipeline.repair import layout, paragraphs, regions, repair_page, specks, typesize, xycut
from pipeline.repair.hyphens import is_split_candidate

# 3 columns, 2-line headline, photo with caption and credit, column rules, bullet items; its
# column 1 ends in a split word (`ad-`) and it has a compound broken at a line end.
SPEC = PageSpec(
    seed=5,
    columns=3,
    headline_lines=2,
    photo=True,
    rules=True,
    bullets=True,
    width_in=6.5,
    height_in=7.0,
)


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    """One Tesseract run shared by the tests: (page image path, ocr page, repaired, gt, info)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    d = tmp_path_factory.mktemp("layout")
    img, gt, info = render_page(SPEC)
    save_page(img, d / "page.png")
    preprocess.run(d / "page.png", 0, d / "1-preprocess", Options())
    ocr.run(d / "1-preprocess", d / "2-ocr", Options())
    page = OcrPage.from_json(read_json(d / "2-ocr" / "ocr.json"))
    rp = repair_page(page, lexicon.load("eng"))
    return d / "page.png", page, rp, gt.strip().split("\n\n"), info


def test_headline_merged_first_then_byline(read):
    _, _, rp, gt, _ = read
    head, by = rp.paragraphs[0], rp.paragraphs[1]
    assert head.kind == "headline" and len(head.lines) == 2
    assert head.text == gt[0]
    assert by.kind == "byline" and by.text == gt[1]


def test_body_paragraphs_in_ground_truth_order(read):
    _, _, rp, gt, _ = read
    body = [p.text for p in rp.paragraphs if p.kind == "body"]
    assert len(body) == len(gt) - 4  # headline, byline, caption, credit
    for got, want in zip(body, gt[2:-2], strict=True):
        assert cer(got, want) < 0.02, (got[:60], want[:60])


def test_columns_read_left_to_right(read):
    """The first words of each column's top line appear in the text in column order."""
    _, page, rp, _, info = read
    body = " ".join(p.text for p in rp.paragraphs if p.kind == "body")
    captions = {lid for p in rp.paragraphs if p.kind == "caption" for lid in p.lines}
    starts = []
    for x0, _y0, x1, _ in info["column_boxes"]:
        inside = [ln for ln in page.lines() if x0 - 5 <= ln.box[0] and ln.box[2] <= x1 + 5]
        inside = [ln for ln in inside if len(ln.words) >= 3 and ln.id not in captions]
        top = min(inside, key=lambda ln: ln.box[1])
        starts.append(body.find(" ".join(w.text for w in top.words[1:3])))
    assert -1 not in starts and starts == sorted(starts)
    assert rp.stats["columns"] == 3


def test_caption_and_credit_after_the_body(read):
    _, _, rp, gt, _ = read
    cap, credit = rp.paragraphs[-2], rp.paragraphs[-1]
    assert cap.kind == credit.kind == "caption"
    assert cap.text == gt[-2] and credit.text == gt[-1]
    notes = [d.reason for d in rp.decisions if d.action == "order"]
    assert any(n.startswith("caption under a picture") for n in notes)
    assert any(n.startswith("credit under a picture") for n in notes)


def test_word_split_across_column_break_joined(read):
    _, page, rp, gt, info = read
    x0, _, x1, _ = info["column_boxes"][0]
    col1 = [ln for ln in page.lines() if x0 - 5 <= ln.box[0] and ln.box[2] <= x1 + 5]
    last = max(col1, key=lambda ln: ln.box[3])
    left = last.words[-1].text
    assert is_split_candidate(left)  # the page was picked for this
    join = next(d for d in rp.decisions if d.action == "join" and d.lines[0] == last.id)
    assert join.result in " ".join(gt).split() and join.result in rp.text.split()
    assert left not in rp.text.split()


def test_compound_at_line_end_kept(read):
    _, _, rp, gt, _ = read
    keeps = [d.result for d in rp.decisions if d.action == "keep"]
    assert keeps and all(k in " ".join(gt) and k in rp.text for k in keeps)


def test_bullets_restored(read):
    _, _, rp, gt, _ = read
    want = [p for p in gt if p.startswith(BULLET + " ")]
    got = [p.text for p in rp.paragraphs if p.text.startswith(BULLET + " ")]
    assert len(want) >= 2 and got == want


def test_no_rule_marks_left(read):
    _, _, rp, _, _ = read
    assert not [t.text for p in rp.paragraphs for t in p.tokens if set(t.text) <= set("_|¦-—=")]


def test_far_better_than_plain_tesseract(read):
    image, _, rp, gt, _ = read
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    plain = subprocess.run(
        ["tesseract", str(image), "-"], capture_output=True, text=True, env=env, check=True
    ).stdout
    truth = "\n\n".join(gt)
    assert cer(rp.text, truth) < 0.25 * cer(plain, truth)


def test_ocr_json_keeps_picture_and_rule_regions(read):
    _, page, _, _, info = read
    pics = regions.pictures(page, typesize.body_size(page.lines()))
    px0, py0, px1, py1 = info["photo_box"]
    assert any(abs(p[0] - px0) < 40 and abs(p[3] - py1) < 40 for p in pics)
    again = OcrPage.from_json(page.to_json())
    assert again.regions == page.regions
    old = page.to_json()
    del old["regions"]
    assert OcrPage.from_json(old).regions == []


# ---------------------------------------------------------------- hand-built lines


def _line(lid: str, words: list[tuple[str, tuple[int, int, int, int]]]) -> Line:
    ws = [Word(f"{lid}w{i}", t, b, 90.0) for i, (t, b) in enumerate(words)]
    return Line(lid, ws, (ws[0].box[0], 0, ws[-1].box[2], 40))


def test_rule_marks_stripped_letters_and_dashes_kept():
    lines = [
        _line(
            "a", [("came", (0, 10, 80, 40)), ("_", (90, 0, 94, 42)), ("mud", (100, 10, 160, 40))]
        ),
        _line("b", [("a_barkeeper", (0, 0, 200, 40)), ("|", (230, 0, 233, 40))]),
        _line("c", [("and", (0, 0, 50, 40)), ("I", (60, 0, 68, 40)), ("—", (80, 18, 120, 22))]),
        _line(
            "d", [("tilted", (0, 0, 90, 40)), ("=", (140, 0, 160, 44)), ("back", (200, 0, 260, 40))]
        ),
    ]
    out, decisions = specks.strip_rule_marks(lines, 36.0)
    # `a_barkeeper` is left to junk.underscores, the policy text input shares
    assert [ln.text for ln in out] == ["came mud", "a_barkeeper", "and I —", "tilted back"]
    assert [d.lines for d in decisions] == [["a"], ["b"], ["d"]]
    assert all(d.action == "strip" for d in decisions)


def _row(lid: str, y: int, words: list[tuple[str, int, int]]) -> Line:
    ws = [Word(f"{lid}w{i}", t, (x0, y, x1, y + 30), 90.0) for i, (t, x0, x1) in enumerate(words)]
    return Line(lid, ws, (ws[0].box[0], y, ws[-1].box[2], y + 30))


def test_a_bar_between_words_of_one_column_is_the_pronoun_i():
    # multi-heavy-10 of bench.articlegen: `and | left in obscurity`, the `I` read by its stroke
    above = _row("a", 0, [("not", 0, 40), ("one", 50, 100), ("of", 110, 130), ("them", 140, 200)])
    bar = _row("b", 40, [("and", 0, 40), ("|", 51, 55), ("left", 72, 110), ("in", 120, 140)])
    below = _row("c", 80, [("obscurity", 0, 120), ("for", 130, 170), ("years", 180, 240)])
    out, decisions = specks.strip_rule_marks([above, bar, below], 30.0)
    assert out[1].text == "and I left in"
    assert [d.action for d in decisions] == ["mark"]
    # the same bar in a gutter the lines around leave empty is a column rule: stripped
    left = _row("d", 0, [("not", 0, 40)])
    right = _row("e", 0, [("them", 72, 110)])
    ruled = _row("f", 40, [("and", 0, 40), ("|", 51, 55), ("left", 72, 110)])
    out, _ = specks.strip_rule_marks([left, right, ruled], 30.0)
    assert out[2].text == "and left"
    # at a line's end, before a lower-case word opening the line under it, and after a quote
    end = _row("h", 40, [("home", 0, 60), ("till", 70, 110), ("|", 121, 125)])
    under = _row("i", 80, [("was", 0, 40), ("a", 50, 60), ("pilot", 70, 130)])
    quoted = _row("j", 120, [('"|', 0, 12), ("do,", 22, 60), ("said", 70, 120)])
    out, _ = specks.strip_rule_marks([above, end, under, quoted], 30.0)
    assert [ln.text for ln in out[1:]] == ["home till I", "was a pilot", '"I do, said']
    # nor before a capital (`| The`), nor a bar as tall as two lines
    cap = _row("g", 40, [("and", 0, 40), ("|", 51, 55), ("The", 72, 110), ("in", 120, 140)])
    out, _ = specks.strip_rule_marks([above, cap, below], 30.0)
    assert out[1].text == "and The in"


def test_bullet_restored_only_for_a_square_glyph_at_the_line_start():
    square = _line("a", [(">", (0, 8, 24, 32)), ("The", (44, 0, 100, 30))])
    wide = _line("b", [(">", (0, 16, 60, 22)), ("The", (80, 0, 140, 30))])
    glued = _line("c", [("»The", (0, 0, 90, 30)), ("river", (100, 0, 170, 30))])
    inside = _line(
        "d", [("more", (0, 0, 70, 30)), (">", (80, 8, 104, 32)), ("than", (120, 0, 180, 30))]
    )
    out, decisions = specks.restore_bullets([square, wide, glued, inside], 36.0)
    assert [ln.text for ln in out] == [
        f"{BULLET} The",
        "> The",
        f"{BULLET} The river",
        "more > than",
    ]
    assert [d.lines for d in decisions] == [["a"], ["c"]]
    assert all(d.action == Action.MARK for d in decisions)  # a mark put right, not a strip


def _col(prefix: str, x: int, y: int, n: int, width: int = 400) -> list[Line]:
    return [_box_line(f"{prefix}{i}", x, y + 47 * i, width) for i in range(n)]


def _box_line(lid: str, x: int, y: int, width: int) -> Line:
    return Line(
        lid, [Word(lid + "w", "word", (x, y, x + width, y + 36))], (x, y, x + width, y + 36)
    )


def test_xy_cut_reads_band_then_columns_despite_a_nibbling_speck():
    byline = _box_line("by", 300, 100, 500)  # over the gutter between columns 1 and 2
    c1 = _col("a", 100, 200, 6)
    c2 = _col("b", 560, 200, 6)
    c1[2] = _box_line("a2", 100, 200 + 47 * 2, 420)  # a speck after a hyphen reaches 20 px in
    by, rest = regions.byline_band([byline, *c2, *c1], 36.0)
    assert [ln.id for ln in by] == ["by"]
    segs = xycut.order_body(rest, 36.0)
    assert [[ln.id for ln in s.lines] for s in segs] == [
        [f"a{i}" for i in range(6)],
        [f"b{i}" for i in range(6)],
    ]
    assert xycut.count_columns(segs) == 2


def test_baseline_aligned_columns_are_not_cut_into_rows():
    segs = xycut.order_body(_col("b", 560, 200, 5) + _col("a", 100, 200, 5), 36.0)
    assert [s.lines[0].id for s in segs] == ["a0", "b0"]


# ---------------------------------------------------------------- degraded pages, hand-built

WORDS = (
    "the river ran past our town and every morning a steamboat came up from below "
    "while the boys watched from the wharf and dreamed of being pilots one day"
).split()
SIZE = 25  # type size in px; lines sit PITCH apart
PITCH = 31


def _word_box(text: str, x: int, base: int, size: float, inflated: bool) -> tuple:
    """A word's box as Tesseract gives it: tight around its letters, or (inflated) as tall as
    the line pitch whatever its letters, as on some degraded pages."""
    width = round(0.45 * size * len(text))
    if inflated:
        return (x, base - round(0.95 * size), x + width, base + round(0.3 * size))
    top = 0.72 if any(c in typesize.ASCENDERS for c in text) else 0.5
    bottom = 0.22 if any(c in typesize.DESCENDERS for c in text) else 0.0
    return (x, base - round(top * size), x + width, base + round(bottom * size))


def _text_line(
    lid: str, x: int, base: int, texts: list[str], size: float = SIZE, inflated=False
) -> Line:
    words = []
    for i, t in enumerate(texts):
        box = _word_box(t, x, base, size, inflated)
        words.append(Word(f"{lid}w{i}", t, box, 90.0))
        x = box[2] + round(0.3 * size)
    return Line(lid, words, union([w.box for w in words]))


def _column(prefix: str, x: int, base: int, n: int, inflate=lambda i: False, k0=0) -> list[Line]:
    """n lines of about 330 px of text, one PITCH apart."""
    out = []
    for i in range(n):
        k = (k0 + 5 * i) % len(WORDS)
        texts = (WORDS * 2)[k : k + 5]
        out.append(_text_line(f"{prefix}{i}", x, base + PITCH * i, texts, inflated=inflate(i)))
    return out


def _page(lines: list[Line], regions=()) -> OcrPage:
    return OcrPage(1900, 2400, [Block("b1", lines)], list(regions))


def test_line_high_word_boxes_make_neither_captions_nor_headline():
    """Over half the body lines have pitch-high word boxes (news-heavy-07), and the tops of
    column 3 do too, in words without ascenders (news-heavy-00): the type size comes from the
    pitch, so no body line is taken for small caption type or for a headline."""
    head = _text_line("h", 300, 140, ["RIVER", "TOWN", "NEWS"], size=75)
    by = _text_line("by", 700, 240, ["By", "Our", "Correspondent"])
    cols = [
        _column("a", 180, 340, 30, inflate=lambda i: i % 2 == 0 or i % 7 == 3),
        _column("b", 600, 340, 30, inflate=lambda i: i % 2 == 1, k0=3),
        _column("c", 1020, 340, 30, inflate=lambda i: i < 2 or i % 3 == 0, k0=7),
    ]
    cols[2][0] = _text_line("c0", 1020, 340, ["once", "more", "a", "new", "omen"], inflated=True)
    cols[2][1] = _text_line("c1", 1020, 371, ["we", "were", "on", "same", "van"], inflated=True)
    lay = layout.analyse(_page([head, by, *cols[0], *cols[1], *cols[2]]))
    assert 0.8 * SIZE <= lay.size <= 1.2 * SIZE
    assert [ln.id for ln in lay.headline] == ["h"]
    assert [ln.id for ln in lay.byline] == ["by"]
    assert lay.captions == []
    assert [[ln.id for ln in s.lines] for s in lay.body] == [[ln.id for ln in c] for c in cols]


def test_small_type_without_a_picture_needs_several_signals():
    """A credit in small, narrow type set apart is a caption; body lines that only measure
    small (tight boxes among inflated ones) but sit at body pitch in a column are not."""
    col = _column("a", 180, 340, 20, inflate=lambda i: i % 3 != 0)
    credit = _text_line("cr", 700, 400, ["Photograph", "by", "Mary", "Conolly."], size=18)
    lay = layout.analyse(_page([*col, credit]))
    assert _caption_ids(lay) == [["cr"]]
    assert [ln.id for s in lay.body if s.kind == "body" for ln in s.lines] == [ln.id for ln in col]


def _caption_ids(lay: layout.Layout) -> list[list[str]]:
    """Captions, moved after the body or (one-column page) marked where they were read."""
    marked = [s.lines for s in lay.body if s.kind == "caption"]
    return [[ln.id for ln in c] for c in lay.captions + marked]


def _photo_page():
    """4 columns; a picture across columns 2-3 in the middle of the page, with a caption and
    a credit under it, and a line of column 3 under it that reaches into the gutter, so that
    no gutter runs down columns 2-3 (news-heavy-10)."""
    c1 = _column("a", 100, 300, 40)
    b_above, b_below = _column("b", 500, 300, 12, k0=2), _column("e", 500, 1210, 12, k0=6)
    x3 = max(ln.box[2] for ln in b_above + b_below) + 40
    c_above, c_below = _column("c", x3, 300, 12, k0=4), _column("f", x3, 1210, 12, k0=8)
    c_below[5] = _text_line("f5", x3 - 30, 1210 + 5 * PITCH, ["that", "this", "Interest"])
    x4 = max(ln.box[2] for ln in c_above + c_below) + 40
    c4 = _column("d", x4, 300, 40, k0=9)
    pic = (500, 300 + 12 * PITCH, max(ln.box[2] for ln in c_above), 1100)
    caption = _text_line("cap", 500, 1130, ["A", "steamboat", "at", "the", "wharf", "below"] * 2)
    credit = _text_line("cred", pic[2] - 175, 1156, ["Photograph", "by", "Conolly."], size=18)
    lines = [*c1, *b_above, *c_above, caption, credit, *b_below, *c_below, *c4]
    return lines, pic, [c1, b_above, b_below, c_above, c_below, c4]


def test_mid_page_picture_keeps_each_column_together():
    lines, pic, want = _photo_page()
    lay = layout.analyse(_page(lines, [pic]))
    assert [[ln.id for ln in c] for c in lay.captions] == [["cap"], ["cred"]]
    assert [[ln.id for ln in s.lines] for s in lay.body] == [[ln.id for ln in c] for c in want]
    assert lay.columns == 4


def test_whitespace_band_without_a_picture_is_still_read_band_by_band():
    """The column order across the band comes from the picture, not from the band alone."""
    lines, pic, (c1, b_above, b_below, c_above, c_below, c4) = _photo_page()
    body = [ln for ln in lines if ln.id not in ("cap", "cred")]
    order = [[ln.id for ln in s.lines] for s in xycut.order_body(body, SIZE)]
    assert order == [[ln.id for ln in c] for c in (c1, b_above, c_above, b_below, c_below, c4)]
    order = [[ln.id for ln in s.lines] for s in xycut.order_body(body, SIZE, pics=(pic,))]
    assert order == [[ln.id for ln in c] for c in (c1, b_above, b_below, c_above, c_below, c4)]


def test_caption_of_four_lines_keeps_its_credit_and_a_flush_left_short_line():
    """Under a picture: 4 caption lines (the third in tighter boxes, measuring smaller) and a
    credit set in from the left in small type, then body text close below."""
    pic = (100, 100, 500, 400)
    cap = [
        _text_line(f"k{i}", 100, 430 + 28 * i, t, size=22)
        for i, t in enumerate(
            [
                ["Drays", "carts", "men", "boys"],
                ["go", "hurrying", "from", "many"],
                ["one", "common", "event"],
                ["the", "wharf."],
            ]
        )
    ]
    cap[2] = _text_line("k2", 100, 430 + 56, ["on", "sure", "source", "a"], size=17)
    credit = _text_line("cr", 260, 560, ["Photograph", "by", "Lindsay."], size=17)
    body = _column("a", 100, 610, 10)
    lay = layout.analyse(_page([*cap, credit, *body], [pic]))
    assert _caption_ids(lay) == [[ln.id for ln in cap], ["cr"]]


def test_speck_is_not_a_bullet_but_bullet_sized_marks_before_a_capital_are():
    s = float(SIZE)
    speck_lower = _line("a", [("*", (0, 10, 4, 14)), ("the", (20, 0, 60, 18))])
    speck_upper = _line("b", [("*", (0, 10, 5, 15)), ("The", (24, 0, 64, 18))])
    big_lower = _line("c", [(">", (0, 4, 16, 20)), ("same", (30, 4, 90, 18))])
    real = _line("d", [(">", (0, 4, 17, 21)), ("The", (30, 0, 70, 18))])
    odd = _line("e", [("®»", (0, 4, 16, 21)), ("Assembled", (30, 0, 140, 18))])
    quoted = _line("f", [("»", (0, 4, 14, 21)), ("“I", (30, 0, 44, 18)), ("do", (50, 4, 70, 18))])
    star = _line("g", [("*", (0, 2, 9, 11)), ("Note", (30, 0, 80, 18))])
    glued = _line("h", [("*The", (0, 0, 50, 18)), ("river", (60, 0, 110, 18))])
    lines = [speck_lower, speck_upper, big_lower, real, odd, quoted, star, glued]
    out, decisions = specks.restore_bullets(lines, s)
    assert [d.lines[0] for d in decisions] == ["a", "b", "d", "e", "f", "g"]
    assert [d.reason.startswith("speck") for d in decisions] == [True, True] + [False] * 4
    first = [ln.words[0].text for ln in out]
    assert first == ["the", "The", ">", BULLET, BULLET, BULLET, BULLET, "*The"]


def test_specks_removed_so_lines_keep_their_column_edge():
    """A speck read as `*` or `+` before a turn-over line is dropped with its box (the line
    then starts at its text), and a line of nothing but a speck goes."""
    speck = _line("a", [("*", (100, 10, 105, 15)), ("the", (120, 0, 160, 18))])
    dot = Line("b", [Word("bw0", ".", (300, 5, 306, 11), 40.0)], (300, 5, 306, 11))
    out, decisions = specks.restore_bullets([speck], float(SIZE))
    assert out[0].text == "the" and out[0].box[0] == 120 and decisions[0].lines == ["a"]
    out, decisions = specks.strip_rule_marks([dot, speck], float(SIZE))
    assert [ln.id for ln in out] == ["a"] and decisions[0].lines == ["b"]


def test_a_tall_word_box_does_not_put_the_next_line_first():
    """`words` boxed from the line's top to the next line's bottom (news-heavy-09): the line
    under it, starting 1 px further left, still comes after it."""
    a = _text_line("a", 1222, 2031, ["shoulder", "and", "short", "words", "from", "mates"])
    tall = a.words[3]
    a.words[3] = Word(tall.id, tall.text, (tall.box[0], tall.box[1], tall.box[2], 2053), 90.0)
    a = Line("a", a.words, union([w.box for w in a.words]))
    b = _text_line("b", 1221, 2060, ["clerks."])
    assert [ln.id for ln in typesize.top_down([b, a])] == ["a", "b"]


def test_pieces_of_one_printed_line_joined():
    """Tesseract split one justified line at a wide space into two lines side by side."""
    col = _column("a", 100, 300, 6)
    left = _text_line("p", 100, 300 + 6 * PITCH, ["Christmas", "a", "humbug,"])
    right = _text_line("q", 400, 300 + 6 * PITCH - 1, ["uncle!", "said"])
    lay = layout.analyse(_page([*col, left, right, *_column("z", 100, 300 + 7 * PITCH, 3)]))
    lines = [ln for s in lay.body for ln in s.lines]
    joined = next(ln for ln in lines if ln.id == "p")
    assert joined.text == "Christmas a humbug, uncle! said" and "q" not in [x.id for x in lines]
    assert ("pieces of one printed line side by side: joined", ["p", "q"]) in lay.notes


def _page_with_credit(tmp_path, turn: int):
    """A rendered page of body text with a photo credit set beside it, turned `turn` degrees
    counter-clockwise (90: reading upward), through stages 1-3."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.drawing import LINES, SERIF, text_page

    os.environ["OMP_THREAD_LIMIT"] = "1"
    body = text_page(LINES + LINES[:3], size=40)
    credit = "PHOTOGRAPH BY JOHN SMITH FOR THE DAILY HERALD"
    font = ImageFont.truetype(SERIF, 28)
    strip = Image.new("L", (int(font.getlength(credit)) + 10, 40), 255)
    ImageDraw.Draw(strip).text((5, 2), credit, font=font, fill=0)
    strip = strip.rotate(turn, expand=True)
    page = Image.new("L", (body.width + 80, body.height), 255)
    page.paste(body, (0, 0))
    page.paste(strip, (body.width + 10, 60))
    page.save(tmp_path / "page.png", dpi=(300, 300))
    preprocess.run(tmp_path / "page.png", 0, tmp_path / "1-preprocess", Options())
    ocr.run(tmp_path / "1-preprocess", tmp_path / "2-ocr", Options())
    ocr_page = OcrPage.from_json(read_json(tmp_path / "2-ocr" / "ocr.json"))
    return repair_page(ocr_page, lexicon.load("eng"))


def test_a_credit_set_sideways_is_its_own_paragraph_after_the_body(tmp_path):
    """A photo credit printed up the page's edge: Tesseract reads it as a line far taller than
    wide. It used to run on as the next line of the column beside it, into its last sentence."""
    rp = _page_with_credit(tmp_path, 90)
    *body_paras, last = rp.paragraphs
    assert last.kind == "caption" and "DAILY HERALD" in last.text
    assert not any("HERALD" in p.text or "PHOTOGRAPH" in p.text for p in body_paras)
    assert body_paras[-1].text.endswith("the engineer,")
    assert any("sideways" in d.reason for d in rp.decisions)


def test_a_page_mostly_set_sideways_keeps_its_lines_as_its_text():
    """A page scanned turned reads as tall lines throughout: they are its text, not margin
    notes, so none is set aside."""
    tall = [
        Line(
            f"l{i}",
            [Word(f"w{i}", "sideways words here", (100 + 40 * i, 100, 130 + 40 * i, 900), 90.0)],
            (100 + 40 * i, 100, 130 + 40 * i, 900),
            "b1",
        )
        for i in range(6)
    ]
    upright = [_line("u1", [("Upright", (100, 1000, 300, 1030)), ("line", (310, 1000, 400, 1030))])]
    assert layout.sideways(tall[0]) and not layout.sideways(upright[0])
    assert layout.set_aside(tall + upright) == []
    assert [ln.id for ln in layout.set_aside(upright + tall[:1])] == []  # 17 of 28 letters sideways
    lay = layout.analyse(_page(tall + upright))
    assert not any("sideways" in note for note, _ in lay.notes)


def test_a_credit_running_downward_is_read_again_turned_upright(tmp_path):
    """The same credit running downward: Tesseract reads it upside down and unsure (`CTVUH
    ATIVG AHL` for HERALD DAILY THE, confidence 23-55); stage 2 cuts the line out, turns it
    upright and reads it again, and the credit goes after the body as the upward one does."""
    rp = _page_with_credit(tmp_path, 270)
    *body_paras, last = rp.paragraphs
    assert last.kind == "caption" and "PHOTOGRAPH BY JOHN SMITH" in last.text
    assert body_paras[-1].text.endswith("the engineer,")
    stats = read_json(tmp_path / "2-ocr" / "ocr.json")["stats"]
    assert stats["sideways_reread"] == 1
    cuts = sorted(p.name for p in (tmp_path / "2-ocr").glob("sideways-*.png"))
    assert [c.split("-")[-1] for c in cuts] == ["turned.png", "upright.png"]


def test_a_line_set_sideways_and_read_unsure_is_dropped():
    """The scanned edge of the next page, read as a line far taller than wide (book page
    a006 turned 3 degrees: `he ae oe. —>`, whose short words pass for known ones), read unsure
    even turned upright: no text, dropped; a sure sideways credit stays."""
    body = _column("a", 100, 300, 8)
    edge = Line(
        "e",
        [
            Word("e1", "he", (1800, 700, 1830, 760), 62.0),
            Word("e2", "ae", (1800, 800, 1830, 860), 50.0),
            Word("e3", "oe.", (1800, 900, 1830, 980), 31.0),
            Word("e4", "—>", (1800, 1000, 1830, 1240), 27.0),
        ],
        (1800, 700, 1830, 1240),
    )
    words = [
        Word(f"c{i}", t, (1700, 300 + 150 * i, 1725, 420 + 150 * i), 90.0)
        for i, t in enumerate(["PHOTO", "BY", "JOHN", "SMITH"])
    ]
    credit = Line("c", words, (1700, 300, 1725, 870))
    rp = repair_page(_page([*body, edge, credit]), lexicon.load("eng"))
    dropped = [d for d in rp.decisions if d.action == "drop"]
    assert [d.original for d in dropped] == ["he ae oe. —>"]
    assert "sideways read unsure" in dropped[0].reason
    assert rp.paragraphs[-1].text == "PHOTO BY JOHN SMITH"


def _figure_page(label_lines: int) -> OcrPage:
    """A book page: a paragraph ending `In ex-`, a figure holding lettering (its own block of
    Tesseract's, `label_lines` lines), and the text running on under the figure (d037)."""
    top = [
        _text_line("t0", 100, 200, ["The", "lid", "can", "then", "be", "raised", "by", "hand."]),
        _text_line(
            "t1", 100, 200 + PITCH, ["It", "swings", "back", "on", "its", "hinges.", "In", "ex-"]
        ),
    ]
    pic = (90, 300, 900, 800)
    label = [
        replace(
            _text_line(
                f"f{i}", 130, 360 + 40 * i, (["THE", "OLD"], ["SWORD"], ["KIST"], ["CHEST"])[i]
            ),
            block="bf",
        )
        for i in range(label_lines)
    ]
    under = [
        _text_line("u0", 100, 850, ["actly", "the", "same", "manner", "the", "floor", "can", "be"]),
        _text_line("u1", 100, 850 + PITCH, ["raised", "and", "the", "chest", "lifted", "out."]),
    ]
    blocks = [
        Block("b1", top),
        Block("bf", label),
        Block("b2", under),
    ]
    return OcrPage(1000, 1200, blocks, [pic])


def test_lettering_in_a_figure_does_not_cut_a_split_word_from_its_second_half():
    rp = repair_page(_figure_page(1), lexicon.load("eng"))
    texts = [p.text for p in rp.paragraphs]
    assert any("hinges. In exactly the same manner" in t for t in texts), texts
    assert texts[-1] == "THE OLD"  # the lettering kept, a paragraph of its own after the text
    assert [p.kind for p in rp.paragraphs] == ["body", "caption"]
    moved = [d for d in rp.decisions if "past lettering in a figure" in d.reason]
    assert [d.original for d in moved] == ["THE OLD"]


def test_a_picture_box_holding_a_column_gives_no_lettering():
    # a photo's region box can take in the column set round its corner (multicol_08): a
    # block of four lines there is a column, and a short block beside it may be its end
    page = _figure_page(4)
    segs = [xycut.Segment(b.lines) for b in page.blocks]
    assert paragraphs.figure_text(segs, tuple(page.regions), SIZE) == {}
    column_end = replace(page.blocks[0].lines[0], id="e0", block="be")
    column_end = replace(column_end, box=(130, 700, 400, 725))
    segs.append(xycut.Segment([column_end]))
    assert paragraphs.figure_text(segs, tuple(page.regions), SIZE) == {}
    short = _figure_page(1)
    segs = [xycut.Segment(b.lines) for b in short.blocks]
    assert paragraphs.figure_text(segs, tuple(short.regions), SIZE) == {"f0": (90, 300, 900, 800)}


def _swallowed() -> tuple[list[Line], Line]:
    """The text over `_figure_page`'s figure, and the line under it that the picture's box
    takes in, read as a block of its own."""
    top = _figure_page(0).blocks[0].lines
    words = ["actly", "the", "same", "manner", "the", "floor", "can", "be"]
    return top, replace(_text_line("s0", 100, 850, words), block="bs")


def _under(block: str, rows: list[list[str]], first: int) -> list[Line]:
    """Lines of the column under the figure, from row `first` under the swallowed line."""
    return [
        replace(_text_line(f"{block}{i}", 100, 850 + PITCH * (i + first), r), block=block)
        for i, r in enumerate(rows)
    ]


def test_a_line_under_a_figure_that_its_picture_box_takes_in_is_no_lettering():
    """Tesseract's picture box can take in the first line under a photo, which it then reads
    as a short block of its own (a book page with a picture set in, bench.stress `pic2`). It
    is a line of the column under it: from the same left edge, in the same type, straight
    over the column's next line. Read as lettering it was moved after the sentence it stands
    in; it stays in place."""
    top, swallowed = _swallowed()
    rows = [
        ["raised", "and", "the", "chest", "lifted", "out", "of", "its"],
        ["place", "so", "that", "the", "floor", "under", "it", "may"],
        ["be", "swept", "and", "the", "boards", "made", "good", "again"],
        ["before", "the", "chest", "is", "put", "back.", "It", "ends."],
    ]
    pic = (90, 300, 900, 860)
    blocks = [Block("b1", top), Block("bs", [swallowed]), Block("b2", _under("b2", rows, 1))]
    rp = repair_page(OcrPage(1000, 1200, blocks, [pic]), lexicon.load("eng"))
    assert [p.kind for p in rp.paragraphs] == ["body"]
    assert "In exactly the same manner the floor can be raised" in rp.paragraphs[0].text
    assert not [d for d in rp.decisions if "lettering" in d.reason]


def test_a_line_under_a_figure_over_a_short_block_of_the_column_is_no_lettering():
    """As above, but Tesseract cut the column under the swallowed line into a short block
    (two lines) and a longer one a few lines on (book page `d029` with a picture set in,
    bench.stress `pic2`): the line straight under it is the column's all the same, for it
    stands outside the picture."""
    top, swallowed = _swallowed()
    rows = [
        ["raised", "and", "the", "chest", "lifted", "out", "of", "its"],
        ["place", "so", "that", "the", "floor", "under", "it", "may"],
    ]
    short = _under("b2", rows, 1)
    rows = [
        ["be", "swept", "and", "the", "boards", "made", "good", "again"],
        ["before", "the", "chest", "is", "put", "back", "in", "its"],
        ["place", "by", "the", "wall", "where", "it", "stood.", "It"],
        ["was", "a", "long", "task", "for", "them", "both", "that", "day."],
    ]
    below = _under("b3", rows, 5)
    pic = (90, 300, 900, 860)
    blocks = [Block("b1", top), Block("bs", [swallowed]), Block("b2", short), Block("b3", below)]
    segs = [xycut.Segment(b.lines) for b in blocks]
    assert paragraphs.figure_text(segs, (pic,), SIZE) == {}
    rp = repair_page(OcrPage(1000, 1400, blocks, [pic]), lexicon.load("eng"))
    assert "In exactly the same manner the floor can be raised" in rp.paragraphs[0].text
    assert not [d for d in rp.decisions if "lettering" in d.reason]


def test_a_column_last_line_set_apart_still_ends_its_paragraph():
    """Tesseract may make a column's short last line a block of its own (multicol_01): it is
    judged against its column's right edge, so the next column's first line (a sidebar's
    heading) starts a paragraph rather than running on into the article's last one."""
    col = _column("a", 180, 340, 8)
    last = _text_line("z", 180, 340 + 9 * PITCH, ["ends", "here."])
    side = _column("s", 700, 340, 3, k0=4)
    blocks = paragraphs.split_segments(
        [xycut.Segment(col), xycut.Segment([last]), xycut.Segment(side)], SIZE
    )
    assert [[ln.id for ln in b.lines] for b in blocks] == [
        [ln.id for ln in col] + ["z"],
        [ln.id for ln in side],
    ]


def test_a_gap_between_blocks_of_one_column_breaks_the_paragraph_unless_the_text_runs_on():
    """A heading Tesseract set apart as a block of its own, a gap, then its text below: two
    paragraphs (the heading was run into the text). Text that runs on lower-case past the gap
    (a figure between) stays one paragraph."""
    head = _text_line("h", 180, 340, ["SPORTING", "NEWS", "OF", "THE", "WEEK"])
    body = _column("a", 180, 340 + 4 * PITCH, 4)
    body[0] = _text_line("a0", 180, 340 + 4 * PITCH, ["The", "committee", "met", "on", "it"])
    blocks = paragraphs.split_segments([xycut.Segment([head]), xycut.Segment(body)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["h"], [ln.id for ln in body]]
    cut = _text_line("c", 180, 340, ["which", "the", "council", "and", "mayor"])
    on = [_text_line("o0", 180, 340 + 6 * PITCH, ["had", "rejected", "twice"]), *body[1:]]
    blocks = paragraphs.split_segments([xycut.Segment([cut]), xycut.Segment(on)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["c"] + [ln.id for ln in on]]


def test_a_running_head_is_a_paragraph_of_its_own_though_the_text_under_it_runs_on():
    """A book page's text often starts mid-sentence under its running head (`THE BOY
    APPRENTICED TO AN ENCHANTER` / `story-teller's place and ...` ran on as one sentence on 55
    development pages): the page's top line, alone in its block, set apart by more than 1.25
    line pitches, is a head when it is set in from the column's edges or all capitals. A
    full-width lower-case line running on past the gap is still one paragraph (above), and so
    is a short line barely set apart (`Presidential and Senate races plus California` /
    `Proposition 61 ...`, each line its own block, 1.06 pitches apart)."""
    body = _column("a", 180, 340 + 2 * PITCH, 4)
    body[0] = _text_line("a0", 180, 340 + 2 * PITCH, ["place", "and", "fresh", "candles", "were"])
    ids = [ln.id for ln in body]
    for words in (["Boy", "Apprenticed", "37"], ["THE", "BOY", "APPRENTICED", "TO", "AN", "ENCH"]):
        head = _text_line("h", 180 + 2 * SIZE, 340, words)
        blocks = paragraphs.split_segments([xycut.Segment([head]), xycut.Segment(body)], SIZE)
        assert [[ln.id for ln in b.lines] for b in blocks] == [["h"], ids], words
    close = _text_line("h", 180, 340 + round(0.9 * PITCH), ["races", "plus", "it"])
    blocks = paragraphs.split_segments([xycut.Segment([close]), xycut.Segment(body)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["h", *ids]]
    # a spread: the second page's head is neither run into the first page's last sentence nor
    # into its own page's first
    right = [
        _text_line(f"r{i}", 900, 340 + (2 + i) * PITCH, [w.text for w in ln.words])
        for i, ln in enumerate(body)
    ]
    head2 = _text_line("h2", 900 + 2 * SIZE, 340, ["THE", "BRIDGE", "37"])
    left_head = _text_line("h", 180 + 2 * SIZE, 340, ["THE", "BRIDGE", "36"])
    segs = [xycut.Segment(s) for s in ([left_head], body, [head2], right)]
    blocks = paragraphs.split_segments(segs, SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [
        ["h"],
        ids,
        ["h2"],
        [ln.id for ln in right],
    ]


def _lines_at(prefix: str, rows: list[tuple[int, str]], base: int) -> list[Line]:
    """Lines of the given (x, text), one PITCH apart from `base`."""
    return [
        _text_line(f"{prefix}{i}", x, base + PITCH * i, text.split())
        for i, (x, text) in enumerate(rows)
    ]


def test_a_passage_set_in_from_the_column_runs_on_as_one_paragraph():
    """A quotation set in from the column (mss1288000636-15: `Over the horizon and the hills` /
    `the sun has appeared, the eternal` / ...) or lines set in beside a drop capital were a
    paragraph a line: every line looked like a first-line indent. A set-in line running to
    the column's right edge, followed lower-case by a line starting no further in, goes on.
    A centred heading before an indented first line, and the rows of a table set in, still
    break."""
    em = SIZE
    rows = [
        (180, "the committee met on the day to hear"),  # 0: body, flush
        (180, "the proposal for the new bridge that"),
        (180, "the council read aloud as follows:"),
        (180 + 2 * em, "over the horizon and the hills"),  # 3: quotation, set in
        (180 + em, "the sun has appeared, the very"),
        (180 + em, "symbol of hope and of life for"),
        (180 + em, "all of us who live here today and"),
        (180 + em, "for ever, as they say."),  # 7: quotation's last line, short
        (180 + em, "The members then voted on it."),  # 8: new paragraph, set in
        (180, "and the motion was carried by ten"),
    ]
    lines = _lines_at("q", rows, 340)
    right = sorted(ln.box[2] for ln in lines)[3 * len(lines) // 4]
    assert all(ln.box[2] >= right - 2 * em for ln in lines[3:7])  # the quotation is full
    blocks = paragraphs.split_segments([xycut.Segment(lines)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [
        ["q0", "q1", "q2"],
        ["q3", "q4", "q5", "q6", "q7"],
        ["q8", "q9"],
    ]
    # the lines beside a drop capital, the third a name after a line ending mid-sentence
    rows = [
        (180 + 2 * em, "HE question for our consideration is"),
        (180 + 2 * em, "whether the department set up for"),
        (180 + 2 * em, "Election Laws and Methods is a part"),
        (180, "of the work of the League of Women"),
        (180, "Voters, and so it ought to stay."),
    ]
    blocks = paragraphs.split_segments([xycut.Segment(_lines_at("d", rows, 340))], SIZE)
    assert [len(b.lines) for b in blocks] == [5]
    # a centred heading, then the first line of its text set in: two paragraphs
    rows = [
        (180 + 4 * em, "Tuning In On Moscow"),
        (180 + em, "Seven men were sentenced to prison"),
        (180, "the other day for listening to the"),
        (180, "radio tuned in on the city and so"),
    ]
    blocks = paragraphs.split_segments([xycut.Segment(_lines_at("h", rows, 340))], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["h0"], ["h1", "h2", "h3"]]
    # the rows of a table set in under its heading: a row does not run on into the next
    rows = [
        (180, "Earnings a share by quarter, in dollars"),
        (180 + 6 * em, "Q1 $2.03 $2.28 $2.75 $3.01"),
        (180 + 6 * em, "Q2 $2.12 $2.46 $2.89 $3.10"),
        (180 + 6 * em, "Q3 $2.31 $2.64 $3.15 $3.33"),
        (180, "Total shown as the sum of the four"),
    ]
    blocks = paragraphs.split_segments([xycut.Segment(_lines_at("t", rows, 340))], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["t0"], ["t1"], ["t2"], ["t3", "t4"]]


def test_a_stripped_margin_mark_does_not_move_its_column_edge():
    """Specks in the margin read as `~` or `,` before a few lines (EHRI-DR-19430127-US_02) are
    stripped, and the line is boxed round the words left: boxed as read, those lines set the
    column's left edge out in the margin, every other line looked indented and the page's
    paragraph came out a line a paragraph."""
    words = (WORDS * 3)[:40]
    lines = []
    for i in range(8):
        ln = _text_line(f"a{i}", 300, 340 + PITCH * i, words[5 * i : 5 * i + 5])
        if i in (1, 3, 5):
            mark = Word(f"m{i}", "~", (200, ln.box[1] + 5, 212, ln.box[1] + 12), 40.0)
            ln = Line(ln.id, [mark, *ln.words], union([mark.box, ln.box]))
        lines.append(ln)
    rp = repair_page(_page(lines), lexicon.load("eng"))
    assert "~" not in rp.text
    assert len(rp.paragraphs) == 1, rp.text


def test_a_short_line_before_a_jump_to_a_capital_ends_its_paragraph():
    """On a page of cards (mss3413201344-39) a card's last line stopping short of its column's
    edge, `AGRICULTURE`, ran on into the next card's `DAN D. QUINN`: at a jump to another
    column, a short line ends its paragraph before a capital even without a full stop. A
    column's full last line still runs on into the next column, capital or not."""
    card = [
        (180, "Candidate for the office of the"),
        (180, "Commissioner of Mines and of the"),
        (180, "AGRICULTURE"),
    ]
    other = [(700, "DAN QUINN, who is the candidate"), (700, "for the Clerk of the County")]
    left, right = _lines_at("a", card, 340), _lines_at("b", other, 340)
    blocks = paragraphs.split_segments([xycut.Segment(left), xycut.Segment(right)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["a0", "a1", "a2"], ["b0", "b1"]]
    # a grid of cards, each centred line a block of its own (none looks short): the jump down
    # and back to the next row's first card opens a paragraph, a jump up to a column's top not
    cards = [
        _text_line("n1", 700, 340, ["DAN", "QUINN"]),
        _text_line("c1", 650, 340 + PITCH, ["Clerk", "of", "the", "County"]),
        _text_line("n2", 200, 340 + 5 * PITCH, ["TOM", "TERRELL"]),
        _text_line("c2", 150, 340 + 6 * PITCH, ["Secretary", "of", "State"]),
    ]
    blocks = paragraphs.split_segments([xycut.Segment([ln]) for ln in cards], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["n1", "c1"], ["n2", "c2"]]
    full = [*card[:2], (180, "office as the candidate of the")]
    left = _lines_at("a", full, 340)
    blocks = paragraphs.split_segments([xycut.Segment(left), xycut.Segment(right)], SIZE)
    assert len(blocks) == 1


def test_a_numbered_line_after_a_full_stop_starts_a_list_item():
    """A genealogy's children listed one a line (`2, Rhoda, born 1 April, 1787; died 14
    January, 1859.`, book page h038) ran together: each line ran to the column's edge. A
    line opening with a list number after a sentence's end starts an item; a number that
    goes on a sentence does not."""
    rows = [
        (180, "1. Platt, born 10 September, 1785; died 1865."),
        (180, "2, Rhoda, born 1 April, 1787; died 14 January."),
        (180, "3. Amos, born 6 February, 1789; died in June, at"),
        (180, "10, Water Street, where he had lived for years."),
        (180, "IV. Henry, son of the Hon. William Horton, was"),
    ]
    blocks = paragraphs.split_segments([xycut.Segment(_lines_at("n", rows, 340))], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [["n0"], ["n1"], ["n2", "n3"], ["n4"]]


def test_a_set_in_line_going_on_lower_case_mid_sentence_is_no_new_paragraph():
    """A typed report's side heading takes the margin of a paragraph's first two lines, so the
    second starts set in (YV3549264_09: `The Hangman. After a journey of three days and two
    nights the train` / `arrived at a railway siding`): a paragraph does not open lower-case
    in mid-sentence. A lettered item (`b) the ...`) still does, and so does a set-in line
    after a full stop."""
    rows = [
        (180, "The Hangman. After a journey of three days the train"),
        (180 + 10 * SIZE, "arrived at a siding on the 29th of"),
        (180, "September. It was dark, and we could not see it"),
        (180, "at all, as the station had no light of any kind:"),
        (180 + 2 * SIZE, "a) the first of the two things we saw was"),
        (180 + 2 * SIZE, "b) the second of them, which we saw later on"),
        (180, "in the night, when the rest were asleep. And so"),
        (180 + 2 * SIZE, "We were formed into files and had to pass"),
        (180, "an officer who sat on a chair in the yard."),
    ]
    blocks = paragraphs.split_segments([xycut.Segment(_lines_at("s", rows, 340))], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [
        ["s0", "s1", "s2", "s3"],
        ["s4"],
        ["s5", "s6"],
        ["s7", "s8"],
    ]


def test_a_heading_in_large_type_over_several_lines_stays_one_paragraph():
    """A heading not named the headline (text stands over it: a research note's header read
    over `Elections mark start of next` / `chapter in drug pricing` / `controversy`) is set at
    its large type's pitch, over 1.6 body pitches: its lines stay one paragraph. Lines that end
    a sentence, or of another size, or of another block, still part at such a gap."""
    big = 3 * SIZE
    body = [replace(ln, block="b9") for ln in _column("a", 180, 900, 4)]
    words = [["Elections", "mark", "start"], ["chapter", "in", "drug"], ["controversy"]]
    head = [
        replace(_text_line(f"h{i}", 180, 340 + i * 3 * PITCH, w, size=big), block="b1")
        for i, w in enumerate(words)
    ]
    blocks = paragraphs.split_segments([xycut.Segment(head + body)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks] == [
        ["h0", "h1", "h2"],
        [ln.id for ln in body],
    ]
    ended = [
        head[0],
        replace(head[1], words=[*head[1].words[:-1], replace(head[1].words[-1], text="drug.")]),
        head[2],
    ]
    blocks = paragraphs.split_segments([xycut.Segment(ended + body)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks][:2] == [["h0", "h1"], ["h2"]]
    apart = [head[0], replace(head[1], block="b2"), replace(head[2], block="b2")]
    blocks = paragraphs.split_segments([xycut.Segment(apart + body)], SIZE)
    assert [[ln.id for ln in b.lines] for b in blocks][:2] == [["h0"], ["h1", "h2"]]
