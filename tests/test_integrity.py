"""Issue #14: nothing lost, nothing stale, nothing marked done that is not."""

import json
import os
import time
from pathlib import Path

from PIL import Image

from pipeline.inputs import page_names
from tests.drawing import text_page
from tests.helpers import RAW, invoke, manifest, summary


def write(path: Path, text: str = RAW) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# 1. name collisions


def test_a_later_run_never_takes_the_folder_of_another_input(tmp_path):
    one = write(tmp_path / "issue1" / "page-001.txt", "The first issue of the paper.\n")
    two = write(tmp_path / "issue2" / "page-001.txt", "The second issue of the paper.\n")
    out = tmp_path / "out"
    assert invoke("run", str(one), "-o", str(out), "-j", "1").exit_code == 0
    assert invoke("run", str(two), "-o", str(out), "-j", "1").exit_code == 0
    assert "first issue" in (out / "page-001" / "4-correct" / "text.txt").read_text()
    assert "second issue" in (out / "issue2_page-001" / "4-correct" / "text.txt").read_text()
    assert manifest(out / "page-001")["source"] == str(one.resolve())
    assert manifest(out / "issue2_page-001")["source"] == str(two.resolve())
    # each keeps its folder, alone or together: resume finds every finished stage
    repaired = manifest(out / "page-001")["stages"]["repair"]["started"]
    both = [str(tmp_path / "issue1"), str(tmp_path / "issue2"), "-o", str(out)]
    assert invoke("run", *both).exit_code == 0
    assert manifest(out / "page-001")["stages"]["repair"]["started"] == repaired
    assert invoke("run", *both).exit_code == 0 and summary(out)["fully_skipped"] == 2
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["issue2_page-001", "page-001"]


def test_a_scan_and_its_text_in_one_folder_get_a_folder_each(tmp_path):
    folder = tmp_path / "1923"
    folder.mkdir()
    text_page().save(folder / "page1.png")
    write(folder / "page1.txt", "SOVIETS MEET\n\nThe delegates assembled on Monday.\n")
    out = tmp_path / "out"
    res = invoke("run", str(folder), "-o", str(out), "-j", "2", "--to", "repair")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["page1-png", "page1-txt"]
    assert (out / "page1-png" / "2-ocr" / "ocr.json").is_file()
    assert not (out / "page1-txt" / "1-preprocess").exists()
    assert "delegates" in (out / "page1-txt" / "3-repair" / "text.txt").read_text()


def test_deeper_paths_that_share_their_last_folders_are_told_apart(tmp_path):
    a = write(tmp_path / "c1" / "x" / "issue" / "p.txt")
    b = write(tmp_path / "c2" / "x" / "issue" / "p.txt")
    out = tmp_path / "out"
    assert invoke("run", str(a), str(b), "-o", str(out), "-j", "1").exit_code == 0
    assert (out / "c1_x_issue_p" / "4-correct" / "text.txt").is_file()
    assert (out / "c2_x_issue_p" / "4-correct" / "text.txt").is_file()


def test_names_are_the_same_for_the_same_input_whatever_else_the_output_holds(tmp_path):
    one, two = Path("/s/issue1/page-001.png"), Path("/s/issue2/page-001.png")
    assert page_names([one, two]) == {one: "issue1_page-001", two: "issue2_page-001"}
    claims = {"page-001": (str(one), 0), "issue2_page-001": (str(two), 0)}
    assert page_names([two, one], claims) == {two: "issue2_page-001", one: "page-001"}
    taken = {"page-001": None}  # a folder that is no page of ours is never taken either
    assert page_names([one], taken) == {one: "issue1_page-001"}
    assert page_names([Path("/s/report.png")]) == {Path("/s/report.png"): "s_report"}


def test_a_page_folder_that_belongs_to_another_input_is_refused(tmp_path):
    from pipeline.inputs import PageJob
    from pipeline.options import Options
    from pipeline.runner import Plan, run_page

    one, two = write(tmp_path / "a" / "p.txt"), write(tmp_path / "b" / "p.txt", "Other.\n")
    out = tmp_path / "out"
    plan = Plan(out, Options(), "repair", "repair")
    assert run_page(PageJob("p", one, 0, "text"), plan).status == "done"
    result = run_page(PageJob("p", two, 0, "text"), plan)
    assert result.status == "failed" and str(one.resolve()) in result.error
    assert manifest(out / "p")["source"] == str(one.resolve())
    assert "council" in (out / "p" / "3-repair" / "text.txt").read_text()


# 2. bad text inputs


def test_text_inputs_are_decoded_by_their_marks_and_bad_ones_fail_alone(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "bom16.txt").write_bytes("SOVIETS MEET\n\nThe delegates came.\n".encode("utf-16"))
    (src / "plain16.txt").write_bytes("Council news.\n".encode("utf-16-le"))
    (src / "noise.txt").write_bytes(os.urandom(20_000))
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("\n  \n\t\n")
    (src / "huge.txt").write_bytes(b"word " * 400_000)  # 2 MB
    write(src / "good.txt")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1")
    assert res.exit_code == 1
    errors = {f["name"]: f["error"] for f in summary(out)["failures"]}
    assert set(errors) == {"noise", "empty", "blank", "huge"}, errors
    assert "not a text file" in errors["noise"]
    assert "empty (0 bytes)" in errors["empty"]
    assert "no text" in errors["blank"]
    assert "2.0 MB" in errors["huge"] and "split it" in errors["huge"]
    for name, error in errors.items():
        assert error.startswith(str(src / f"{name}.txt")), error
        assert not (out / name / "4-correct").exists()
        assert manifest(out / name)["status"] == "failed"
    assert "SOVIETS MEET" in (out / "bom16" / "4-correct" / "text.txt").read_text()
    assert "Council news" in (out / "plain16" / "4-correct" / "text.txt").read_text()
    assert (out / "good" / "4-correct" / "text.txt").is_file()


def test_a_text_that_takes_too_long_is_stopped_at_the_time_limit(tmp_path):
    sentence = "The council agreed to build a new bridge over the river at Parramatta. "
    big = write(tmp_path / "book.txt", (sentence * 12 + "\n\n") * 1000)  # 880 KB, ~15 s
    out = tmp_path / "out"
    t0 = time.monotonic()
    res = invoke("run", str(big), "-o", str(out), "-j", "1", "--timeout", "1")
    assert time.monotonic() - t0 < 8
    assert res.exit_code == 1
    [failure] = summary(out)["failures"]
    assert "took longer than 1 s" in failure["error"] and "split it" in failure["error"]
    stage = failure["error"].split(": ")[1].split()[0]  # repair, or correct if repair was quick
    assert manifest(out / "book")["stages"][stage]["status"] == "failed"
    assert manifest(out / "book")["status"] == "failed"
    assert not (out / "book" / "4-correct" / "text.txt").exists()


# 3. "done" that is not


def _interrupt_between_passes(monkeypatch):
    from pipeline import batch

    def interrupted(output):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "learn_batch_lexicon", interrupted)


def test_a_run_stopped_between_its_passes_leaves_no_page_done(tmp_path, monkeypatch):
    page = write(tmp_path / "a.txt", "The first version of the page.\n")
    out = tmp_path / "out"
    with monkeypatch.context() as m:  # Ctrl-C after pass 1 of the first run
        _interrupt_between_passes(m)
        assert invoke("run", str(page), "-o", str(out), "-j", "1").exit_code == 130
    assert manifest(out / "a")["status"] == "incomplete"
    assert invoke("run", str(page), "-o", str(out), "-j", "1").exit_code == 0
    assert manifest(out / "a")["status"] == "done"
    # the page changes; the next run is stopped between its passes
    page.write_text("The second version of the page.\n")
    with monkeypatch.context() as m:
        _interrupt_between_passes(m)
        assert invoke("run", str(page), "-o", str(out), "-j", "1").exit_code == 130
    assert "second" in (out / "a" / "3-repair" / "text.txt").read_text()
    assert not (out / "a" / "4-correct" / "text.txt").exists()  # never the old final text
    assert manifest(out / "a")["status"] == "incomplete"
    assert "correct" not in manifest(out / "a")["stages"]
    res = invoke("export", str(out), "--format", "txt")
    assert res.exit_code == 1 and not (out / "a" / "a.txt").exists()
    assert invoke("run", "--retry-failed", str(out), "-j", "1").exit_code == 0
    assert "second" in (out / "a" / "4-correct" / "text.txt").read_text()
    assert manifest(out / "a")["status"] == "done"


def test_a_full_disk_between_the_passes_fails_the_pages_it_leaves_uncorrected(
    tmp_path, monkeypatch
):
    import errno

    from pipeline import fileio

    real = fileio.write_atomic

    def no_space(path, writer):
        if Path(path).name == "batch-lexicon.tsv":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, writer)

    page = write(tmp_path / "a.txt")
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        m.setattr(fileio, "write_atomic", no_space)
        res = invoke("run", str(page), "-o", str(out), "-j", "1")
    assert res.exit_code == 1 and "Traceback" not in res.output
    [failure] = summary(out)["failures"]
    assert "disk full" in failure["error"] and "run the same command again" in failure["error"]
    assert manifest(out / "a")["status"] == "incomplete"
    assert invoke("run", str(page), "-o", str(out), "-j", "1").exit_code == 0
    assert (out / "a" / "4-correct" / "text.txt").is_file()


def test_preprocess_at_another_size_removes_every_later_file_and_export(tmp_path):
    pdf = tmp_path / "paper.pdf"
    text_page().save(pdf, resolution=100)
    out = tmp_path / "out"
    args = ["run", str(pdf), "-o", str(out), "-j", "1", "--format", "alto,txt"]
    assert invoke(*args, "--dpi", "150").exit_code == 0
    page = out / "paper"
    assert (page / "paper.alto.xml").is_file() and (page / "paper.txt").is_file()
    assert invoke(*args[:-2], "--to", "preprocess", "--dpi", "200").exit_code == 0
    assert (page / "1-preprocess" / "image.png").is_file()
    left = sorted(str(p.relative_to(page)) for p in page.rglob("*") if p.is_file())
    assert left == ["1-preprocess/image.png", "1-preprocess/preprocess.json", "manifest.json"]
    assert list(manifest(page)["stages"]) == ["preprocess"]
    assert invoke("export", str(out)).exit_code == 1  # not corrected: nothing to export
    assert invoke(*args, "--dpi", "200").exit_code == 0
    width = Image.open(page / "1-preprocess" / "image.png").width
    assert f'WIDTH="{width}"' in (page / "paper.alto.xml").read_text()


# 4. an OUTPUT inside an input folder


def test_running_a_folder_twice_never_reads_its_own_output(tmp_path, monkeypatch):
    work = tmp_path / "work"
    write(work / "letter.txt", "The abbot would shew the cloisters to the bishop.\n")
    text_page().save(work / "scan.png")
    monkeypatch.chdir(work)
    for _ in range(2):
        res = invoke("run", ".", "-j", "2")  # OUTPUT is ./output, inside the input folder
        assert res.exit_code == 0, res.output
        assert summary(work / "output")["pages"] == 2
    assert "skipped: output: an output folder" in res.output
    pages = sorted(p.name for p in (work / "output").iterdir() if p.is_dir())
    assert pages == ["letter", "scan"]
    assert "cloisters\t1\n" in (work / "output" / "batch-lexicon.tsv").read_text()


def test_an_output_written_into_the_input_folder_itself_keeps_out_its_pages(tmp_path):
    work = tmp_path / "work"
    write(work / "letter.txt")
    args = ["run", str(work), "-o", str(work), "-j", "1"]
    assert invoke(*args).exit_code == 0
    res = invoke(*args)
    assert res.exit_code == 0 and summary(work)["pages"] == 1, res.output
    assert f"skipped: {work / 'letter'}" in res.output
    assert sorted(p.name for p in work.iterdir() if p.is_dir()) == ["letter"]


# 5. damaged inputs that used to stop the batch


def test_a_truncated_multi_page_tiff_fails_alone(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    pages = [text_page(size=30 + 2 * i) for i in range(3)]
    whole = tmp_path / "whole.tif"
    pages[0].save(whole, save_all=True, append_images=pages[1:], compression="tiff_lzw")
    data = whole.read_bytes()
    (src / "bound.tif").write_bytes(data[: int(len(data) * 0.95)])
    text_page().save(src / "loose.png")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "2", "--to", "preprocess")
    assert res.exit_code == 1
    [failure] = summary(out)["failures"]
    assert failure["name"] == "bound-p0003", failure
    assert "corrupt or truncated" in failure["error"] and "re-scan" in failure["error"]
    for name in ("bound-p0001", "bound-p0002", "loose"):
        assert (out / name / "1-preprocess" / "image.png").is_file()


def test_a_list_with_a_windows_1252_line_and_utf16_ground_truth_are_read(tmp_path):
    cafe = write(tmp_path / "café.txt", "The café opened on Tuesday.\n")
    plain = write(tmp_path / "plain.txt")
    listing = tmp_path / "list.txt"
    listing.write_bytes(f"{plain}\n".encode() + f"{cafe}\r\n".encode("cp1252"))
    out = tmp_path / "out"
    res = invoke("run", "--from-list", str(listing), "-o", str(out), "-j", "1")
    assert res.exit_code == 0, res.output
    assert (out / "café" / "4-correct" / "text.txt").is_file()
    gt = tmp_path / "gt"
    gt.mkdir()
    (gt / "café.gt.txt").write_bytes("The café opened on Tuesday.\r\n".encode("utf-16"))
    res = invoke("eval", str(out), "--gt", str(gt))
    assert res.exit_code == 0, res.output
    report = json.loads((out / "eval.json").read_text())
    assert report["pages"]["café"]["stage4"]["cer"] == 0


# 6. hand edits are kept when an earlier stage re-runs


def test_hand_edits_are_kept_aside_when_their_stage_runs_again(tmp_path):
    src = write(tmp_path / "letter.txt")
    out = tmp_path / "out"
    assert invoke("run", str(src), "-o", str(out), "-j", "1").exit_code == 0
    page = out / "letter"
    repaired, final = page / "3-repair" / "text.txt", page / "4-correct" / "text.txt"
    repaired.write_text(repaired.read_text() + "\nA line the archivist added.\n")
    final.write_text("The archivist's own final text.\n")
    names = write(tmp_path / "names.txt", "Tuesday\n")
    res = invoke("run", str(src), "-o", str(out), "-j", "1", "--lexicon", str(names))
    assert res.exit_code == 0, res.output
    [kept3] = (page / "3-repair").glob("text.txt.edited-*")
    [kept4] = (page / "4-correct").glob("text.txt.edited-*")
    assert "archivist added" in kept3.read_text()
    assert kept4.read_text() == "The archivist's own final text.\n"
    assert f"kept as 3-repair/{kept3.name}" in res.output
    assert f"kept as 4-correct/{kept4.name}" in res.output
    files = [e["file"] for e in manifest(page)["edits_kept"]]
    assert files == [f"3-repair/{kept3.name}", f"4-correct/{kept4.name}"]
    assert "archivist" not in final.read_text()
    # a manifest that lost its stages re-runs every stage: the edit survives that too
    final.write_text("Edited once more.\n")
    man = manifest(page)
    (page / "manifest.json").write_text(json.dumps({"source": man["source"], "page": 1}))
    res = invoke("run", str(src), "-o", str(out), "-j", "1", "--lexicon", str(names))
    assert res.exit_code == 0, res.output
    assert "Edited once more.\n" in [p.read_text() for p in (page / "4-correct").glob("text.txt.*")]
    # an unedited text is simply replaced: nothing is kept aside for it
    assert invoke("run", str(src), "-o", str(out), "-j", "1", "--force").exit_code == 0
    assert len(list(page.glob("*/text.txt.edited-*"))) == 3


# 7. one writer per OUTPUT; workers die with their run


def _children(pid: int) -> set[int]:
    kids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            kids.add(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_second_run_on_a_busy_output_stops_at_once(tmp_path):
    import fcntl

    src = write(tmp_path / "letter.txt")
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".ocr-pipeline.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a running batch holds
    try:
        res = invoke("run", str(src), "-o", str(out), "-j", "1")
        assert res.exit_code == 2
        [line] = res.output.strip().splitlines()
        assert "another ocr-pipeline run is writing to this folder" in line
        assert not (out / "letter").exists()
    finally:
        os.close(fd)
    assert invoke("run", str(src), "-o", str(out), "-j", "1").exit_code == 0


def test_kill_minus_9_of_the_run_takes_its_workers_with_it(tmp_path):
    import subprocess
    import sys

    from PIL import Image  # noqa: F401  (the pages below are images)

    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        text_page(size=30 + 2 * i).save(src / f"page{i}.png")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "-o", str(out), "-j", "2", "-q"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert len(workers) >= 2
    proc.kill()  # the main process only, as `kill -9 PID` does
    proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived their run"
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr  # the dead run's lock is gone with it
    assert len(list(out.glob("*/4-correct/text.txt"))) == 6


# 12. Ctrl-C twice


def test_two_ctrl_c_in_quick_succession_still_stop_cleanly(tmp_path):
    import signal
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        text_page(size=30 + 2 * i).save(src / f"page{i}.png")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "-o", str(out), "-j", "2"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("*/2-ocr")) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.3)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("the run hung after two Ctrl-C") from None
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "workers outlived the run"
    assert not list(out.rglob("*.tmp"))


# 10. names the file system allows but the rest of the world does not


def test_a_name_that_is_not_utf8_and_a_very_long_name_work(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    odd = os.fsdecode(b"caf\xe9-page.txt")  # Latin-1 bytes in a file name
    write(src / odd)
    long_stem = "x" * 250
    write(src / f"{long_stem}.txt")
    write(src / "plain.txt")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1")
    assert res.exit_code == 0, res.output
    assert (out / os.fsdecode(b"caf\xe9-page") / "4-correct" / "text.txt").is_file()
    assert manifest(out / os.fsdecode(b"caf\xe9-page"))["source"] == str((src / odd).resolve())
    assert summary(out)["done"] == 3
    assert invoke("run", str(src), "-o", str(out), "-j", "1").exit_code == 0  # resumes
    assert summary(out)["fully_skipped"] == 3
    rep = invoke("report", str(out))
    assert rep.exit_code == 0, rep.output
    exp = invoke("export", str(out), "--format", "txt")
    assert exp.exit_code == 0, exp.output
    assert (out / "plain" / "plain.txt").is_file()
    assert (out / os.fsdecode(b"caf\xe9-page") / os.fsdecode(b"caf\xe9-page.txt")).is_file()
    assert (out / long_stem / f"{long_stem}.txt").is_file()
    index = (out / "report" / "index.html").read_text()
    assert "caf%E9-page.html" in index and "caf\ufffd-page" in index
    assert not list(out.rglob("*.tmp"))


# 14. messages that name the problem


def test_word_lists_in_any_encoding_and_a_binary_one_named_up_front(tmp_path):
    src = write(tmp_path / "letter.txt")
    for name, data in (
        ("utf16.txt", "\ufeffTuesday\nbridge\n".encode("utf-16-le")),
        ("latin1.txt", "Tuesday\ncaf\xe9\n".encode("latin-1")),
    ):
        lex = tmp_path / name
        lex.write_bytes(data)
        res = invoke(
            "run", str(src), "-o", str(tmp_path / f"out-{name}"), "-j", "1", "--lexicon", str(lex)
        )
        assert res.exit_code == 0, res.output
    binary = tmp_path / "words.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    res = invoke("run", str(src), "-o", str(tmp_path / "bin"), "-j", "1", "--lexicon", str(binary))
    assert res.exit_code == 2
    [line] = res.output.strip().splitlines()
    assert str(binary) in line and "not a word list" in line


def test_bad_timeout_and_unknown_language_are_usage_errors(tmp_path):
    src = write(tmp_path / "letter.txt")
    for value in ("-1", "nan", "inf", "0"):
        res = invoke("run", str(src), "-o", str(tmp_path / "out"), "--timeout", value)
        assert res.exit_code == 2 and "--timeout" in res.output, (value, res.output)
    res = invoke("run", str(src), "-o", str(tmp_path / "out"), "--lang", "xyz")
    assert res.exit_code == 2
    [line] = res.output.strip().splitlines()
    assert "--lang xyz" in line and "LookupError" not in line


def test_a_stage_whose_output_cannot_be_read_is_not_current(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text_page().save(src / "page.png")
    out = tmp_path / "out"
    assert invoke("run", str(src), "-o", str(out), "-j", "1").exit_code == 0
    (out / "page" / "2-ocr" / "ocr.json").write_text("{ not json")
    res = invoke("run", str(src), "-o", str(out), "-j", "1")
    assert res.exit_code == 0, res.output
    json.loads((out / "page" / "2-ocr" / "ocr.json").read_text())
    assert manifest(out / "page")["status"] == "done"


def test_linked_folders_are_followed_once_and_a_loop_is_named(tmp_path):
    real = tmp_path / "archive" / "1923"
    write(real / "page.txt")
    src = tmp_path / "in"
    src.mkdir()
    (src / "1923").symlink_to(real, target_is_directory=True)
    (src / "1923" / "back").symlink_to(src, target_is_directory=True)  # a loop
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1")
    assert (out / "page" / "4-correct" / "text.txt").is_file(), res.output
    problems = summary(out)["input_problems"]
    assert len(problems) == 1 and "link to a folder already searched" in problems[0]


def test_messages_for_skipped_exports_failed_stages_and_missing_ground_truth(tmp_path):
    src = write(tmp_path / "letter.txt")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1", "--format", "pdf")
    assert res.exit_code == 0
    assert "note: letter: export: no page image (text input): pdf skipped" in res.output
    assert summary(out)["notes"]
    (out / "eval.json").write_text('{"kept": true}')
    gt = tmp_path / "gt"
    gt.mkdir()
    res = invoke("eval", str(out), "--gt", str(gt))
    assert res.exit_code == 1 and "no <name>.gt.txt" in res.output
    assert json.loads((out / "eval.json").read_text()) == {"kept": True}
    pic = tmp_path / "pics"
    pic.mkdir()
    (pic / "tiny.png").write_bytes(b"not a png")
    out2 = tmp_path / "out2"
    assert invoke("run", str(pic), "-o", str(out2), "-j", "1").exit_code == 1
    res = invoke("ocr", str(out2), "-j", "1")
    assert res.exit_code == 1
    assert "stage preprocess failed (" in res.output and "has not run yet" not in res.output


def test_pdf_errors_say_password_and_are_not_stale(tmp_path):
    import pypdfium2
    from reportlab.pdfgen import canvas

    src = tmp_path / "in"
    src.mkdir()
    c = canvas.Canvas(str(src / "a-locked.pdf"), encrypt="secret")
    c.drawString(100, 100, "private")
    c.showPage()
    c.save()
    (src / "b-broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    empty = pypdfium2.PdfDocument.new()
    empty.save(str(src / "c-empty.pdf"))
    empty.close()
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1")
    assert res.exit_code == 1
    errors = {f["name"]: f["error"].split(": ", 1)[1] for f in summary(out)["failures"]}
    assert "password" in errors["a-locked"]
    assert "password" not in errors["b-broken"] and "PDFium" not in errors["b-broken"]
    assert "password" not in errors["c-empty"] and "Success" not in errors["c-empty"]
    assert "has no pages" in errors["c-empty"]


def test_kill_minus_9_of_the_run_takes_a_running_tesseract_with_it(tmp_path):
    import stat
    import subprocess
    import sys

    from pipeline.ocr.tesseract import TESSERACT_ENV

    fake = tmp_path / "fake-tesseract"
    fake.write_text(  # a Tesseract that hangs on every page
        '#!/bin/sh\ncase "$1" in *.png) exec sleep 120;; esac\nexec tesseract "$@"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    src = tmp_path / "in"
    src.mkdir()
    for i in range(2):
        text_page(size=30 + 2 * i).save(src / f"page{i}.png")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "-o", str(out), "-j", "2", "-q"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", TESSERACT_ENV: str(fake)}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    hung: set[int] = set()
    while len(hung) < 2 and time.monotonic() < deadline:
        hung = {c for w in _children(proc.pid) for c in _children(w)}
        time.sleep(0.05)
    assert len(hung) == 2
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in hung) and time.monotonic() < deadline:
        time.sleep(0.05)
    leftover = [p for p in hung if _alive(p)]
    for p in leftover:
        os.kill(p, 9)
    assert not leftover, "Tesseract outlived the run"


def test_a_stage_command_with_a_bad_option_leaves_healthy_pages_done(tmp_path):
    src = write(tmp_path / "letter.txt")
    out = tmp_path / "out"
    assert invoke("run", str(src), "-o", str(out), "-j", "1").exit_code == 0
    final = (out / "letter" / "4-correct" / "text.txt").read_text()
    binary = tmp_path / "words.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    for bad in (["--lexicon", str(binary)], ["--lang", "xyz"], ["--timeout", "0"]):
        res = invoke("correct", str(out), *bad)
        assert res.exit_code == 2, res.output
    assert manifest(out / "letter")["status"] == "done"
    assert (out / "letter" / "4-correct" / "text.txt").read_text() == final
    (out / "letter" / "3-repair" / "repair.json").write_text("{ damaged")
    res = invoke("correct", str(out), "-j", "1")
    assert res.exit_code == 1 and "stage repair are missing or damaged" in res.output


def test_an_export_name_too_long_fails_that_page_alone(tmp_path):
    from pipeline import lock

    src = tmp_path / "in"
    src.mkdir()
    long_stem = "p" * 250  # `<stem>.alto.xml` is 259 bytes: more than a file name may have
    text_page().save(src / f"{long_stem}.png")
    write(src / "short.txt")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1", "--format", "alto,txt")
    assert res.exit_code == 1
    [failure] = summary(out)["failures"]
    assert failure["name"] == long_stem and "file name too long" in failure["error"]
    assert (out / long_stem / "4-correct" / "text.txt").is_file()
    assert (out / "short" / "short.txt").is_file()
    assert not list(out.rglob("*.tmp"))
    assert not lock.held()  # the lock went with the command
