"""Batches: PDFs, lists, retries, worker faults, interruption, and the Dask executor."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from pipeline.ocr.tesseract import TESSERACT_ENV
from tests.drawing import text_page
from tests.helpers import RAW, invoke, summary, without_root_override


def _misbehaving(when: str, action: str) -> str:
    """A stand-in's script that misbehaves on pages whose path contains `when`, else runs the
    real Tesseract."""
    real = subprocess.run(["which", "tesseract"], capture_output=True, text=True).stdout.strip()
    return f'case "$1" in *{when}*) {action};; esac\nexec {real} "$@"'


def _page_folder(tmp_path: Path, n: int) -> Path:
    """A folder of n rendered pages, each in a different type size."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        text_page(size=30 + 2 * i).save(src / f"page{i}.png")
    return src


def test_pdf_pages_and_a_broken_pdf(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text_page().save(src / "paper.pdf", save_all=True, append_images=[text_page(size=30)])
    (src / "damaged.pdf").write_bytes(b"%PDF-1.4\n% nothing else")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "--to", "preprocess", "-j", "1", "--dpi", "200")
    assert res.exit_code == 1
    assert (out / "paper-p0001" / "1-preprocess" / "image.png").is_file()
    assert (out / "paper-p0002" / "1-preprocess" / "image.png").is_file()
    pre = json.loads((out / "paper-p0001" / "1-preprocess" / "preprocess.json").read_text())
    assert pre["dpi_in"] == 200
    [failure] = summary(out)["failures"]
    assert failure["name"] == "damaged" and "PDF cannot be opened" in failure["error"]


def test_from_list_and_retry_failed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(RAW)
    bad = tmp_path / "late.png"
    bad.write_bytes(b"not yet scanned")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{good}\n\n{bad}\n")
    out = tmp_path / "out"
    res = invoke("run", "--from-list", str(listing), "-o", str(out), "-j", "1", "--to", "repair")
    assert res.exit_code == 1
    assert summary(out)["failed"] == 1
    text_page().save(bad, format="PNG")  # the page is re-scanned
    res = invoke("run", "--retry-failed", str(out), "-j", "1", "--to", "preprocess")
    assert res.exit_code == 0, res.output
    s = summary(out)
    assert s["pages"] == 2 and s["done"] == 2  # the whole batch...
    assert s["retry"]["pages"] == 1  # ...of which only the failed page was run
    res = invoke("run", "--retry-failed", str(out))
    assert res.exit_code == 0 and "no failed pages" in res.output


def test_hanging_tesseract_times_out_and_the_batch_goes_on(tmp_path, monkeypatch, fake_tesseract):
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract(_misbehaving("stuck", "sleep 60")))
    src = tmp_path / "in"
    src.mkdir()
    text_page().save(src / "stuck.png")
    text_page(size=36).save(src / "fine.png")
    out = tmp_path / "out"
    t0 = time.monotonic()
    res = invoke("run", str(src), "-o", str(out), "--timeout", "3", "-j", "2", "--to", "ocr")
    assert time.monotonic() - t0 < 40
    assert res.exit_code == 1
    [failure] = summary(out)["failures"]
    assert failure["name"] == "stuck" and "longer than 3 s" in failure["error"]
    assert (out / "fine" / "2-ocr" / "ocr.json").is_file()
    assert not (out / "stuck" / "2-ocr" / "ocr.json").exists()


def test_a_worker_killed_mid_page_fails_that_page_only(tmp_path, monkeypatch, fake_tesseract):
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract(_misbehaving("doomed", "kill -9 $PPID")))
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a-fine", "doomed", "z-fine"):
        text_page().save(src / f"{name}.png")
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "2", "--to", "ocr")
    assert res.exit_code == 1
    s = summary(out)
    assert [f["name"] for f in s["failures"]] == ["doomed"]
    assert "worker process died" in s["failures"][0]["error"]
    for name in ("a-fine", "z-fine"):
        assert (out / name / "2-ocr" / "ocr.json").is_file()


def test_kill_minus_9_then_rerun_finishes_without_redoing_finished_stages(tmp_path):
    src = _page_folder(tmp_path, 6)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "-o", str(out), "-j", "1", "-q"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    first_manifest = out / "page0" / "manifest.json"

    def first_page_done() -> bool:
        if not first_manifest.exists():
            return False
        stages = json.loads(first_manifest.read_text())["stages"]
        return stages.get("ocr", {}).get("status") == "done"  # pass 1: the costly part

    while not first_page_done() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {
        p.name: json.loads((p / "manifest.json").read_text())
        for p in out.iterdir()
        if (p / "manifest.json").exists()
    }
    done_before = {
        (page, stage): entry["started"]
        for page, man in before.items()
        for stage, entry in man["stages"].items()
        if entry.get("status") == "done"
    }
    assert ("page0", "ocr") in done_before
    for page, man in before.items():  # pass 1 alone makes no page done
        assert man.get("status") != "done" or (out / page / "4-correct" / "text.txt").is_file()
    assert ("page5", "ocr") not in done_before  # really interrupted mid-batch
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    for i in range(6):
        assert (out / f"page{i}" / "4-correct" / "text.txt").read_text().strip()
    assert not list(out.rglob("*.tmp"))
    for (page, stage), started in done_before.items():
        man = json.loads((out / page / "manifest.json").read_text())
        assert man["stages"][stage]["started"] == started, f"{page}/{stage} re-ran"


def test_dask_executor_runs_pages_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"article{i}.txt").write_text(RAW)
    Image.new("L", (10, 10)).save(src / "tiny.png")  # fails on the cluster like anywhere else
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        res = invoke(
            "run",
            str(src),
            "-o",
            str(out),
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert res.exit_code == 1
    s = summary(out)
    assert s["done"] == 3 and [f["name"] for f in s["failures"]] == ["tiny"]
    assert (out / "article2" / "4-correct" / "text.txt").is_file()


def test_dask_without_scheduler_is_a_usage_error(tmp_path):
    assert invoke("run", str(tmp_path), "--executor", "dask").exit_code == 2


def test_a_full_disk_fails_the_page_with_a_clear_reason(tmp_path, monkeypatch):
    import errno

    from pipeline import fileio

    real = fileio.write_atomic

    def no_space(path, writer):
        if "/crammed/" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, writer)

    monkeypatch.setattr(fileio, "write_atomic", no_space)
    src = tmp_path / "in"
    src.mkdir()
    (src / "crammed.txt").write_text(RAW)
    (src / "roomy.txt").write_text(RAW)
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1")
    assert res.exit_code == 1
    [failure] = summary(out)["failures"]
    assert failure["name"] == "crammed" and "disk full" in failure["error"]
    assert (out / "roomy" / "4-correct" / "text.txt").is_file()
    assert not (out / "crammed" / "4-correct" / "text.txt").exists()


def test_progress_lines_when_not_a_terminal_and_silence_when_quiet(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.txt").write_text(RAW)
    res = invoke("run", str(src), "-o", str(tmp_path / "out"), "-j", "1")
    lines = [ln for ln in res.output.splitlines() if ln.startswith("[")]
    assert [ln.split("]")[0] for ln in lines] == ["[1/3", "[2/3", "[3/3"] * 2
    assert "pass 1/2" in res.output and "pass 2/2" in res.output
    assert "a0: done (repair" in res.output and "a0: done (correct" in res.output
    quiet = invoke("run", str(src), "-o", str(tmp_path / "out2"), "-j", "1", "-q")
    assert quiet.exit_code == 0 and quiet.output == ""
    s = summary(tmp_path / "out")
    assert s["peak_worker_mb"] > 10


def test_ctrl_c_stops_cleanly_and_the_next_run_finishes(tmp_path):
    src = _page_folder(tmp_path, 4)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "-o", str(out), "-j", "2"]
    tmp = tmp_path / "tmp"  # the workers' temp folder: Tesseract killed mid-page leaves nothing
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)
    deadline = time.monotonic() + 60
    while not list(out.glob("*/2-ocr")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not list(out.rglob("*.tmp"))
    assert not list(tmp.iterdir())
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert len(list(out.glob("*/4-correct/text.txt"))) == 4


def test_run_format_exports_beside_the_stage_folders(tmp_path):
    src = tmp_path / "letter.txt"
    src.write_text(RAW)
    out = tmp_path / "out"
    res = invoke("run", str(src), "-o", str(out), "-j", "1", "--format", "txt")
    assert res.exit_code == 0, res.output
    exported = out / "letter" / "letter.txt"
    assert exported.read_text() == (out / "letter" / "4-correct" / "text.txt").read_text()
    assert exported.stat().st_mode & 0o044  # readable by others, like any file the user makes
    assert invoke("run", str(src), "-o", str(out), "--format", "docx").exit_code == 2


def test_words_the_batch_repeats_are_trusted_by_the_correct_stage(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text("He promised that he would shew the visitors round the old mill.\n")
    alone = tmp_path / "alone"
    assert invoke("run", str(first), "-o", str(alone), "-j", "1").exit_code == 0
    assert "would show the" in (alone / "a" / "4-correct" / "text.txt").read_text()
    second = tmp_path / "b.txt"
    second.write_text("The guide will shew you the chapel and the cloisters tomorrow.\n")
    both = tmp_path / "both"
    assert invoke("run", str(first), str(second), "-o", str(both), "-j", "2").exit_code == 0
    assert "would shew the" in (both / "a" / "4-correct" / "text.txt").read_text()
    assert "shew\t2" in (both / "batch-lexicon.tsv").read_text()
    # the lexicon is an input of the correct stage: same batch again, nothing re-runs
    lexicon = both / "batch-lexicon.tsv"
    learned = lexicon.stat().st_mtime_ns
    again = invoke("run", str(first), str(second), "-o", str(both), "-j", "1")
    assert again.exit_code == 0 and summary(both)["fully_skipped"] == 2
    assert lexicon.stat().st_mtime_ns == learned  # nothing new repaired: not relearned
    # a page added to OUTPUT: relearned, and its words count
    third = tmp_path / "c.txt"
    third.write_text("The abbot would shew the cloisters to the bishop.\n")
    assert invoke("run", str(third), "-o", str(both), "-j", "1").exit_code == 0
    assert "shew\t3" in lexicon.read_text() and "cloisters\t2" in lexicon.read_text()


def test_the_batch_teaches_the_correct_stage_its_own_letter_slips(tmp_path):
    # plain Tesseract on blurred 200-dpi type reads `r` as `t` (the benchmark's heavy
    # pages): across the batch, different words show the same slip beside the word itself
    pages = {
        "a": "The govetnment of the day and the government that followed it.\n",
        "b": "The tepublic and the republic of letters were both spoken of.\n",
        "c": "The tesidents met, and the residents of the town agreed at once.\n",
        "d": "The teceipts for the year and the receipts for the month were read.\n",
        "e": "Several of the tecords of the society were lost in the fire.\n",
    }
    for name, text in pages.items():
        (tmp_path / f"{name}.txt").write_text(text)
    out = tmp_path / "out"
    res = invoke("run", *(str(tmp_path / f"{n}.txt") for n in pages), "-o", str(out), "-j", "2")
    assert res.exit_code == 0, res.output
    final = out / "e" / "4-correct"
    assert "of the records of" in (final / "text.txt").read_text()
    assert "batch-learned look-alike t->r" in (final / "corrections.tsv").read_text()
    manifest = json.loads((out / "e" / "manifest.json").read_text())
    assert manifest["stages"]["correct"]["stats"]["batch_slips"] == "t->r"
    # alone, the page has no such evidence: the word stays as read
    alone = tmp_path / "alone"
    assert invoke("run", str(tmp_path / "e.txt"), "-o", str(alone), "-j", "1").exit_code == 0
    assert "tecords" in (alone / "e" / "4-correct" / "text.txt").read_text()


def test_unreadable_file_and_folder_fail_alone(tmp_path):
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "good.txt").write_text(RAW)
    (src / "secret.txt").write_text(RAW)
    text_page().save(src / "scan.png")
    (src / "locked" / "hidden.txt").write_text(RAW)
    for f in (src / "secret.txt", src / "scan.png", src / "locked"):
        f.chmod(0o000)
    out = tmp_path / "out"
    try:
        cmd = [sys.executable, "-m", "pipeline", "run", str(src), "-o", str(out), "-j", "2"]
        res = subprocess.run(without_root_override(cmd), capture_output=True, text=True)
    finally:
        (src / "locked").chmod(0o755)
    assert res.returncode == 1, res.stderr
    assert (out / "good" / "4-correct" / "text.txt").read_text().startswith("The council")
    run = json.loads((out / "run.json").read_text())
    errors = {f["name"]: f["error"] for f in run["failures"]}
    assert set(errors) == {"secret", "scan"}, errors
    for name, error in errors.items():
        assert error.startswith(str(src / name)) and "permission denied" in error, error
        assert "check its permissions" in error
    assert [p for p in run["input_problems"] if "locked" in p and "permission" in p.lower()]
    assert "permission denied" in res.stderr + res.stdout
    assert not (out / "secret" / "3-repair" / "text.txt").exists()


def test_dask_workers_started_elsewhere_read_relative_inputs(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    dask = Path(sys.executable).parent / "dask"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sched_file = tmp_path / "scheduler.json"
    repo = str(Path(__file__).resolve().parents[1])  # this package, as installed on workers
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": repo}
    common = dict(cwd=elsewhere, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--no-dashboard", "--port", "0", "--scheduler-file", sched_file],
        **common,
    )
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        worker = subprocess.Popen(
            [
                dask,
                "worker",
                "--scheduler-file",
                sched_file,
                "--nthreads",
                "1",
                "--no-dashboard",
                "--nworkers",
                "1",
            ],
            **common,
        )
        address = json.loads(sched_file.read_text())["address"]
        work = tmp_path / "work"
        (work / "in").mkdir(parents=True)
        (work / "in" / "letter.txt").write_text(RAW)
        monkeypatch.chdir(work)  # the client's relative paths mean nothing in the worker's cwd
        res = invoke("run", "in", "-o", "out", "--executor", "dask", "--scheduler", address)
        assert res.exit_code == 0, res.output
        assert (work / "out" / "letter" / "4-correct" / "text.txt").is_file()
        assert not (elsewhere / "out").exists()
    finally:
        for p in (worker, scheduler):
            if p is not None:
                p.terminate()
                p.wait(30)


def test_a_dask_worker_that_cannot_see_the_files_says_so(tmp_path):
    from pipeline.dask_executor import run_remote
    from pipeline.inputs import PageJob
    from pipeline.options import Options
    from pipeline.runner import Plan

    job = PageJob("x", tmp_path / "gone" / "x.png", 0, "image")
    result = run_remote(job, Plan(tmp_path, Options()))
    assert result.status == "failed"
    assert "not visible on Dask worker" in result.error and "every worker sees" in result.error
