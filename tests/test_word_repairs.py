"""Word-level repairs of stage 3 that must never leave a page worse than Tesseract's own text:
lines kept that are print (addresses, signature marks), line-end hyphens, quotes and marks.

Lines are from the real development scans (`../shared/data/scans-dev/`) named in each test.
"""

from __future__ import annotations

import pytest

from pipeline import lexicon
from pipeline.repair import repair_page
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
