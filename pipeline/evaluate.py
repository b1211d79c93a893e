"""Score an output folder against ground truth: CER and WER of stages 2, 3 and 4 per page.

The scoring itself is pure (`score_page`, `summarise`, `format_table`); reading the page folders
and running the plain-Tesseract baseline are the I/O edges (`collect`, `baseline_text`).
The baseline is what a user gets from `tesseract page.png -` with default settings, so the
figures say what the pipeline adds over it. It is cached as `OUTPUT/<name>/baseline.txt`.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.articlescore import score_page as score_articles
from pipeline.articlescore import split_articles
from pipeline.errors import PageError
from pipeline.fileio import read_json, write_text
from pipeline.metrics import cer, drop_separators, wer
from pipeline.ocr.tesseract import tesseract_cmd, tesseract_env
from pipeline.repair.textinput import read_any
from pipeline.stages import STAGE_DIRS

# The text each scored stage leaves behind, by the key used in eval.json.
STAGE_TEXT = {
    "stage2": Path(STAGE_DIRS["ocr"]) / "text.txt",
    "stage3": Path(STAGE_DIRS["repair"]) / "text.txt",
    "stage4": Path(STAGE_DIRS["correct"]) / "text.txt",
}
COLUMNS = ("baseline", "stage2", "stage3", "stage4")
BASELINE_FILE = "baseline.txt"
# Formats Tesseract reads directly as one page; anything else is rendered to a PNG first.
_DIRECT = {".png", ".jpg", ".jpeg", ".bmp", ".pnm", ".pbm", ".pgm", ".ppm"}


@dataclass
class PageTexts:
    """What one page folder offers for scoring."""

    name: str
    texts: dict[str, str] = field(default_factory=dict)  # stage key -> text
    gt: str | None = None
    baseline_error: str | None = None


def score(hypothesis: str, reference: str) -> dict[str, float]:
    """CER/WER; a page of several articles is scored without its separator lines."""
    hypothesis = drop_separators(hypothesis)
    return {
        "cer": round(cer(hypothesis, reference), 6),
        "wer": round(wer(hypothesis, reference), 6),
    }


def score_page(texts: dict[str, str], gt: str) -> dict[str, dict[str, float]]:
    """CER/WER of every text present, in the fixed column order."""
    return {k: score(texts[k], gt) for k in COLUMNS if k in texts}


def final_key(scores: dict[str, dict[str, float]]) -> str | None:
    """The latest stage a page reached: its 'final' text."""
    for k in ("stage4", "stage3", "stage2"):
        if k in scores:
            return k
    return None


def medians(pages: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Median CER and WER of each column over the pages that have it."""
    out: dict[str, dict[str, float]] = {}
    for k in COLUMNS:
        rows = [p[k] for p in pages.values() if k in p]
        if rows:
            out[k] = {
                m: round(statistics.median(r[m] for r in rows), 6) for m in ("cer", "wer")
            } | {"pages": len(rows)}
    return out


def article_scores(final: str, gt: str) -> dict[str, Any] | None:
    """Articles of a page whose ground truth holds several (`---` between them): each matched
    to the output article sharing most of its words (`articlescore`); None for a one-story
    ground truth."""
    gt_articles, _ = split_articles(gt)
    if len(gt_articles) < 2:
        return None
    out_articles, furniture = split_articles(final)
    page = score_articles(gt_articles, out_articles + furniture)
    return {
        "articles": page.total,
        "found": page.found,
        "output_articles": len(out_articles),
        "purity": [round(a.purity, 4) for a in page.articles],
        "completeness": [round(a.completeness, 4) for a in page.articles],
        "cer": [round(a.cer, 6) for a in page.articles],
    }


def summarise(pages: list[PageTexts], gt_dir: Path | str) -> dict:
    """The eval.json document: per-page scores, medians, skipped pages and baseline errors;
    for ground truths of several articles, the articles found (`articles`)."""
    scored = {
        p.name: score_page(p.texts, drop_separators(p.gt))
        for p in pages
        if p.gt is not None and p.texts
    }
    skipped = sorted(p.name for p in pages if p.gt is None)
    report = {"pages": scored, "median": medians(scored), "gt_dir": str(gt_dir)}
    arts = {}
    for p in pages:
        key = final_key(scored.get(p.name, {}))
        if p.gt is not None and key is not None:
            found = article_scores(p.texts[key], p.gt)
            if found is not None:
                arts[p.name] = found
    if arts:
        report["articles"] = arts
    report["skipped"] = skipped
    errors = {p.name: p.baseline_error for p in pages if p.baseline_error}
    if errors:
        report["baseline_errors"] = errors
    return report


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}"


def format_table(report: dict) -> str:
    """Pages worst first by final CER, then the medians; figures in percent."""
    cols = [k for k in COLUMNS if any(k in p for p in report["pages"].values())]
    head = ["page"] + [f"{k} {m}" for k in cols for m in ("CER%", "WER%")]

    def row(name: str, scores: dict) -> list[str]:
        return [name] + [_pct(scores.get(k, {}).get(m)) for k in cols for m in ("cer", "wer")]

    def final_cer(item: tuple[str, dict]) -> float:
        k = final_key(item[1])
        return item[1][k]["cer"] if k else 0.0

    rows = [row(n, s) for n, s in sorted(report["pages"].items(), key=final_cer, reverse=True)]
    rows.append(row("MEDIAN", report["median"]))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in [head, *rows]
    ]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(len(lines) - 1, "-" * len(lines[0]))
    for name, a in report.get("articles", {}).items():
        lines.append(
            f"articles {name}: {a['found']}/{a['articles']} found whole "
            f"(purity >= 0.98 and completeness >= 0.98), {a['output_articles']} in the output"
        )
    if report.get("skipped"):
        lines.append(f"skipped (no ground truth): {', '.join(report['skipped'])}")
    for name, err in report.get("baseline_errors", {}).items():
        lines.append(f"baseline failed: {name}: {err}")
    return "\n".join(lines)


# ------------------------------------------------------------------ I/O edges


def gt_path(gt_dir: Path, name: str) -> Path:
    return gt_dir / f"{name}.gt.txt"


def read_page(page_dir: Path, gt_dir: Path) -> PageTexts:
    page = PageTexts(page_dir.name)
    for k, rel in STAGE_TEXT.items():
        if (page_dir / rel).is_file():
            page.texts[k] = (page_dir / rel).read_text(encoding="utf-8")
    gt = gt_path(gt_dir, page_dir.name)
    if gt.is_file():
        page.gt = read_any(gt)  # ground truth typed on Windows may be UTF-16 or cp1252
    return page


def run_tesseract(image: Path) -> str:
    """Plain `tesseract IMAGE -`, default settings; one OCR thread (same text, less contention).
    The same binary as stage 2 (`OCR_PIPELINE_TESSERACT`), so both are scored on one Tesseract."""
    proc = subprocess.run(
        [tesseract_cmd(), str(image), "-"],
        capture_output=True,
        env=tesseract_env(),
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"tesseract exit {proc.returncode}: {msg[-1] if msg else ''}")
    return proc.stdout.decode("utf-8", "replace")


def _baseline_of_source(source: Path, page: int, ocr: Callable[[Path], str]) -> str:
    """OCR the original page; frames of multi-page files and PDFs go through a temporary PNG."""
    if source.suffix.lower() in _DIRECT:
        return ocr(source)
    from PIL import Image

    from pipeline.preprocess.load import load_page

    grey, dpi = load_page(source, page - 1)
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        d = round(dpi or 300)
        Image.fromarray(grey).save(png, dpi=(d, d))
        return ocr(png)


def baseline_text(page_dir: Path, ocr: Callable[[Path], str] = run_tesseract) -> str | None:
    """Plain Tesseract's text of the page's original source, cached beside the stages.

    The cache is used while it is newer than the source. None for pages with no image source
    (raw .txt inputs). Raises when the source is gone or Tesseract fails.
    """
    man = read_json(page_dir / "manifest.json")
    if man.get("kind", "image") != "image" or not man.get("source"):
        return None
    source = Path(man["source"])
    cache = page_dir / BASELINE_FILE
    if cache.is_file() and (not source.exists() or cache.stat().st_mtime >= source.stat().st_mtime):
        return cache.read_text(encoding="utf-8")
    if not source.is_file():
        raise FileNotFoundError(f"{source}: source image not found")
    text = _baseline_of_source(source, int(man.get("page", 1)), ocr)
    write_text(cache, text)
    return text


def collect(
    output: Path,
    gt_dir: Path,
    baseline: bool = False,
    jobs: int = 1,
    ocr: Callable[[Path], str] = run_tesseract,
) -> list[PageTexts]:
    """Read every page folder of OUTPUT; with `baseline`, add plain Tesseract's text (in
    parallel, `jobs` at once) for the pages that have ground truth."""
    pages = [read_page(d.parent, gt_dir) for d in sorted(output.glob("*/manifest.json"))]
    if baseline:
        todo = [p for p in pages if p.gt is not None]

        def one(p: PageTexts) -> None:
            try:
                text = baseline_text(output / p.name, ocr)
            except (OSError, RuntimeError, subprocess.TimeoutExpired, ValueError, PageError) as e:
                p.baseline_error = str(e)
                return
            if text is not None:
                p.texts["baseline"] = text

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            list(pool.map(one, todo))
    return pages
