"""Run Tesseract once per page as a child process, its arguments and environment built per call.

Nothing is set process-wide (no module-level command, no `os.environ` change): pages run on
pool processes and Dask worker threads side by side, and each call says all it needs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pipeline.errors import PageError, SetupError

TESSERACT_ENV = "OCR_PIPELINE_TESSERACT"  # path to another tesseract binary (tests inject fakes)
PROBE_SECONDS = 30  # `--version` and `--list-langs` answer at once unless the binary is broken


def tesseract_cmd() -> str:
    return os.environ.get(TESSERACT_ENV, "tesseract")


def tesseract_env() -> dict[str, str]:
    """The child's environment: one OCR thread, since pages, not threads, fill the cores
    (6x faster here than Tesseract's own threading)."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def tesseract_args(
    image: Path, outbase: str, lang: str, psm: int, config: Sequence[str] = ()
) -> list[str]:
    """The command line of one page: TSV only (every extra renderer, txt or hOCR, costs
    Tesseract 0.3-0.45 s a page; both are rendered from the TSV, `ocr.render`); `config` adds
    `-c name=value` settings."""
    args = [tesseract_cmd(), str(image), outbase, "-l", lang, "--psm", str(psm)]
    args += ["-c", "tessedit_create_tsv=1"]
    for setting in config:
        args += ["-c", setting]
    return args


def _probe(*flags: str) -> str:
    """Output of `tesseract FLAGS` (version, languages); raises OSError or CalledProcessError."""
    proc = subprocess.run(
        [tesseract_cmd(), *flags],
        capture_output=True,
        env=tesseract_env(),
        timeout=PROBE_SECONDS,
        check=True,
    )
    return (proc.stdout + proc.stderr).decode("utf-8", "replace")


@lru_cache(maxsize=4)
def _version(cmd: str) -> str:
    try:
        first = _probe("--version").strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"
    m = re.search(r"\d+\.\d+(\.\d+)?\S*", first)
    return m.group(0) if m else first


def tesseract_version() -> str:
    """Part of the OCR stage's fingerprint: a new Tesseract re-reads the pages."""
    return _version(tesseract_cmd())


def check_tesseract(lang: str) -> str:
    """Fail the whole run early, once, when Tesseract or a language is missing."""
    cmd = tesseract_cmd()
    if shutil.which(cmd) is None:
        raise SetupError(
            f"Tesseract not found ('{cmd}'); install it: apt-get install -y tesseract-ocr "
            "tesseract-ocr-eng (or set OCR_PIPELINE_TESSERACT to its path)"
        )
    try:
        listed = _probe("--list-langs").splitlines()
        version = _version(cmd)
    except (OSError, subprocess.SubprocessError) as e:  # a broken binary fails the run once
        raise SetupError(f"Tesseract at '{cmd}' does not run ({e}); reinstall tesseract-ocr") from e
    langs = {ln.strip() for ln in listed[1:] if ln.strip()}  # after "List of available ..."
    missing = [part for part in lang.split("+") if part not in langs]
    if langs and missing:
        raise SetupError(
            f"Tesseract has no language data for {', '.join(missing)}; install it, e.g. "
            f"apt-get install -y tesseract-ocr-{missing[0]}"
        )
    return version


def run_tesseract(
    image: Path, lang: str, psm: int, timeout: float, config: Sequence[str] = ()
) -> str:
    """One Tesseract process; returns its TSV (words, boxes, confidences).

    The TSV comes on Tesseract's standard output (output base `stdout`): no temporary file,
    so a worker killed mid-page (Ctrl-C, kill -9) leaves nothing behind in the temp folder.
    The child runs in a session of its own so that, on a timeout (or an interrupt), it is
    killed with whatever it started: a hung Tesseract must not outlive its page.
    """
    out = _communicate(tesseract_args(image, "stdout", lang, psm, config), image, timeout)
    tsv = out.decode("utf-8", "replace")
    if not tsv.startswith("level"):
        raise PageError(f"{image}: Tesseract wrote no tsv output; check the image")
    return tsv


def _communicate(args: list[str], image: Path, timeout: float) -> bytes:
    """Run one Tesseract child to the end and return its standard output; PageError naming
    the image when it fails or outlives `timeout` (then it is killed with its children)."""
    try:
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=tesseract_env(),
            start_new_session=True,
        )
    except FileNotFoundError as e:
        raise SetupError("Tesseract not found; apt-get install -y tesseract-ocr") from e
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as e:
        _kill(proc)
        raise PageError(
            f"{image}: Tesseract took longer than {timeout:g} s and was stopped; "
            "raise --timeout or check the image"
        ) from e
    except BaseException:
        _kill(proc)
        raise
    if proc.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        message = lines[-1] if lines else ""
        raise PageError(f"{image}: Tesseract failed (exit {proc.returncode}): {message}")
    return out


def run_osd(image: Path, timeout: float) -> dict[str, float]:
    """Tesseract's orientation detection (`--psm 0`, about a second a page): how far to turn
    the page clockwise (`rotate`: 0, 90, 180, 270) and its confidence; PageError when it
    cannot tell (too few letters, no `osd` language data)."""
    args = [tesseract_cmd(), str(image), "stdout", "--psm", "0"]
    report = _communicate(args, image, timeout).decode("utf-8", "replace")
    rotate = re.search(r"Rotate:\s*(\d+)", report)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", report)
    if not rotate or not conf:
        raise PageError(f"{image}: Tesseract's orientation detection gave no answer")
    return {"rotate": float(rotate.group(1)), "confidence": float(conf.group(1))}


def _kill(proc: subprocess.Popen) -> None:
    """Kill the child and its own children (its session), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
