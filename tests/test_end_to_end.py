"""The whole tool from the command line, on pages rendered with known text."""

import json
import subprocess
import sys

import pytest
from PIL import Image

from bench.pagegen import PageSpec, render_page
from pipeline.metrics import cer
from tests.drawing import QUOTATION, heading_bar_page, quotation_page, running_head_page
from tests.helpers import invoke, manifest

STAGE_FILES = {
    "1-preprocess": ["image.png", "preprocess.json"],
    "2-ocr": ["ocr.json", "page.hocr", "text.txt"],
    "3-repair": ["repair.json", "text.txt"],
    "4-correct": ["text.txt", "corrections.tsv", "correct.json"],
}

RAW_OCR = """THE HARBOUR WORKS.

The Government has at last deter- mined to proceed with the
new wharf at the foot of Market-street, and the work will be
carried on with all possible despatch. The cost is esti-

mated at 14,000 pounds.
§gsmmm
:S3s'=!«S
It is understood that the contractors will em-
ploy a large number of men during the winter.
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A small three-column newspaper page, run once through the whole pipeline."""
    root = tmp_path_factory.mktemp("e2e")
    img, gt, _ = render_page(
        PageSpec(seed=7, columns=3, headline_lines=1, width_in=6.0, height_in=4.5)
    )
    src = root / "scans" / "gazette.png"
    src.parent.mkdir()
    img.save(src, dpi=(300, 300))
    (root / "scans" / "notes.txt").write_text(RAW_OCR)
    out = root / "out"
    first = invoke("run", str(root / "scans"), "-o", str(out), "-j", "1")
    return {"root": root, "out": out, "gt": gt, "first": first, "src": src}


def test_every_stage_file_exists_and_final_text_is_close_to_the_truth(rendered):
    assert rendered["first"].exit_code == 0, rendered["first"].output
    page = rendered["out"] / "gazette"
    for stage, files in STAGE_FILES.items():
        for f in files:
            assert (page / stage / f).is_file(), f"{stage}/{f} missing"
    man = manifest(page)
    assert man["status"] == "done"
    assert [man["stages"][s]["status"] for s in ("preprocess", "ocr", "repair", "correct")] == [
        "done"
    ] * 4
    final = (page / "4-correct" / "text.txt").read_text()
    raw = (page / "2-ocr" / "text.txt").read_text()
    assert cer(final, rendered["gt"]) < 0.08
    # repair must improve on Tesseract's own text on a hyphenated multi-column page
    assert cer(final, rendered["gt"]) < cer(raw, rendered["gt"])


def test_text_input_enters_at_repair(rendered):
    page = rendered["out"] / "notes"
    assert sorted(p.name for p in page.iterdir() if p.is_dir()) == ["3-repair", "4-correct"]
    final = (page / "4-correct" / "text.txt").read_text()
    assert "determined" in final and "estimated" in final and "employ" in final
    assert "§gsmmm" not in final
    assert "Market-street" in final


def test_second_run_skips_every_stage(rendered):
    out = rendered["out"]
    before = {p: manifest(p) for p in (out / "gazette", out / "notes")}
    again = invoke("run", str(rendered["root"] / "scans"), "-o", str(out), "-j", "1")
    assert again.exit_code == 0
    summary = json.loads((out / "run.json").read_text())
    assert summary["pages"] == 2 and summary["fully_skipped"] == 2
    for p, man in before.items():
        assert manifest(p)["stages"] == man["stages"]  # same start times: nothing re-ran


def test_hand_edit_reruns_only_the_stages_after_it(rendered):
    out = rendered["out"]
    page = out / "notes"
    edited = page / "3-repair" / "text.txt"
    edited.write_text(edited.read_text() + "\nA line the archivist added by hand.\n")
    repair_before = manifest(page)["stages"]["repair"]
    res = invoke("run", str(rendered["root"] / "scans" / "notes.txt"), "-o", str(out), "-j", "1")
    assert res.exit_code == 0
    man = manifest(page)
    assert man["stages"]["repair"] == repair_before
    assert man["stages"]["correct"]["started"] >= repair_before["started"]
    assert man["stages"]["correct"]["stats"].get("hand_edited") is True
    assert "archivist added by hand" in (page / "4-correct" / "text.txt").read_text()


def test_force_and_single_stage_commands_rerun(rendered):
    out = rendered["out"]
    res = invoke("repair", str(out), "--page", "gazette", "--force", "-j", "1")
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "run.json").read_text())
    assert summary["pages"] == 1 and summary["stage_seconds"].keys() == {"repair"}


def test_inspect_shows_each_stage_and_its_figures(rendered):
    res = invoke("inspect", str(rendered["out"] / "gazette"))
    assert res.exit_code == 0
    for word in (
        "1-preprocess",
        "skew",
        "2-ocr",
        "mean confidence",
        "3-repair",
        "hyphens removed",
        "junk lines dropped",
        "4-correct",
        "corrections",
    ):
        assert word in res.output


def test_bad_inputs_fail_alone_with_reasons_and_exit_1(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "good.txt").write_text(RAW_OCR)
    (scans / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (scans / "empty.jpg").write_bytes(b"")
    out = tmp_path / "out"
    res = invoke("run", str(scans), "-o", str(out), "-j", "1")
    assert res.exit_code == 1
    summary = json.loads((out / "run.json").read_text())
    assert summary["done"] == 1 and summary["failed"] == 2
    reasons = {f["name"]: f["error"] for f in summary["failures"]}
    assert "broken.png" in reasons["broken"] and "empty" in reasons["empty"]
    assert (out / "good" / "4-correct" / "text.txt").is_file()
    assert not (out / "broken" / "4-correct").exists()
    assert manifest(out / "broken")["stages"]["preprocess"]["status"] == "failed"


def _paragraphs_of(tmp_path, name: str, page) -> list[str]:
    """The final text's paragraphs of one rendered page run through every stage."""
    scans = tmp_path / "scans"
    scans.mkdir()
    page.save(scans / f"{name}.png", dpi=(300, 300))
    res = invoke("run", str(scans), "-o", str(tmp_path / "out"), "-j", "1")
    assert res.exit_code == 0
    return (tmp_path / "out" / name / "4-correct" / "text.txt").read_text().split("\n\n")


def test_a_heading_printed_white_on_black_is_read_as_a_paragraph_of_its_own(tmp_path):
    """A heading bar across the page (reaching its edges, as a scanner bed does) keeps its
    white letters through stage 1, and the heading is not run into the text under it."""
    paragraphs = _paragraphs_of(tmp_path, "section", heading_bar_page())
    assert paragraphs[0].strip() == "SPORTING NEWS OF THE WEEK"
    assert paragraphs[1].startswith("The committee met on Tuesday")


def test_a_running_head_is_not_run_into_the_sentence_under_it(tmp_path):
    """A book page after a chapter's first starts mid-sentence, lower case, under its running
    head; the head stays a line of its own and the sentence starts the first paragraph."""
    paragraphs = _paragraphs_of(tmp_path, "p37", running_head_page())
    assert paragraphs[0].strip() == "THE BRIDGE AT HANWELL 37"
    assert paragraphs[1].startswith("to consider the proposal for a new bridge")


def test_a_quotation_set_in_from_the_column_is_one_paragraph(tmp_path):
    """A passage set in from the column's edge was a paragraph a line (each line looked like
    a first-line indent); it is one paragraph between the text before and after it."""
    paragraphs = _paragraphs_of(tmp_path, "quote", quotation_page())
    assert len(paragraphs) == 3
    assert cer(paragraphs[1].strip(), " ".join(QUOTATION)) < 0.02


def test_usage_errors_exit_2(tmp_path):
    assert invoke("run", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "o")).exit_code == 2
    assert invoke("run", "--from", "correct", "--to", "ocr", str(tmp_path)).exit_code == 2


def test_multipage_tiff_gives_one_folder_per_page(tmp_path):
    img, _, _ = render_page(PageSpec(seed=3, layout="book", columns=1, width_in=4, height_in=3))
    src = tmp_path / "issue.tif"
    img.save(src, save_all=True, append_images=[img.rotate(180)], dpi=(300, 300))
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "--to", "preprocess", "-j", "2")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["issue-p0001", "issue-p0002"]


def test_python_dash_m_works():
    res = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True
    )
    assert res.returncode == 0 and "inspect" in res.stdout


def test_stage_inputs_are_atomic_no_temp_files_left(rendered):
    leftovers = list(rendered["out"].rglob("*.tmp"))
    assert leftovers == []
    stage1 = rendered["out"] / "gazette" / "1-preprocess"
    image = Image.open(stage1 / "image.png")
    stats = json.loads((stage1 / "preprocess.json").read_text())
    # a grey scan goes to Tesseract grey, a bilevel one bilevel; either way a whole PNG
    assert image.mode == {"bilevel": "1"}.get(stats["image_for_ocr"], "L")
    image.load()


def test_inspect_headlines_count_in_singular_and_plural():
    from pipeline.inspect_page import headline

    assert headline("correct", {"corrections": 1, "unknown_left": 2}) == (
        "1 correction, 2 unknown words left"
    )
    assert headline("repair", {"paragraphs": 3, "columns": 1, "junk_dropped": 0}) == (
        "3 paragraphs, 1 column, 0 junk lines dropped"
    )
