"""Stage 4: OCR-error correction against the frequency lexicon."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline import fileio, lexicon
from pipeline.correct import correct_paragraphs, run
from pipeline.correct.ocrdistance import ocr_distance
from pipeline.model import Paragraph, RepairedPage, Token, page_text
from pipeline.options import Options

CLEAN = (
    "The Council met on Tuesday evening at the Town Hall, the Mayor presiding. A letter was "
    "read from the Colonial Secretary stating that the Government had approved the proposed "
    "extension of the water supply to the northern part of the town, and that a sum of 1862 "
    "pounds would be placed on the estimates for the work. The committee appointed to inquire "
    "into the state of the roads reported that several of the principal streets were in a very "
    "bad condition after the recent heavy rain, and recommended that tenders should be called "
    "at once for the necessary repairs. After some discussion the report was adopted. The "
    "inspector of nuisances stated that he had visited a number of houses in the lower part "
    "of the town, and found the drainage in many cases defective. He had served notices on "
    "the owners, who had promised to attend to the matter without delay. Alderman Smith moved "
    "that the Council should take steps to secure a suitable site for a public park, as the "
    "population of the district was increasing rapidly, and it was desirable that land should "
    "be reserved before it became too valuable. The motion was seconded and carried. It was "
    "decided to hold a special meeting next week to consider the question of lighting the "
    "streets with gas, the company having offered to supply it at a reduced price. A vote of "
    "thanks to the chairman closed the proceedings. On Saturday afternoon a large number of "
    "people assembled on the wharf to witness the departure of the steamer for Melbourne. The "
    "weather was fine, and the vessel left her moorings shortly after three o'clock with a full "
    "cargo of wool and a good list of passengers, among whom were several well-known residents "
    "of the district. Wollongong and Macquarie were mentioned; prices were 12s. a bushel."
)


@pytest.fixture(scope="module")
def lex() -> lexicon.Lexicon:
    return lexicon.load("eng")


def fix(text: str, lex: lexicon.Lexicon, conf: float | None = None) -> str:
    par = Paragraph("p1", [Token(w, [f"w{i}"], conf) for i, w in enumerate(text.split())])
    out, _ = correct_paragraphs([par], lex)
    return out[0].text


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("tbe", "the"),
        ("thc", "the"),
        ("shaU", "shall"),
        ("tlie", "the"),
        ("cornmittee", "committee"),
        ("wbich", "which"),
    ],
)
def test_real_ocr_errors_fixed(lex, ocr: str, expected: str) -> None:
    assert fix(f"and {ocr} said", lex) == f"and {expected} said"


def test_rn_m_at_sentence_start_keeps_case(lex) -> None:
    assert fix("Govemment said", lex) == "Government said"
    assert fix("Tbe man", lex) == "The man"


def test_punctuation_and_quotes_kept(lex) -> None:
    assert fix('at tbe, "tbe" end', lex) == 'at the, "the" end'


def test_numbers_names_and_clean_text_untouched(lex) -> None:
    par = Paragraph("p1", [Token(w) for w in CLEAN.split()])
    out, log = correct_paragraphs([par], lex)
    assert len(par.tokens) > 300
    assert log == []
    assert out[0].text == CLEAN


def test_capitalised_name_mid_sentence_untouched(lex) -> None:
    # `Govemment` is fixed at a sentence start but a capitalised unknown mid-sentence is
    # treated as a possible name and needs overwhelming evidence
    assert fix("the Chave said", lex) == "the Chave said"
    assert fix("near Wollongong and Macquarie", lex) == "near Wollongong and Macquarie"


def test_user_lexicon_word_untouched(tmp_path: Path) -> None:
    words = tmp_path / "names.txt"
    words.write_text("# local words\ntbe\ncornmittee\n", encoding="utf-8")
    user_lex = lexicon.load("eng", (words,))
    assert fix("and tbe cornmittee", user_lex) == "and tbe cornmittee"


def test_high_confidence_needs_more_evidence(lex) -> None:
    assert fix("Govemment said", lex, conf=30) == "Government said"
    assert fix("Govemment said", lex, conf=97) == "Govemment said"


def test_src_ids_kept_and_log_matches(lex) -> None:
    par = Paragraph("p7", [Token("and", ["a"]), Token("tbe", ["b", "c"], 40.0)], lines=["l1"])
    out, log = correct_paragraphs([par], lex)
    assert [t.src for t in out[0].tokens] == [["a"], ["b", "c"]]
    assert out[0].lines == ["l1"]
    assert len(log) == 1
    assert (log[0].paragraph, log[0].token, log[0].original, log[0].replacement) == (
        "p7",
        1,
        "tbe",
        "the",
    )
    assert log[0].score > 0 and "b->h" in log[0].reason


def test_ocr_distance_prefers_confusions() -> None:
    assert ocr_distance("Govemment", "government") < 0.5
    assert ocr_distance("shaU", "shall") < 0.5
    assert ocr_distance("xyz", "the") >= 2.0


def _write_repair(d: Path, paragraphs: list[Paragraph]) -> None:
    page = RepairedPage("ocr", paragraphs)
    fileio.write_json(d / "repair.json", page.to_json())
    fileio.write_text(d / "text.txt", page_text(paragraphs))


def test_run_writes_three_files(tmp_path: Path) -> None:
    rep, out = tmp_path / "3-repair", tmp_path / "4-correct"
    pars = [
        Paragraph(
            "p1", [Token(w, [f"w{i}"], 50.0) for i, w in enumerate("tbe cornmittee met".split())]
        ),
        Paragraph(
            "p2", [Token(w, [f"v{i}"]) for i, w in enumerate("in 1862 at tlie hall".split())]
        ),
    ]
    _write_repair(rep, pars)
    stats = run(rep, out, Options())
    assert (out / "text.txt").read_text() == "the committee met\n\nin 1862 at the hall\n"
    rows = list(csv.reader((out / "corrections.tsv").open(), delimiter="\t"))
    assert rows[0] == ["paragraph", "token", "original", "replacement", "score", "reason"]
    assert [r[:4] for r in rows[1:]] == [
        ["p1", "0", "tbe", "the"],
        ["p1", "1", "cornmittee", "committee"],
        ["p2", "3", "tlie", "the"],
    ]
    data = fileio.read_json(out / "correct.json")
    assert data["paragraphs"][1]["tokens"][3] == {"text": "the", "src": ["v3"], "conf": None}
    assert stats == {"tokens": 8, "corrections": 3, "unknown_left": 0, "hand_edited": False}


def test_run_uses_hand_edited_text(tmp_path: Path) -> None:
    rep, out = tmp_path / "3-repair", tmp_path / "4-correct"
    _write_repair(rep, [Paragraph("p1", [Token("tbe", ["w0"])])])
    (rep / "text.txt").write_text("Tbe new first line\n\nand tbe second\n", encoding="utf-8")
    stats = run(rep, out, Options())
    assert stats["hand_edited"] is True
    assert (out / "text.txt").read_text() == "The new first line\n\nand the second\n"
    data = fileio.read_json(out / "correct.json")
    assert all(t["src"] == [] for p in data["paragraphs"] for t in p["tokens"])
