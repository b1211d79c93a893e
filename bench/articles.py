"""Multi-article pages: are the articles found whole, and is the page's text right?

    .venv/bin/python -m bench.articles [--pages 36] [--jobs 2] [--out bench/work/articles]

Generates the pages (`bench.articlegen`, a third per degradation level; kept and reused when
already there), runs the whole pipeline on them (`ocr-pipeline run`, resumable), and scores
each page's final text (`4-correct/text.txt`) with `pipeline.articlescore`: ground-truth
articles found whole (purity and completeness both >= 0.98), found with OCR errors set aside
(`grouped`), mean purity and completeness, and the page's CER (separators dropped, split words
joined) against plain Tesseract's (`tesseract page.png -`, one thread) on the same image.
Prints a Markdown table per level and writes OUT/summary.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.articlegen import LEVELS, plain_text, spec_for, write_page
from pipeline.articlescore import score_page, split_articles
from pipeline.evaluate import run_tesseract
from pipeline.metrics import cer, drop_separators, join_split_words

HERE = Path(__file__).resolve().parent


def make_pages(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        level, k = LEVELS[i % 3], i // 3
        name = f"multi-{level}-{k:02d}"
        if not (folder / f"{name}.png").exists() or not (folder / f"{name}.gt.txt").exists():
            write_page(spec_for(level, k), folder, name)
        out.append(folder / f"{name}.png")
    return out


def baseline(image: Path) -> str:
    cached = image.with_name(image.name + ".tess.txt")
    if not cached.exists():
        cached.write_text(run_tesseract(image), encoding="utf-8")
    return cached.read_text(encoding="utf-8")


def score(image: Path, run: Path) -> dict:
    gt = image.with_name(image.stem + ".gt.txt").read_text(encoding="utf-8")
    final = (run / image.stem / "4-correct" / "text.txt").read_text(encoding="utf-8")
    outs, furniture = split_articles(final)
    gts, _ = split_articles(gt)
    page = score_page(gts, outs + furniture)
    ref = join_split_words(plain_text(gt))
    return {
        "level": image.stem.split("-")[1],
        "articles": page.total,
        "found": page.found,
        "grouped": page.grouped,
        "purity": [a.purity for a in page.articles],
        "completeness": [a.completeness for a in page.articles],
        "cer": cer(join_split_words(drop_separators(final)), ref),
        "baseline_cer": cer(join_split_words(baseline(image)), ref),
    }


def table(pages: dict[str, dict]) -> tuple[str, dict]:
    head = (
        "| level | pages | articles found | grouped (OCR errors aside) | mean purity | "
        "mean completeness | median page CER | plain Tesseract | ratio |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    rows, summary = [head], {}
    for level in LEVELS:
        ps = [p for p in pages.values() if p["level"] == level]
        if not ps:
            continue
        total = sum(p["articles"] for p in ps)
        found = sum(p["found"] for p in ps)
        grouped = sum(p["grouped"] for p in ps)
        pur = statistics.mean(x for p in ps for x in p["purity"])
        comp = statistics.mean(x for p in ps for x in p["completeness"])
        c = statistics.median(p["cer"] for p in ps)
        c0 = statistics.median(p["baseline_cer"] for p in ps)
        ratio = c / c0 if c0 else 0.0
        summary[level] = {"found_share": found / total, "cer_ratio": ratio}
        rows.append(
            f"| {level} | {len(ps)} | {found}/{total} ({found / total:.0%}) | {grouped}/{total} | "
            f"{pur:.3f} | {comp:.3f} | {100 * c:.2f} % | {100 * c0:.2f} % | {ratio:.2f} |"
        )
    return "\n".join(rows), summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=36)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "work" / "articles")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    images = make_pages(args.out / "pages", args.pages)
    t1 = time.perf_counter()
    run = args.out / "run"
    listing = args.out / "pages.list"
    listing.write_text("".join(f"{p.resolve()}\n" for p in images), encoding="utf-8")
    cmd = [sys.executable, "-m", "pipeline", "run", "--from-list", str(listing), "-o", str(run)]
    subprocess.run([*cmd, "-j", str(args.jobs), "--quiet"], check=False)
    t2 = time.perf_counter()
    pages = {p.stem: score(p, run) for p in images if (run / p.stem / "4-correct").is_dir()}
    text, summary = table(pages)
    print(text)
    print(
        f"\n{len(pages)} of {len(images)} pages scored; generate {t1 - t0:.1f} s, "
        f"pipeline {t2 - t1:.1f} s (-j {args.jobs}), scoring and baseline "
        f"{time.perf_counter() - t2:.1f} s -> {args.out}"
    )
    (args.out / "summary.json").write_text(
        json.dumps({"levels": summary, "pages": pages}, indent=1), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
