"""Stage 3 (repair) on hand-built OCR pages with realistic geometry and on raw OCR text."""

from __future__ import annotations

import json

import pytest

from pipeline import lexicon
from pipeline.model import Action, Block, Decision, Line, OcrPage, Word, page_text
from pipeline.options import Options
from pipeline.repair import repair_page, repair_text, run
from pipeline.repair.hyphens import decide
from pipeline.repair.junk import plausible, score_line, stray_dots, stray_prefix, stray_suffix
from pipeline.repair.textinput import decode

ASC = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'\"()")
DESC = set("gjpqy,;()")


@pytest.fixture(scope="module")
def lex():
    return lexicon.load("eng")


class PageBuilder:
    """Lays out words the way a scanned page has them: character widths, ascenders, descenders."""

    def __init__(self) -> None:
        self.n = 0
        self.blocks: dict[str, list[Line]] = {}

    def line(
        self,
        block: str,
        text: str,
        x: int,
        y: int,
        size: int = 32,
        width: int | None = None,
        conf: float = 92.0,
    ) -> Line:
        """One line with its top at y; justified to `width` pixels when given."""
        self.n += 1
        cw = round(size * 0.44)
        words = text.split()
        natural = sum(len(w) * cw for w in words) + cw * (len(words) - 1)
        space = float(cw)
        if width and len(words) > 1:
            space = cw + (width - natural) / (len(words) - 1)
        out, cx = [], float(x)
        for k, w in enumerate(words):
            asc, desc = any(c in ASC for c in w), any(c in DESC for c in w)
            top = y if asc else y + round(0.26 * size)
            bottom = y + round(0.74 * size) + (round(0.26 * size) if desc else 0)
            box = (round(cx), top, round(cx + len(w) * cw), bottom)
            out.append(Word(f"w{self.n}_{k + 1}", w, box, conf))
            cx += len(w) * cw + space
        ln = Line(f"l{self.n}", out, None, block)
        ln.box = (
            min(w.box[0] for w in out),
            min(w.box[1] for w in out),
            max(w.box[2] for w in out),
            max(w.box[3] for w in out),
        )
        self.blocks.setdefault(block, []).append(ln)
        return ln

    def column(self, block: str, x: int, y: int, rows: list[tuple[str, bool, bool]]) -> None:
        """rows: (text, indented, last line of its paragraph); pitch 44 px, width 700 px."""
        for i, (text, indent, last) in enumerate(rows):
            dx = 40 if indent else 0
            self.line(block, text, x + dx, y + 44 * i, width=None if last else 700 - dx)

    def page(self, order: list[str]) -> OcrPage:
        return OcrPage(2400, 3200, [Block(b, self.blocks[b]) for b in order])


COL1 = [
    ("The foreign ministers met in Geneva on", True, False),
    ("Monday to discuss the future of the", False, False),
    ("divided city; the talks went on late.", False, True),
    ("He said no.", True, True),
    ("Observers expected a long and difficult", True, False),
    ("session, as the delegations from the", False, False),
    ("East and the West had failed to agree", False, False),
    ("on an agenda for the meeting. The So-", False, False),
]
COL2 = [
    ("viets, however, insisted that their own", False, False),
    ("plan was the only basis for a settlement", False, False),
    ("and showed a great deal of self-", False, False),
    ("esteem in saying so before the press.", False, True),
    ("A spokesman for the Western powers", True, False),
    ("said the proposal was not acceptable.", False, True),
]
COL3 = [
    ("Talks will resume on Wednesday morning,", True, False),
    ("when the ministers are expected to", False, False),
    ("return to the status of the city.", False, True),
]


@pytest.fixture()
def news_page() -> OcrPage:
    """Three columns under a two-line headline and a byline; a photo with a caption in column 3,
    junk read from the photo; Tesseract's block order deliberately scrambled."""
    b = PageBuilder()
    b.line("head", "Russians Reject", 500, 60, size=90)
    b.line("head", "Western Plan", 600, 170, size=90)
    b.line("by", "By JOHN SMITH, Our Correspondent", 700, 300, size=30)
    b.column("c1", 100, 400, COL1)
    b.column("c2", 850, 400, COL2)
    b.line("photo", "§gsmmm", 1700, 560, conf=21)
    b.line("photo", ":S3s'=!«S", 1650, 700, conf=14)
    b.line("cap", "Delegates leave the conference hall", 1600, 910, size=20)
    b.line("cap", "in Geneva after the first session.", 1600, 940, size=20)
    b.column("c3", 1600, 1000, COL3)
    return b.page(["c3", "cap", "c2", "photo", "head", "c1", "by"])


def test_headline_merged_first_and_byline_next(news_page, lex):
    rp = repair_page(news_page, lex)
    head, by = rp.paragraphs[0], rp.paragraphs[1]
    assert head.kind == "headline"
    assert head.text == "Russians Reject Western Plan"
    assert len(head.lines) == 2
    assert by.kind == "byline" and by.text.startswith("By JOHN SMITH")
    assert rp.stats["headline_lines"] == 2


def test_columns_read_left_to_right_and_paragraphs_split_on_indents(news_page, lex):
    rp = repair_page(news_page, lex)
    body = [p for p in rp.paragraphs if p.kind == "body"]
    assert rp.stats["columns"] == 3
    assert [p.text.split()[0] for p in body] == ["The", "He", "Observers", "A", "Talks"]
    assert body[0].text.endswith("went on late.")
    assert body[1].text == "He said no."  # a short real line is kept
    # the paragraph running from column 1 into column 2 holds both columns' lines
    assert body[2].lines[0] == news_page.blocks[5].lines[4].id
    assert body[2].lines[-1] == news_page.blocks[2].lines[3].id


def test_split_word_across_column_break_joined(news_page, lex):
    rp = repair_page(news_page, lex)
    tokens = [t for p in rp.paragraphs for t in p.tokens]
    soviets = next(t for t in tokens if t.text == "Soviets,")
    assert len(soviets.src) == 2 and soviets.conf == 92.0
    joins = [d for d in rp.decisions if d.action == "join"]
    assert any(d.original == "So- viets," and d.result == "Soviets," for d in joins)
    assert "So-" not in rp.text


def test_real_compound_kept(news_page, lex):
    rp = repair_page(news_page, lex)
    assert "self-esteem" in rp.text
    keep = next(d for d in rp.decisions if d.action == "keep")
    assert keep.result == "self-esteem" and len(keep.lines) == 2


def test_junk_dropped_and_recorded_caption_last(news_page, lex):
    rp = repair_page(news_page, lex)
    dropped = {d.original for d in rp.decisions if d.action == "drop"}
    assert dropped == {"§gsmmm", ":S3s'=!«S"}
    assert "gsmmm" not in rp.text
    cap = rp.paragraphs[-1]
    assert cap.kind == "caption"
    assert cap.text == "Delegates leave the conference hall in Geneva after the first session."
    assert any("caption (under an empty region)" in d.reason for d in rp.decisions)
    # every OCR word is accounted for: in a token or in a dropped line
    used = {s for p in rp.paragraphs for t in p.tokens for s in t.src}
    dropped_words = {
        w.id for b in news_page.blocks if b.id == "photo" for ln in b.lines for w in ln.words
    }
    assert used | dropped_words == {w.id for w in news_page.words()}


def test_single_column_page_in_line_order(lex):
    b = PageBuilder()
    rows = [
        ("The council met on Tuesday evening in", True, False),
        ("the town hall, the mayor presiding.", False, True),
        ("The minutes of the last meeting were", True, False),
        ("read and confirmed.", False, True),
    ]
    b.column("a", 200, 300, rows)
    rp = repair_page(b.page(["a"]), lex)
    assert [p.kind for p in rp.paragraphs] == ["body", "body"]
    assert rp.paragraphs[1].text == "The minutes of the last meeting were read and confirmed."
    assert rp.stats["columns"] == 1 and rp.stats["headline_lines"] == 0


@pytest.mark.parametrize(
    "line",
    [
        "§gsmmm",
        ":S3s'=!«S",
        "■Si'ssb isfflffittsa-- 2",
        "-------",
        "v",
        "i",
        "-«?",
        # a dotted rule over a newspaper column, read as x-height letters (a real scan)
        "‘suceencavuusuuasevaneanavounvee encenusvonecsvcansanenany vnregeovuvuousaareseanuu",
    ],
)
def test_junk_lines_score_as_junk(line, lex):
    words = line.split()
    assert score_line(words, [None] * len(words), lex).is_junk


@pytest.mark.parametrize(
    "line",
    ["He said no.", "1862.", "12", "TOAVN LOTS.", "WïIlNPSDAÏ.", "W. J. Mcguire, W. Seward"],
)
def test_real_lines_never_junk(line, lex):
    words = line.split()
    assert not score_line(words, [None] * len(words), lex).is_junk


def test_long_runs_of_x_height_letters_are_not_words_but_long_words_are(lex):
    assert not plausible("vnregeovuvuousaareseanuuoenoceassannyocnnneny", lex)
    for word in ("immunosuppression", "unresponsivenesses", "thecouncilmetonTuesdayevening"):
        assert plausible(word, lex), word


def test_stray_prefix_is_conservative(lex):
    assert stray_prefix("i The plane crashed".split(), lex)
    assert stray_prefix("v The council met".split(), lex)
    assert not stray_prefix("S Smith, for permitting".split(), lex)  # an initial
    assert not stray_prefix("a The".split(), lex)
    assert not stray_prefix("i said".split(), lex)


def test_lone_capital_i_before_a_capitalised_word_is_a_rule_only_with_evidence(lex):
    # lines of the SMH archive OCR: a column rule read as `I` at the line start
    assert stray_prefix("I The new Church of England rectory has Just".split(), lex)
    assert stray_prefix("I Mr. K. C. Eliot, Resident Commissioner".split(), lex)
    # `I METROPOLITAN ...` has the shape of `I WILL NOT RESIGN`: only a tall box tells them apart
    assert not stray_prefix("I METROPOLITAN DISTRICT COURT.".split(), lex)
    assert stray_prefix("I METROPOLITAN DISTRICT COURT.".split(), lex, rule_box=True)
    # the pronoun, and a numeral with its stop, stay
    assert not stray_prefix("I would have touched tho boards of the stage".split(), lex)
    assert not stray_prefix("I am, &c.".split(), lex)
    assert not stray_prefix("I. The Council".split(), lex)
    assert not stray_prefix("I I".split(), lex)
    text = repair_text("I TO THE EDITOR.\nI am told the ship is clean.\n", lex)
    assert [p.text for p in text.paragraphs][0].startswith("TO THE EDITOR")
    assert "I am told" in " ".join(p.text for p in text.paragraphs)


@pytest.mark.parametrize(
    ("left", "right", "action", "result"),
    [
        ("So-", "viets,", "join", "Soviets,"),
        ("self-", "esteem", "keep", "self-esteem"),
        ("hair-", "splitting", "keep", "hair-splitting"),
        ("re-", "establish", "keep", "re-establish"),
        ("co-", "operation", "join", "cooperation"),
        ("GOVERN-", "MENT.", "join", "GOVERNMENT."),
        ("metal-", "ling.", "join", "metalling."),
        ("Anglo-", "Saxon", "keep", "Anglo-Saxon"),
    ],
)
def test_hyphen_decisions(left, right, action, result, lex):
    d = decide(left, right, lex)
    assert d is not None and (d.action, d.result) == (action, result)


def test_hyphen_not_a_split(lex):
    assert decide("1914-", "18", lex) is None
    assert decide("word--", "and", lex) is None


RAW = """THE HARBOUR TRUST.
§gsmmm
A meeting of the Harbour Trust was held yes-
terday afternoon, when the chairman presided over a
large attendance of members and the public. The
report of the engineer on the proposed new wharf at
the foot of Market-street was read, and the So-

viets of the question were referred to a com-
:S3s'=!«S
mittee for consideration.

The next meeting will be held on Thursday week,
when the estimates for the coming year are to be
considered.
v
i The secretary reported that the sum of £1500
had been received from the Government.
"""


def test_text_input_joins_across_blank_and_junk_lines(lex):
    rp = repair_text(RAW, lex)
    assert rp.source == "text"
    texts = [p.text for p in rp.paragraphs]
    assert texts[0] == "THE HARBOUR TRUST."
    assert texts[1].startswith("A meeting of the Harbour Trust was held yesterday afternoon")
    # split across a blank line (page break) and across an interposed junk line
    assert "the Soviets of the question" in texts[1]
    assert texts[1].endswith("referred to a committee for consideration.")
    assert texts[2].startswith("The next meeting") and texts[2].endswith("considered.")
    assert texts[3] == (
        "The secretary reported that the sum of £1500 had been received from the Government."
    )
    assert len(texts) == 4
    dropped = [d.original for d in rp.decisions if d.action == "drop"]
    assert dropped == ["§gsmmm", ":S3s'=!«S", "v"]
    assert [d.original for d in rp.decisions if d.action == "strip"] == [
        "i The secretary reported that the sum of £1500"
    ]
    committee = next(t for p in rp.paragraphs for t in p.tokens if t.text == "committee")
    assert committee.src == ["t9.9", "t11.1"]  # across the junk line t10
    assert rp.paragraphs[1].lines[0] == "t3" and "t10" not in rp.paragraphs[1].lines
    assert rp.stats["junk_dropped"] == 3 and rp.stats["hyphens_removed"] == 3


def test_blank_line_after_sentence_is_a_paragraph_break(lex):
    raw = "The wharf was opened.\n\nthe crowd then left.\n\nMr. Smith spoke next\n\nand sat down.\n"
    rp = repair_text(raw, lex)
    # a sentence end before a blank line breaks even before lower case; a line without final
    # punctuation runs on into a lower-case line
    assert [p.text for p in rp.paragraphs] == [
        "The wharf was opened.",
        "the crowd then left.",
        "Mr. Smith spoke next and sat down.",
    ]
    assert any(d.action == "order" and "blank line" in d.reason for d in rp.decisions)


def test_decode_falls_back_to_cp1252():
    assert decode("£100 “quoted”".encode("cp1252")) == "£100 “quoted”"
    assert decode("£100".encode()) == "£100"


def test_run_writes_both_files_for_text_and_ocr_json(tmp_path, news_page):
    src_txt = tmp_path / "page.txt"
    src_txt.write_bytes(RAW.encode("cp1252", errors="replace"))
    stats = run(src_txt, tmp_path / "t", Options())
    saved = json.loads((tmp_path / "t" / "repair.json").read_text(encoding="utf-8"))
    assert saved["stats"] == stats and stats["junk_dropped"] >= 2
    assert any(d["action"] == "join" for d in saved["decisions"])
    assert any(d["action"] == "drop" and d["original"] == "§gsmmm" for d in saved["decisions"])
    from pipeline.model import RepairedPage

    for out in ("t", "o"):
        if out == "o":
            src = tmp_path / "ocr.json"
            src.write_text(json.dumps(news_page.to_json()), encoding="utf-8")
            stats = run(src, tmp_path / "o", Options())
            assert stats["columns"] == 3
        rp = RepairedPage.from_json(json.loads((tmp_path / out / "repair.json").read_text()))
        text = (tmp_path / out / "text.txt").read_text(encoding="utf-8")
        assert text == page_text(rp.paragraphs) and text.strip()
        assert set(stats) == {
            "lines_in",
            "paragraphs",
            "lines_joined",
            "hyphens_removed",
            "hyphens_kept",
            "junk_dropped",
            "stripped",
            "marks_mended",
            "columns",
            "headline_lines",
            "reading_order",
            "reading_order_reason",
            "footnotes",
        }


def test_byline_over_one_column_is_taken_out_of_it(lex):
    """Tesseract puts a short byline into the column under it; it is above every column top
    and set off by a gap, so it is a byline, not the first line of column 2."""
    b = PageBuilder()
    b.line("head", "Council Rejects Bridge", 300, 60, size=90)
    b.line("by", "By JOHN SMITH", 900, 300, size=30)
    b.column("c1", 100, 420, COL1[:3])
    b.column("c2", 850, 420, COL2[4:])
    rp = repair_page(b.page(["c2", "by", "head", "c1"]), lex)
    assert [p.kind for p in rp.paragraphs] == ["headline", "byline", "body", "body"]
    assert rp.paragraphs[1].text == "By JOHN SMITH"
    assert rp.paragraphs[2].text.startswith("The foreign ministers")
    assert rp.paragraphs[3].text.startswith("A spokesman")


def test_split_inside_a_line_joined_only_to_a_common_word(lex):
    rp = repair_text("The Government has at last deter- mined on pre- and post-war plans.\n", lex)
    assert rp.text == "The Government has at last determined on pre- and post-war plans.\n"
    joined = next(t for t in rp.paragraphs[0].tokens if t.text == "determined")
    assert joined.src == ["t1.6", "t1.7"]
    assert [d.original for d in rp.decisions] == ["deter- mined"]


def _decisions(rp, action: str) -> list[tuple[str, str]]:
    return [(d.original, d.result) for d in rp.decisions if d.action == action]


def test_text_keeps_a_garbled_heading_but_drops_specks(lex):
    # a display-type heading misread letter by letter is print (deleting it costs every
    # character); a short run of marks is a speck
    raw = (
        "for plaintiff for the amount claimed.\n"
        '_B"OOM___V W-HATMOBC\n'
        "John Smith, trading as Smith and Co,\n"
        "-«?\n"
        "sued for goods sold and delivered.\n"
    )
    rp = repair_text(raw, lex)
    assert [d.original for d in rp.decisions if d.action == "drop"] == ["-«?"]
    assert "W-HATMOBC" in rp.text


def test_lost_line_end_hyphen_joined_only_for_a_fragment(lex):
    raw = "The new con\nstitution was read, and he went in\nthe house to see the mem\nbers.\n"
    rp = repair_text(raw, lex)
    words = rp.text.split()
    assert "constitution" in words and "members." in words
    assert "in" in words and "the" in words  # two common words: not a split
    joins = [d for d in rp.decisions if d.action == "join"]
    assert [d.result for d in joins] == ["constitution", "members."]
    assert all("hyphen lost" in d.reason for d in joins)
    tok = next(t for p in rp.paragraphs for t in p.tokens if t.text == "constitution")
    assert tok.src == ["t1.3", "t2.1"]


def test_line_end_guillemet_read_by_the_lexicon(lex):
    raw = (
        "The shoot which will re»\n"
        "ceive the coal was made«\n"
        "The men crossed the bridge»\n"
        "and went home to Qiicen«\n"
        "South Wales.\n"
    )
    rp = repair_text(raw, lex)
    words = rp.text.split()
    assert "receive" in words  # a hyphen: `re` + `ceive` make a common word
    assert "made." in words  # a full stop before a capital
    assert "bridge" in words  # a stray mark after a word
    assert "Qiicen«" in words  # no word before a capital: left for the correction stage
    marks = _decisions(rp, "mark")
    assert (
        ("re»", "re-") in marks and ("made«", "made.") in marks and ("bridge»", "bridge") in marks
    )


def test_line_end_colon_read_for_a_hyphen_only_before_a_fragment(lex):
    raw = (
        "in response to a numerously-signed req:\n"
        "uisition, was held. The terms were as follows:\n"
        "the men to be paid weekly; the rest in kind:\n"
        "ness was shown to all.\n"
    )
    rp = repair_text(raw, lex)
    words = rp.text.split()
    assert "requisition," in words  # `uisition` is no word, `requisition` is one
    assert "follows:" in words and "the" in words  # a colon before a word stays a colon
    assert "kind:" in words  # `kindness` is a word, but so is `ness`: not enough evidence
    assert _decisions(rp, "mark") == [("req:", "req-")]
    tok = next(t for p in rp.paragraphs for t in p.tokens if t.text == "requisition,")
    assert tok.src == ["t1.6", "t2.1"]


def test_line_end_double_hyphen_read_as_equals_is_a_hyphen(lex):
    # typewritten EHRI-ET-YV3549264_03: the typist's `=` at the line end (German usage, as
    # print's `⸗`), read by Tesseract as `=`
    raw = (
        "Everybody had to provide a rug; straw mattresses were not pro=\n"
        "vided. Among them was Mon=\n"
        "sieur Meyer, and the cost was 2=\n"
        "four in all, as Mon⸗\n"
        "sieur said.\n"
    )
    rp = repair_text(raw, lex)
    words = rp.text.split()
    assert "provided." in words and words.count("Monsieur") == 2
    assert "four" in words  # after a number `=` is no word's hyphen
    assert ("pro=", "pro-") in _decisions(rp, "mark")


def test_line_end_hyphen_after_a_function_word_joining_no_word_is_a_stray_mark(lex):
    # typewritten EHRI-ET-YV3549264_06: `were given to-` / `relatives` (a speck read as a
    # hyphen) came out `torelatives`
    raw = (
        "The contents of the parcels were given to-\n"
        "relatives of the addressees, or in-\n"
        "stinct told them, to-\n"
        "gether with the rest. By-\n"
        "grave was there.\n"
    )
    rp = repair_text(raw, lex)
    words = rp.text.split()
    assert words[7:9] == ["to", "relatives"]  # no word `torelatives`: two words
    assert "instinct" in words and "together" in words  # splits close up into words
    assert "Bygrave" in words  # a capitalised half may be a name's: decided as a split
    assert _decisions(rp, "mark") == [("to-", "to")]


def test_year_apostrophe_read_as_nine(lex):
    rp = repair_text("He left the colony in 9 62 and came back in\nMarch 9 75. Page 9 62\n", lex)
    assert rp.text.split()[5] == "'62"
    assert "March '75." in rp.text and "Page 9 62" in rp.text
    assert _decisions(rp, "mark") == [("9 62", "'62"), ("9 75.", "'75.")]
    tok = next(t for p in rp.paragraphs for t in p.tokens if t.text == "'75.")
    assert tok.src == ["t2.2", "t2.3"]


def test_quotes_normalised_to_the_page_majority(lex):
    straight = repair_text('He said "no" and “yes” and "maybe", it’s "late".\n', lex)
    assert straight.text.strip() == 'He said "no" and "yes" and "maybe", it\'s "late".'
    curly = repair_text('“Go,” he said, “now” and “then”, don\'t "wait".\n', lex)
    assert curly.text.strip() == "“Go,” he said, “now” and “then”, don’t “wait”."
    assert ("don't", "don’t") in _decisions(curly, "mark")


def test_stray_mark_at_line_end_stripped(lex):
    assert stray_suffix("places in tho |".split())
    assert stray_suffix("the prayer be granted j".split())
    assert not stray_suffix("and so I".split())  # the pronoun
    assert not stray_suffix("So I ran away. I".split())
    assert not stray_suffix("I".split())
    raw = "the residents of Chippen- I\ndale met in tho |\nhall, and so I\nwent home.\n"
    rp = repair_text(raw, lex)
    assert rp.text.strip() == "the residents of Chippendale met in tho hall, and so I went home."
    assert [d.original for d in rp.decisions if d.action == "strip"] == [
        "the residents of Chippen- I",
        "dale met in tho |",
    ]


def test_lone_dots_are_specks_or_a_words_full_stop(lex):
    # development pages: `approve. .` (book b014), `diet, . extra` (typewritten YV3549264_06),
    # `spirit . of` (g031); none of their truths has a dot standing alone
    assert stray_dots("approve. . Of this fact".split()) == ([1], [])
    assert stray_dots("more sufficient diet, . extra milk".split()) == ([3], [])
    assert stray_dots("by the spirit . of colonization".split()) == ([3], [])
    assert stray_dots("at the border . The next".split()) == ([], [3])
    assert stray_dots("the end of the word .".split()) == ([], [5])
    # a spaced ellipsis, and a list number's stop whose figures were lost (`. Platt, born`)
    assert stray_dots("I will . . .".split()) == ([], [])
    assert stray_dots(". Platt, born 10 September, 1785".split()) == ([], [])
    b = PageBuilder()
    b.column(
        "a",
        200,
        300,
        [
            ("we cannot bring ourselves to approve. .", False, False),
            ("Of this fact the spirit . of the", False, False),
            ("law says nothing at all .", False, True),
        ],
    )
    rp = repair_page(b.page(["a"]), lex)
    assert rp.text.strip() == (
        "we cannot bring ourselves to approve. Of this fact the spirit of the law says "
        "nothing at all."
    )
    # raw archive text keeps its own spacing (icdar2017's truth prints `resigned . By`)
    assert repair_text("he resigned . By then\n", lex).text.strip() == "he resigned . By then"


def test_quote_decisions_name_tesseract_lines(lex):
    b = PageBuilder()
    b.column("a", 200, 300, [('He said “no” and "yes" and "maybe" to them.', False, True)])
    rp = repair_page(b.page(["a"]), lex)
    marks = [d for d in rp.decisions if d.action == "mark"]
    assert [d.result for d in marks] == ['"no"']
    line_ids = {ln.id for blk in b.page(["a"]).blocks for ln in blk.lines}
    assert marks[0].lines and set(marks[0].lines) <= line_ids


def test_photo_texture_in_raw_text_is_dropped_but_a_garbled_heading_is_kept(lex):
    raw = (
        "The committee reported on the new wharf.\n"
        "■Si'ssb isfflffittsa-- 2\n"
        '_A"SH___V W-ATMOBC\n'
        "The case was heard before the full court yesterday.\n"
    )
    rp = repair_text(raw, lex)
    dropped = [d.original for d in rp.decisions if d.action == "drop"]
    assert dropped == ["■Si'ssb isfflffittsa-- 2"]
    assert "ATMOBC" in rp.text


# Plain Tesseract text of a rendered 4-column page (bench news-mild-02): its photo caption and
# credit sit inside a column, so the text cuts a sentence in two.
CAPTION_CUT = """Once upon a time, of
all the good days in the
year, on Christmas Eve,
old Scrooge sat busy in
his counting-house. It was
cold, bleak, biting

Old Marley was as dead as a
door-nail.
Photograph by J. W. Harris.

weather: foggy withal:
and he could hear the peo-
ple in the court outside go
wheezing up and down.

The city clocks had only just gone three, but it was quite dark already.
"""


def test_caption_cutting_a_sentence_moves_after_the_text(lex):
    rp = repair_text(CAPTION_CUT, lex)
    texts = [p.text for p in rp.paragraphs]
    assert texts[0].endswith(
        "It was cold, bleak, biting weather: foggy withal: and he could hear the people in the "
        "court outside go wheezing up and down."
    )
    assert texts[1].startswith("The city clocks")
    assert texts[2:] == ["Old Marley was as dead as a door-nail.", "Photograph by J. W. Harris."]
    moved = [d for d in rp.decisions if d.action == "order" and "caption" in d.reason]
    assert len(moved) == 1 and moved[0].original.startswith("Old Marley")


def test_a_split_word_is_found_past_an_interposed_caption(lex):
    raw = (
        "The receipts of the company for the half-year were con-\n\nPhotograph by J. Smith.\n\n"
        "siderable, and the dividend was paid.\n"
    )
    texts = [p.text for p in repair_text(raw, lex).paragraphs]
    assert texts == [
        "The receipts of the company for the half-year were considerable, and the dividend was "
        "paid.",
        "Photograph by J. Smith.",
    ]


@pytest.mark.parametrize(
    "between",
    [
        # body text out of column order: it stops mid-sentence itself
        "The second expedient is as impracticable\nas the first would be unwise. As long as the\n"
        "reason of man continues fallible, and he is at",
        # too long for a caption
        " ".join(["Whole paragraphs of the next column were read here."] * 6),
    ],
)
def test_body_text_between_a_sentence_and_its_end_is_not_a_caption(lex, between):
    raw = f"It was cold, bleak, biting\n\n{between}\n\nweather: foggy withal.\n"
    rp = repair_text(raw, lex)
    assert not any("caption" in d.reason for d in rp.decisions)
    assert rp.paragraphs[0].text == "It was cold, bleak, biting"


def test_misread_bullet_restored_in_plain_text(lex):
    # Tesseract's text of a rendered page: its `►` items come out as `>`
    raw = (
        "could be presented.\n> The progress of our arms, upon which all\n\n"
        "else chiefly depends, is well known.\n\n> With high hope for the future.\n\n"
        "It was 3 > 2 and\n> so on.\n\n»WTfl OF Mli. JOHN KITCHEN.\n"
    )
    rp = repair_text(raw, lex)
    texts = [p.text for p in rp.paragraphs]
    assert texts[:3] == [
        "could be presented.",
        "► The progress of our arms, upon which all else chiefly depends, is well known.",
        "► With high hope for the future.",
    ]
    # not after a finished sentence, or not a lone `>`: left as printed
    assert texts[3] == "It was 3 > 2 and > so on."
    assert texts[4].startswith("»WTfl")
    assert sum(d.action == "mark" and "bullet" in d.reason for d in rp.decisions) == 2


def test_noise_marks_alone_are_stripped_but_dashes_kept(lex):
    raw = (
        "the mischiefs of faction, than _ it was\nto animal life ° — because it imparts | to fire\n"
    )
    rp = repair_text(raw, lex)
    assert rp.paragraphs[0].text == (
        "the mischiefs of faction, than it was to animal life — because it imparts to fire"
    )
    assert [d.original for d in rp.decisions if d.action == "strip"] == [
        "the mischiefs of faction, than _ it was",
        "to animal life ° — because it imparts | to fire",
    ]


def test_underscores_and_line_start_stars_from_specks_removed(lex):
    # Tesseract's text of a specked page (bench news-heavy-00 / news-mild-02)
    raw = (
        "The burial was signed by the clergyman, the\n* clerk, the undertaker, and the chief\n"
        "mourner, together with a_ general _bargain of the day.\n"
    )
    rp = repair_text(raw, lex)
    assert rp.paragraphs[0].text == (
        "The burial was signed by the clergyman, the clerk, the undertaker, and the chief "
        "mourner, together with a general bargain of the day."
    )
    assert [d.original for d in rp.decisions if d.action == "strip"] == [
        "* clerk, the undertaker, and the chief",
        "mourner, together with a_ general _bargain of the day.",
    ]


# ---------------------------------------------------------------- one policy for marks


@pytest.mark.parametrize("headline", ["I WILL NOT RESIGN", "I Remember Mama"])
def test_pronoun_opening_a_headline_is_kept_from_text_and_from_word_boxes(lex, headline):
    assert repair_text(headline + "\n", lex).paragraphs[0].text == headline
    b = PageBuilder()
    b.line("h", headline, 300, 200, size=64)
    b.column("a", 300, 400, COL3)
    rp = repair_page(b.page(["h", "a"]), lex)
    assert rp.paragraphs[0].text == headline
    assert not [d for d in rp.decisions if d.action == Action.STRIP]


def test_lone_I_is_a_rule_only_with_evidence(lex):
    # the grammar says so: the pronoun never stands before an article, a title, a possessive
    raw = "I The new rectory has just\nI Mr. Eliot spoke.\nI Prince's escape was told\n"
    texts = [p.text for p in repair_text(raw, lex).paragraphs]
    assert texts == ["The new rectory has just Mr. Eliot spoke. Prince's escape was told"]
    # the box says so: an `I` as tall as two lines is a column rule read as a letter
    b = PageBuilder()
    ln = b.line("a", "I WILL NOT RESIGN", 300, 200, size=32)
    x0, y0, x1, _ = ln.words[0].box
    ln.words[0].box = (x0, y0 - 40, x1, y0 + 60)
    b.column("a", 300, 260, COL3)
    rp = repair_page(b.page(["a"]), lex)
    assert rp.paragraphs[0].text.startswith("WILL NOT RESIGN")
    assert [d.original for d in rp.decisions if d.action == Action.STRIP] == [ln.text]


def test_underscores_one_policy_for_word_boxes_and_text(lex):
    line = "came a_barkeeper with a _bargain and HE.TtA_'D"
    want = "came a barkeeper with a bargain and HE.TtA'D"
    assert repair_text(line + "\n", lex).paragraphs[0].text == want
    b = PageBuilder()
    b.line("a", line, 300, 200)
    rp = repair_page(b.page(["a"]), lex)
    assert rp.paragraphs[0].text == want
    tokens = rp.paragraphs[0].tokens
    k = [t.text for t in tokens].index("barkeeper")
    assert tokens[k - 1].text == "a" and tokens[k - 1].src == tokens[k].src  # one word id


def test_two_figures_joined_by_an_underscore_stay_two(lex):
    # a real journal page's table row (scans-dev multicol_03): the gap read as `_`
    line = "Projected P/E: 19.5x 17.2x_14.6x"
    assert repair_text(line + "\n", lex).paragraphs[0].text == "Projected P/E: 19.5x 17.2x 14.6x"
    # beside a piece that is no word or figure, `_` is a letter misread: joined as before
    assert repair_text("the form Qxzv_14\n", lex).paragraphs[0].text == "the form Qxzv14"


def test_bullets_counted_as_marks_mended_not_stripped(lex):
    b = PageBuilder()
    ln = b.line("a", "> The river rose in the night.", 300, 200)
    ln.words[0].box = (300, 212, 322, 234)  # a square bullet-sized glyph
    rp = repair_page(b.page(["a"]), lex)
    assert rp.paragraphs[0].text.startswith("\u25ba The river")
    assert (rp.stats["marks_mended"], rp.stats["stripped"]) == (1, 0)


def test_unknown_decision_kind_is_refused():
    with pytest.raises(ValueError):
        Decision("tidy", "why", "a")


def test_a_signature_read_as_a_line_of_text_is_dropped(tmp_path):
    from tests.drawing import LINES, signed_letter
    from tests.helpers import invoke

    src = tmp_path / "in"
    src.mkdir()
    signed_letter().save(src / "letter.png", dpi=(300, 300))
    out = tmp_path / "out"
    assert invoke("run", str(src), "-o", str(out), "-j", "1", "--to", "repair").exit_code == 0
    repaired = json.loads((out / "letter" / "3-repair" / "repair.json").read_text())
    dropped = [d for d in repaired["decisions"] if "handwriting" in d["reason"]]
    assert len(dropped) == 1 and dropped[0]["action"] == "drop"
    text = (out / "letter" / "3-repair" / "text.txt").read_text()
    words = text.split()
    for line in [
        *LINES[:3],
        "Respectfully yours,",
        "Frederick P. Hibbard,",
        "Secretary of Legation.",
    ]:
        assert line in text or all(w in words for w in line.split())
    assert len(words) == sum(len(s.split()) for s in LINES[:3]) + 2 + 3 + 3  # nothing else


def test_the_page_s_own_spelling_decides_a_split_the_word_list_cannot(lex):
    # multicol_08 of the real scans (Tesseract's lines): `Bin-` / `stock` has two words for
    # halves, which alone reads as a compound (`Sunday-school`); the page prints `Binstock`
    raw = (
        "bother me at all,” said Binstock.\n"
        "Seeing the effects of an old watch’s\n"
        "“natural evolution” appeals to Bin-\n"
        "stock. Attempts at restoration\n"
    )
    rp = repair_text(raw, lex)
    assert "appeals to Binstock. Attempts" in rp.text
    assert ("Bin- stock.", "Binstock.") in _decisions(rp, "join")
    alone = repair_text(raw.replace("said Binstock", "said he"), lex)
    assert "appeals to Bin-stock. Attempts" in alone.text
    # the other way: a page that prints `to-day` keeps it at a line end, where the word list
    # alone would close it up
    printed = "He came home to-day, and\nleft again to-\nday at noon.\n"
    assert repair_text(printed, lex).text == "He came home to-day, and left again to-day at noon.\n"
    closed = "He came home at noon, and\nleft again to-\nday at noon.\n"
    assert "left again today at noon" in repair_text(closed, lex).text
