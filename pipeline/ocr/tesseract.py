"""Run Tesseract once per page, asking for hOCR, text and TSV from that one run."""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pytesseract

from pipeline.errors import PageError, SetupError

TESSERACT_ENV = "OCR_PIPELINE_TESSERACT"  # path to another tesseract binary (tests inject fakes)


def tesseract_cmd() -> str:
    return os.environ.get(TESSERACT_ENV, "tesseract")


@lru_cache(maxsize=4)
def _version(cmd: str) -> str:
    pytesseract.pytesseract.tesseract_cmd = cmd
    try:
        return str(pytesseract.get_tesseract_version())
    except Exception:
        return "unknown"


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
    pytesseract.pytesseract.tesseract_cmd = cmd
    try:
        langs = set(pytesseract.get_languages())
        version = str(pytesseract.get_tesseract_version())
    except Exception as e:  # a broken binary fails the run once, not every page
        raise SetupError(f"Tesseract at '{cmd}' does not run ({e}); reinstall tesseract-ocr") from e
    missing = [part for part in lang.split("+") if part not in langs]
    if langs and missing:
        raise SetupError(
            f"Tesseract has no language data for {', '.join(missing)}; install it, e.g. "
            f"apt-get install -y tesseract-ocr-{missing[0]}"
        )
    return version


def run_tesseract(image: Path, lang: str, psm: int, timeout: float) -> str:
    """One Tesseract process; returns its TSV (words, boxes, confidences).

    TSV only: every extra renderer (txt, hOCR) costs Tesseract 0.3-0.45 s a page, and both
    are rendered from the TSV instead (`ocr.render`).
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"  # pages, not threads, fill the cores (6x faster here)
    pytesseract.pytesseract.tesseract_cmd = tesseract_cmd()
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        base = str(Path(tmp) / "out")
        try:
            pytesseract.pytesseract.run_tesseract(
                str(image),
                base,
                extension="tsv",
                lang=lang,
                config=f"--psm {psm} -c tessedit_create_tsv=1",
                timeout=timeout,
            )
        except pytesseract.TesseractNotFoundError as e:
            raise SetupError("Tesseract not found; apt-get install -y tesseract-ocr") from e
        except pytesseract.TesseractError as e:
            raise PageError(f"{image}: Tesseract failed (exit {e.status}): {e.message}") from e
        except RuntimeError as e:
            if "timeout" in str(e).lower():
                raise PageError(
                    f"{image}: Tesseract took longer than {timeout:g} s and was stopped; "
                    "raise --timeout or check the image"
                ) from e
            raise
        f = Path(f"{base}.tsv")
        if not f.exists():
            raise PageError(f"{image}: Tesseract wrote no tsv output; check the image")
        return f.read_text(encoding="utf-8", errors="replace")
