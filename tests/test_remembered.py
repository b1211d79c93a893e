"""A batch's options are remembered in OUTPUT/options.json; --retry-failed covers the batch."""

import json
import subprocess
import sys

from tests.drawing import text_page
from tests.helpers import RAW, invoke, read_json, without_root_override


def test_a_stage_command_reuses_the_batch_options_and_records_an_override(tmp_path):
    page = tmp_path / "notice.txt"
    page.write_text("The Wrzesnia council met.\n")
    lex = tmp_path / "names.txt"
    lex.write_text("Wrzesnia\n")
    out = tmp_path / "out"
    res = invoke(
        "run", str(page), "-o", str(out), "-j", "1", "--lexicon", str(lex), "--timeout", "50"
    )
    assert res.exit_code == 0, res.output
    assert read_json(out / "options.json")["lexicons"] == [str(lex.resolve())]
    res = invoke("repair", str(out), "-j", "1")  # no --lexicon: the batch's is used
    assert res.exit_code == 0, res.output
    assert read_json(out / "run.json")["fully_skipped"] == 1  # nothing re-ran
    res = invoke("correct", str(out), "-j", "1", "--timeout", "99")
    assert res.exit_code == 0, res.output
    remembered = read_json(out / "options.json")
    assert remembered["timeout"] == 99 and remembered["lexicons"] == [str(lex.resolve())]


def test_dpi_on_the_stage_command_and_remembered(tmp_path):
    pdf = tmp_path / "paper.pdf"
    text_page().save(pdf)
    out = tmp_path / "out"
    res = invoke("run", str(pdf), "-o", str(out), "--to", "preprocess", "-j", "1", "--dpi", "200")
    assert res.exit_code == 0, res.output
    pre = out / "paper" / "1-preprocess" / "preprocess.json"
    res = invoke("preprocess", str(out), "-j", "1")
    assert res.exit_code == 0 and read_json(out / "run.json")["fully_skipped"] == 1
    assert read_json(pre)["dpi_in"] == 200
    res = invoke("preprocess", str(out), "-j", "1", "--dpi", "150")
    assert res.exit_code == 0, res.output
    assert read_json(pre)["dpi_in"] == 150 and read_json(out / "options.json")["pdf_dpi"] == 150


def test_psm_is_remembered_and_part_of_the_ocr_fingerprint(tmp_path):
    scan = tmp_path / "scan.png"
    text_page().save(scan)
    out = tmp_path / "out"
    res = invoke("run", str(scan), "-o", str(out), "--to", "ocr", "-j", "1", "--psm", "6")
    assert res.exit_code == 0, res.output
    res = invoke("ocr", str(out), "-j", "1")
    assert res.exit_code == 0 and read_json(out / "run.json")["fully_skipped"] == 1
    res = invoke("ocr", str(out), "-j", "1", "--psm", "4")
    assert res.exit_code == 0 and read_json(out / "run.json")["fully_skipped"] == 0
    assert read_json(out / "options.json")["psm"] == 4


def test_retry_failed_keeps_run_json_a_whole_batch_summary(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b", "c"):
        (src / f"{name}.txt").write_text(RAW)
    (src / "late.txt").write_bytes(b"")  # empty: fails
    lex = tmp_path / "names.txt"
    lex.write_text("Wrzesnia\n")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1", "--lexicon", str(lex))
    assert res.exit_code == 1
    (src / "late.txt").write_text(RAW)
    res = invoke("run", "--retry-failed", str(out), "-j", "1")
    assert res.exit_code == 0, res.output
    s = read_json(out / "run.json")
    assert (s["pages"], s["done"], s["failed"], s["failures"]) == (4, 4, 0, [])
    assert s["retry"]["pages"] == 1
    man = read_json(out / "late" / "manifest.json")
    assert man["status"] == "done"
    assert read_json(out / "options.json")["lexicons"] == [str(lex.resolve())]  # the batch's


def test_retry_failed_reruns_a_failure_its_manifest_could_not_record(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b"):
        (src / f"{name}.txt").write_text(RAW)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "-o", str(out), "-j", "1"]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    (src / "b.txt").write_text("The mayor spoke on Friday.\n")  # b changed: b re-runs
    (out / "b").chmod(0o555)  # ...but its folder (manifest and all) cannot be written
    try:
        res = subprocess.run(without_root_override(cmd), capture_output=True, text=True)
    finally:
        (out / "b").chmod(0o755)
    assert res.returncode == 1, res.stderr
    assert read_json(out / "b" / "manifest.json")["status"] == "done"  # stale: the old text's
    [failure] = read_json(out / "run.json")["failures"]
    assert failure["name"] == "b"
    res = invoke("run", "--retry-failed", str(out), "-j", "1")
    assert res.exit_code == 0, res.output
    assert (out / "b" / "4-correct" / "text.txt").read_text().startswith("The mayor")
    s = read_json(out / "run.json")
    assert (s["pages"], s["done"], s["failed"]) == (2, 2, 0)


def test_an_output_from_before_options_json_keeps_its_language_and_lexicons(tmp_path):
    from pipeline.batchoptions import remembered

    lex = tmp_path / "names.txt"
    lex.write_text("Wrzesnia\n")
    out = tmp_path / "out"
    out.mkdir()
    args = {"command": "run", "lang": "deu", "lexicons": [str(lex), str(tmp_path / "gone.txt")]}
    (out / "run.json").write_text(json.dumps({"args": args}))
    options = remembered(out)
    assert options.lang == "deu" and options.lexicons == (lex.resolve(),)
    assert remembered(tmp_path / "new").lang == "eng"
