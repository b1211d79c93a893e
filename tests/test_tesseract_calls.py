"""The Tesseract wrapper: arguments and environment per call, a timeout that kills the whole
child, and the evaluation's baseline on the same (injectable) binary."""

import os
import subprocess
import time
from pathlib import Path

import pytest

from pipeline import evaluate
from pipeline.errors import PageError
from pipeline.ocr.tesseract import TESSERACT_ENV, run_tesseract

REAL = subprocess.run(["which", "tesseract"], capture_output=True, text=True).stdout.strip()


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has finished


def test_each_call_sets_its_own_environment_and_settings(
    page_image, tmp_path, monkeypatch, fake_tesseract
):
    seen = tmp_path / "seen"
    monkeypatch.setenv(
        TESSERACT_ENV, fake_tesseract(f'echo "$OMP_THREAD_LIMIT $*" > {seen}\nexec {REAL} "$@"')
    )
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    tsv = run_tesseract(
        page_image / "image.png", "eng", 6, 60, config=["tessedit_char_whitelist=abc"]
    )
    assert tsv.startswith("level\tpage_num")
    limit, *args = seen.read_text().split()
    assert limit == "1"  # in the child's environment...
    assert "OMP_THREAD_LIMIT" not in os.environ  # ...not set in this process
    assert args[args.index("--psm") + 1] == "6"
    assert args[args.index("tessedit_char_whitelist=abc") - 1] == "-c"


def test_a_timeout_kills_tesseract_and_what_it_started(
    page_image, tmp_path, monkeypatch, fake_tesseract
):
    pidfile = tmp_path / "pid"
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract(f"sleep 60 &\necho $! > {pidfile}\nwait"))
    t0 = time.monotonic()
    with pytest.raises(PageError, match="longer than 1 s"):
        run_tesseract(page_image / "image.png", "eng", 3, 1)
    assert time.monotonic() - t0 < 10
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 5  # SIGKILL is delivered when the process is next scheduled
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_a_failure_that_mentions_a_timeout_is_a_failure_not_a_timeout(
    page_image, tmp_path, monkeypatch, fake_tesseract
):
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("echo 'read timeout on input' >&2; exit 1"))
    with pytest.raises(PageError, match=r"Tesseract failed \(exit 1\): read timeout on input"):
        run_tesseract(page_image / "image.png", "eng", 3, 30)


def test_the_evaluation_baseline_runs_the_tesseract_stage_2_runs(
    page_image, tmp_path, monkeypatch, fake_tesseract
):
    monkeypatch.setenv(TESSERACT_ENV, fake_tesseract("echo 'text of the stand-in'"))
    assert evaluate.run_tesseract(page_image / "image.png").strip() == "text of the stand-in"
