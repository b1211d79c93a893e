"""Word diff between stages: real de-hyphenations and corrections, coloured only on request."""

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.diff import DELETE, EQUAL, INSERT, render_diff, stage_diff, stage_dir, word_diff

ANSI = re.compile(r"\x1b\[[0-9;]*m")

RAW_OCR = """SOVIET DELEGATES AT GENEVA.

The delegates of the So- viets arrived here this morning, and were met at the station by
tbe Secretary-General of the League. It is understood that the chief object of their
visit is to secure the restoration of the clauses which were elimi-
nated from last year's agreement.
§gsmmm
:S3s'=!«S
The leader of the delegation said that his Government regarded the question as a
matter of national self-
esteem, and that it could not accept any settlement.
"""


def test_dehyphenation_is_a_delete_then_an_insert():
    ops = word_diff("were elimi- nated from last", "were eliminated from last")
    assert ops == [
        (EQUAL, "were"),
        (DELETE, "elimi- nated"),
        (INSERT, "eliminated"),
        (EQUAL, "from last"),
    ]


def test_correction_and_dropped_line_and_line_breaks():
    a = "met at the station by\ntbe Secretary-General\n§gsmmm\nof the League."
    b = "met at the station by the Secretary-General of the League."
    ops = word_diff(a, b)
    assert (DELETE, "tbe") in ops and (INSERT, "the") in ops
    assert (DELETE, "§gsmmm") in ops
    assert not any(op == INSERT and "§" in text for op, text in ops)
    # line breaks are not changes: the words around them are equal
    assert (EQUAL, "met at the station by") in ops


def test_plain_render_uses_markers_and_no_colour_codes():
    out = render_diff(word_diff("the So- viets came", "the Soviets came"), color=False)
    assert out == "the [-So- viets-] {+Soviets+} came"
    assert "\x1b" not in out


def test_colour_render_uses_red_and_green_and_no_markers():
    out = render_diff(word_diff("by tbe League", "by the League"), color=True)
    assert "\x1b[31m" in out and "\x1b[32m" in out
    assert "[-" not in out and "{+" not in out
    assert ANSI.sub("", out) == "by tbe the League"
    red = out.index("\x1b[31m")
    green = out.index("\x1b[32m")
    assert red < out.index("tbe") < green < out.index("the\x1b")


def test_identical_text_has_no_marks():
    text = "Liberty is to faction what air is to fire."
    assert word_diff(text, text) == [(EQUAL, text)]
    assert render_diff(word_diff(text, text), color=True) == text


def test_wrapping_counts_visible_width_only():
    a = " ".join(f"word{i}" for i in range(60))
    b = " ".join(f"word{i}" if i % 7 else f"w0rd{i}" for i in range(60))
    for color in (True, False):
        lines = render_diff(word_diff(a, b), color=color, width=40).splitlines()
        assert len(lines) > 5
        assert all(len(ANSI.sub("", ln)) <= 40 for ln in lines)


def test_stage_names():
    assert stage_dir("2") == stage_dir("ocr") == stage_dir("2-ocr") == "2-ocr"
    assert stage_dir("Repair") == "3-repair"
    assert stage_dir("4") == "4-correct"
    for bad in ("1", "preprocess", "5", "final"):
        with pytest.raises(ValueError):
            stage_dir(bad)


@pytest.fixture(scope="module")
def text_page(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("diff")
    src = tmp / "geneva.txt"
    src.write_text(RAW_OCR, encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(src), "-o", str(tmp / "out"), "-q"])
    assert result.exit_code == 0, result.output
    return tmp / "out" / "geneva"


def test_stage_diff_on_a_real_page_shows_each_logged_correction(text_page):
    rows = list(
        csv.DictReader(
            (text_page / "4-correct" / "corrections.tsv").open(encoding="utf-8"), delimiter="\t"
        )
    )
    assert rows, "the sample has a 'tbe' the correct stage fixes"
    out = stage_diff(text_page, "repair", "4", color=False)
    for r in rows:
        assert f"[-{r['original']}-] {{+{r['replacement']}+}}" in out
    coloured = stage_diff(text_page, "3", "correct", color=True)
    assert "\x1b[32m" in coloured and ANSI.sub("", coloured).count(" ") > 20


def test_stage_diff_needs_text_for_both_stages(text_page):
    with pytest.raises(FileNotFoundError, match="2-ocr"):
        stage_diff(text_page, "ocr", "repair", color=False)  # a .txt input has no OCR stage
    with pytest.raises(ValueError):
        stage_diff(text_page, "1", "4", color=False)
