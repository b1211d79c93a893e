"""Word-level repairs of stage 3 that must never leave a page worse than Tesseract's own text:
lines kept that are print (addresses, signature marks), line-end hyphens, quotes and marks.

Lines are from the real development scans (`../shared/data/scans-dev/`) named in each test.
"""

from __future__ import annotations

import pytest

from pipeline import lexicon
from pipeline.repair import repair_page, repair_text
from pipeline.repair.hyphens import decide
from tests.test_repair import PageBuilder


@pytest.fixture(scope="module")
def lex():
    return lexicon.load("eng")


def _dropped(rp) -> list[str]:
    return [d.original for d in rp.decisions if d.action == "drop"]


def test_analysts_email_addresses_are_print_not_junk(lex):
    # multicol_01: a research note's analyst block, each name over an address and a phone
    b = PageBuilder()
    rows = [
        ("Morgan Stanley & Co. LLC", 92.0),
        ("David Risinger", 93.0),
        ("Equity Analyst", 95.0),
        ("David.Risinger@morganstanley.com +1 212 761-6494", 62.0),
        ("Matthew Harrison", 93.0),
        ("Matthew.Harrison@morganstanley.com", 91.0),
    ]
    for i, (text, conf) in enumerate(rows):
        b.line("a", text, 1700, 400 + 40 * i, size=26, conf=conf)
    rp = repair_page(b.page(["a"]), lex)
    assert _dropped(rp) == []
    assert "Matthew.Harrison@morganstanley.com" in rp.text
    assert "David.Risinger@morganstanley.com +1 212 761-6494" in rp.text


def test_a_book_signature_letter_is_kept_but_a_stray_letter_dropped(lex):
    # oldbooks e045: the gathering's signature `D` under the page's last line, read at 92
    b = PageBuilder()
    body = [
        "extravagance of the Grecian and Roman ladies in the purchase",
        "of these articles of adornment almost exceeds belief. Pliny says,",
        "worn by Cleopatra were valued at £161,458, and that Servilia, the",
    ]
    for i, text in enumerate(body):
        b.line("a", text, 300, 300 + 44 * i, width=1100)
    b.line("b", "D", 1361, 500, conf=92.35)
    b.line("c", "t", 736, 560, conf=76.3)  # a speck at the foot, lower case, unsure
    rp = repair_page(b.page(["a", "b", "c"]), lex)
    assert rp.text.split()[-1] == "D"
    assert _dropped(rp) == ["t"]


@pytest.mark.parametrize(
    ("left", "right", "result"),
    [
        # `un-` closes up before a lower-case word, however rare the word (books a041, d021)
        ("un-", "quenched.", "unquenched."),
        ("un-", "selfishness!", "unselfishness!"),
        ("un-", "polished", "unpolished"),  # multicol_08
        ("ex-", "claim,", "exclaim,"),  # a newspaper: `exclaim` is a word of its own
        # no compound starts with a function word
        ("to-", "relatives", "torelatives"),  # typewritten EHRI-ET-YV3549264_06
        # the next line's first letter read as a capital (typewritten EHRI_06, the synthetic
        # newspaper pages' Tesseract text): joined in lower case
        ("citizen-", "Ship.", "citizenship."),
        ("ap-", "Pears,", "appears,"),
        ("Pas-", "Sengers;", "Passengers;"),
        ("de-", "Sire", "desire"),  # not a prefix before a capitalised word
        # a capital opening no common word: a misread continuation, left to the corrector
        ("rep-", "Tesentation", "repTesentation"),
        ("proposi-", "Uon", "proposiUon"),  # synthetic multi-heavy-11
        # a speck read as a hyphen after a word no word starts with (multi-heavy-05)
        ("the-", "Western", "theWestern"),
        # capitals and small caps read partly in lower case (book h034: ELIZABETH)
        ("(Eviza-", "BETH)", "(EvizaBETH)"),
    ],
)
def test_line_end_hyphen_joined_without_compound_evidence(left, right, result, lex):
    d = decide(left, right, lex)
    assert d is not None and (d.action, d.result) == ("join", result)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("ex-", "THE"),  # book d037: the running head under a line-end `ex-`
        ("sup-", "Nice"),  # multicol_08: the next column's heading
        ("pro-", "By"),  # magazine mss154040483-76: the byline before the split's `gram`
    ],
)
def test_a_capital_after_a_lower_case_half_is_other_text_left_as_printed(left, right, lex):
    # a lower-case half with no compound to make: the next line is a heading, a byline or a
    # running head, and the word goes on elsewhere; joining them makes no word (`proBy`)
    assert decide(left, right, lex) is None
    raw = f"combined in support of their own {left}\n{right} Carrie Chapman Catt\n"
    texts = [p.text for p in repair_text(raw, lex).paragraphs]
    # both kept as printed, and the other text is a paragraph of its own
    assert texts == [f"combined in support of their own {left}", f"{right} Carrie Chapman Catt"]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("re-", "echo"),  # book h020, the ground truth has `re-echo`
        ("ex-", "president"),
        ("un-", "American"),
        ("anti-", "American"),
        ("Russo-", "Turkish"),
        ("eighty-", "eight"),
        ("hair-", "splitting"),
        ("Sunday-", "school"),  # not a name split, though shaped like `Bin-` / `stock`
    ],
)
def test_line_end_hyphen_of_a_compound_kept(left, right, lex):
    d = decide(left, right, lex)
    assert d is not None and (d.action, d.result) == ("keep", left + right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # one part of a longer compound at the line end (multicol_08; a 1900s newspaper in
        # ocr-text-dev: `three-year-` / `old`); the word list caught `yearold`, `inlaw`
        ("43-year-", "old"),
        ("three-year-", "old"),
        ("mother-in-", "law"),
        ("up-to-", "date"),
        ("scratched-", "but-handsome"),  # multicol_08
        ("twenty-", "five-year-old"),
    ],
)
def test_line_end_hyphen_inside_a_longer_compound_kept(left, right, lex):
    d = decide(left, right, lex)
    assert d is not None and (d.action, d.result) == ("keep", left + right)


@pytest.mark.parametrize(
    ("left", "right", "result"),
    [
        # a word split inside a compound closes up: its fragments are no words, or it is one
        ("self-con-", "scious", "self-conscious"),
        ("anti-im-", "perialist", "anti-imperialist"),
        ("sick-head-", "ache,", "sick-headache,"),  # ocr-text-dev, a patent-medicine advert
        ("Ameri-", "can-born", "American-born"),
        ("com-", "pany-owned", "company-owned"),
    ],
)
def test_a_word_split_inside_a_compound_is_joined(left, right, result, lex):
    d = decide(left, right, lex)
    assert d is not None and (d.action, d.result) == ("join", result)


def test_book_paragraph_joins_a_prefix_split_at_the_line_end(lex):
    # oldbooks a041, the last two lines of a paragraph
    b = PageBuilder()
    b.line("a", "revealed the inward spirit's intelligence and zeal un-", 200, 300, width=1100)
    b.line("a", "quenched. On his head was a close-fitting cap of purple velvet.", 200, 344)
    rp = repair_page(b.page(["a"]), lex)
    assert "zeal unquenched. On his head" in rp.text


def test_a_specks_mark_at_a_line_end_hyphen_does_not_stop_the_join(lex):
    # heavy pages of bench.articlegen: a speck by the hyphen read as a quote or a dash, on
    # either side of the break
    raw = (
        "the water chan-\n'nels of the river, and some 150 gentle-\n-men sat down in a new\n"
        "nation, con-“\nceived in liberty, a self-\n“respect that is all; the so-\n“Called” men.\n"
    )
    text = repair_text(raw, lex).text
    assert "water channels of" in text and "150 gentlemen sat" in text
    assert "nation, conceived in" in text
    assert "a self-respect that" in text  # a compound's hyphen kept, the mark dropped
    # the speck read as a mark of its own at the start of the next line
    lone = repair_text("it was powerful in-\n. terest. A meeting was ur-\n© gently called.\n", lex)
    assert lone.text.strip() == "it was powerful interest. A meeting was urgently called."
    # ... or ending the line after the hyphen, apart or glued to it
    end = repair_text(
        "familiar and powerful in- .\nterest. All knew that, and pri-.\nvate faith.\n", lex
    )
    assert end.text.strip() == "familiar and powerful interest. All knew that, and private faith."
    # a quote before a capital after the hyphen is no split: left as read
    assert "so- “Called” men" in text
    b = PageBuilder()
    b.line("a", "the people who saw the peo-", 200, 300)
    b.line("a", "‘ple, at last", 200, 344)
    rp = repair_page(b.page(["a"]), lex)
    assert "saw the people, at last" in rp.text
    assert any("stray mark" in d.reason for d in rp.decisions)


def test_quotes_curly_only_on_a_clear_majority(lex):
    # typewritten EHRI-ET-YV3549264_06: a typewriter's straight quotes read curly half the time
    raw = (
        'and leader of the "Kulturbund der Juden in Deutschland", had died just before\n'
        "left they were to say “When are you coming to see us again, Uncle Rahm?” The\n"
        "they thought that we were in good spirits and full of hope.”\n"
    )
    rp = repair_text(raw, lex)
    assert '"When are you coming' in rp.text and '"Kulturbund' in rp.text
    assert "“" not in rp.text and "”" not in rp.text
    # a printed page reads its curly quotes curly nearly always: the odd straight one mended
    printed = repair_text("“Go,” he said, “now” and “then”, don't wait.\n", lex)
    assert printed.text.strip() == "“Go,” he said, “now” and “then”, don’t wait."


def test_a_double_quote_read_as_two_single_ones_is_one(lex):
    # multicol_05 scaled x2.2: Tesseract read most of the page's double quotes as two singles
    raw = "as ‘‘Russians’’ or ‘‘former Soviet citizens.’’ The ‘Great Russians’ said ''no''.\n"
    rp = repair_text(raw, lex)
    assert "“Russians” or “former Soviet citizens.” The ‘Great Russians’" in rp.text
    assert "said “no”." in rp.text  # a curly page: the typed pair becomes a curly double
    assert any(d.original == "‘‘Russians’’" for d in rp.decisions if d.action == "mark")
    # nesting alternates double and single: a double then a single quote is kept as printed
    assert "“‘unique’ he said”" in repair_text("“‘unique’ he said”\n", lex).text


def _starred_page(reference: str) -> PageBuilder:
    # oldbooks e051: a verse with its note's reference, the note at the foot of the page
    b = PageBuilder()
    b.line("a", f"“Their kirtles were of rede {reference}", 500, 400)
    b.line("a", "And hemmed with gold fair and well;", 500, 444)
    b.line("a", "And she hath mensk small.’", 500, 488)
    ln = b.line("n", "* A rich description of silk.", 560, 1000)
    ln.words[0].box = (560, 1006, 580, 1026)  # the star as Tesseract boxed it: bullet-sized
    return b


def test_a_footnote_star_with_its_reference_on_the_page_is_no_bullet(lex):
    rp = repair_page(_starred_page("cendel,*").page(["a", "n"]), lex)
    assert "* A rich description of silk." in rp.text
    assert not [d for d in rp.decisions if d.action == "mark" and "bullet" in d.reason]
    # without a reference on the page the same glyph is a bullet, as before
    rp = repair_page(_starred_page("cendel,").page(["a", "n"]), lex)
    assert "\u25ba A rich description of silk." in rp.text


NOTE = (
    "Here is the address made by Mrs. Catt\n"
    "at the Cleveland Convention of the League\n"
    "of Women Voters when, at her suggestion,\n"
    "the Committee on Election Laws was raised.\n"
)


def test_a_split_word_rejoined_past_a_byline_and_a_note(lex):
    # magazine page mss154040483-76: a column ends `pro-`, the next column opens with the
    # byline and an editor's note, and `gram when necessity arose` follows them
    raw = (
        "combined in support of their own pro-\n\nBy Carrie Chapman Catt\n\n"
        + NOTE
        + "\ngram when necessity arose. The combination held.\n"
    )
    rp = repair_text(raw, lex)
    texts = [p.text for p in rp.paragraphs]
    assert texts[0] == "combined in support of their own program"
    assert texts[1] == "By Carrie Chapman Catt"  # nothing else moves
    assert texts[3] == "when necessity arose. The combination held."
    joins = [d for d in rp.decisions if d.result == "program"]
    assert len(joins) == 1 and "past other text" in joins[0].reason


@pytest.mark.parametrize(
    "tail",
    [
        "zgram when necessity arose.",  # no common word made: left as printed
        "and so it went.\n\ngram when necessity arose.",  # a lower-case paragraph first
    ],
)
def test_a_split_word_not_rejoined_without_its_half(lex, tail):
    raw = f"combined in support of their own pro-\n\nBy Carrie Chapman Catt\n\n{NOTE}\n{tail}\n"
    texts = [p.text for p in repair_text(raw, lex).paragraphs]
    assert texts[0] == "combined in support of their own pro-"
