"""Real-scan benchmark: pages nobody here rendered, against plain Tesseract on the original.

    .venv/bin/python -m bench.scans [--set NAME[,NAME]] [--every K] [--jobs 2]
                                    [--data ../shared/data/scans-dev] [--out bench/work/scans]

The pages are read where they are (`../shared/data/scans-dev/<set>/NAME.jpg|png` beside
`NAME.gt.txt`; never copied into the repository). For each set the pipeline runs on the set's
images (`ocr-pipeline run --from-list`, a subprocess, resumable) into OUT/<set>; plain
`tesseract IMAGE -` (default settings, one thread) on the original image is the baseline,
cached beside each page. Every stage's text and the baseline are scored as the data's README
says: CER and WER after joining `word-⏎word` in both texts, word F1 (what was read, order
ignored) and word-trigram F1 (local order); where the ground truth marks paragraphs (book
pages, newspapers), the paragraph breaks plain Tesseract and the final text find, miss and add.
Printed as Markdown and written to OUT/summary.json: medians per set, the ratios of the final
text's errors to the baseline's (the ratio of the set's medians, and the median of each page's
own ratio), and every page that ends worse than plain Tesseract with the stage where it went
wrong.
`--every K` takes every K-th page of each set (quick looks while developing; report full runs).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from pipeline.evaluate import baseline_text
from pipeline.fileio import read_json, write_json, write_text
from pipeline.metrics import page_scores, paragraph_breaks
from pipeline.options import STAGE_DIRS

SETS = (
    "ehri-typewritten",
    "oldbooks",
    "borndigital",
    "multicol-documents",
    "newspapers-magazines",
)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "scans-dev"
IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
STAGE_TEXT = {
    "stage2": f"{STAGE_DIRS['ocr']}/text.txt",
    "stage3": f"{STAGE_DIRS['repair']}/text.txt",
    "stage4": f"{STAGE_DIRS['correct']}/text.txt",
}
# Where a stage's text is first worse than the baseline, the stage that made it so: stage 2's
# text is Tesseract reading stage 1's image, so a loss there is stage 1's or Tesseract's.
BLAME = {"stage2": "1-2 (image / OCR)", "stage3": "3 (repair)", "stage4": "4 (correct)"}
MEASURES = ("cer", "wer", "word_f1", "trigram_f1")
F1_LOSS = 0.01  # a page "loses" when its word F1 falls by more than a point
# Sets whose ground truth marks paragraphs, and how (`metrics.paragraph_breaks`): the book
# pages' truth gives a paragraph a line; the newspapers' starts one with a blank or an
# indented line. The others keep the printed lines only.
PARAGRAPH_GT = {"oldbooks": "line", "newspapers-magazines": "indent"}


def pages_of(data: Path, name: str, every: int) -> list[Path]:
    """The set's images that have ground truth, in name order, every `every`-th."""
    folder = data / name
    images = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in IMAGE_EXTS and (folder / f"{p.stem}.gt.txt").is_file()
    )
    return images[:: max(1, every)]


def run_pipeline(images: list[Path], out: Path, jobs: int, force: bool) -> float:
    """The pipeline on the images, as a user runs it; seconds taken."""
    out.mkdir(parents=True, exist_ok=True)
    listing = out.parent / f"{out.name}.list"
    write_text(listing, "".join(f"{p.resolve()}\n" for p in images))
    cmd = [sys.executable, "-m", "pipeline", "run", "--from-list", str(listing), "-o", str(out)]
    cmd += ["-j", str(jobs), "--quiet"] + (["--force"] if force else [])
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"pipeline run failed with exit {proc.returncode}")
    return time.perf_counter() - t0


def score_page(page_dir: Path, paragraphs: str | None = None) -> dict | None:
    """Scores of the baseline and every stage's text of one page folder, with its figures;
    with `paragraphs` (how the ground truth marks them), the baseline's and the final text's
    paragraph breaks too."""
    man = read_json(page_dir / "manifest.json")
    source = Path(man.get("source", ""))
    gt_file = source.with_name(f"{source.stem}.gt.txt")
    if not gt_file.is_file():
        return None
    gt = gt_file.read_text(encoding="utf-8")
    row: dict = {"page": source.stem, "status": man.get("status")}
    base = baseline_text(page_dir)
    if base is not None:
        row["baseline"] = page_scores(base, gt)
    texts = {"baseline": base}
    for key, rel in STAGE_TEXT.items():
        f = page_dir / rel
        if f.is_file():
            texts[key] = f.read_text(encoding="utf-8")
            row[key] = page_scores(texts[key], gt)
    final = final_of(row)
    if paragraphs is not None and final is not None:
        for key in ("baseline", final):
            text = texts.get(key)
            if key in row and text is not None:
                row[key]["breaks"] = paragraph_breaks(text, gt, paragraphs)
    pre = page_dir / STAGE_DIRS["preprocess"] / "preprocess.json"
    if pre.is_file():
        p = read_json(pre)
        row["preprocess"] = {k: p.get(k) for k in ("scale", "skew_deg", "image_for_ocr")}
    return row


def final_of(row: dict) -> str | None:
    for k in ("stage4", "stage3", "stage2"):
        if k in row:
            return k
    return None


def worse(row: dict, key: str) -> bool:
    """The text `key` is worse than the baseline: more CER, or a point less word F1."""
    b, s = row.get("baseline"), row.get(key)
    if not b or not s:
        return False
    return s["cer"] > b["cer"] + 1e-9 or s["word_f1"] < b["word_f1"] - F1_LOSS


def blame(row: dict) -> str:
    """The stage that did the most harm in the measure the final text is worse in."""
    fin = row[final_of(row)]
    b = row["baseline"]
    if fin["cer"] > b["cer"] + 1e-9:
        harm = lambda before, after: after["cer"] - before["cer"]  # noqa: E731
    else:
        harm = lambda before, after: before["word_f1"] - after["word_f1"]  # noqa: E731
    steps, before = {}, b
    for k in ("stage2", "stage3", "stage4"):
        if k in row:
            steps[k] = harm(before, row[k])
            before = row[k]
    return BLAME[max(steps, key=steps.get)] if steps else "-"


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b > 0 else None


def _page_ratio(base: float, final: float) -> float:
    """One page's final/baseline error; a page both read perfectly is at 1 (no change)."""
    if base > 0:
        return final / base
    return 1.0 if final == 0 else float("inf")


def page_ratio_medians(rows: list[dict]) -> dict:
    """The median over pages of each page's own final/baseline error ratio: the typical
    page's gain, where the ratio of the medians compares two different median pages."""
    errors = {
        "cer": lambda x: x["cer"],
        "word_f1_error": lambda x: 1 - x["word_f1"],
        "trigram_f1_error": lambda x: 1 - x["trigram_f1"],
    }
    pairs = [(r["baseline"], r[final_of(r)]) for r in rows if "baseline" in r and final_of(r)]
    if not pairs:
        return {}
    return {
        m: round(statistics.median(_page_ratio(err(b), err(f)) for b, f in pairs), 3)
        for m, err in errors.items()
    }


def break_totals(rows: list[dict]) -> dict:
    """Paragraph breaks found, missed and extra over a set's pages, plain Tesseract's and the
    final text's, with recall and precision; empty where the truth marks no paragraphs."""
    out: dict = {}
    for key in ("baseline", "final"):
        counts = []
        for r in rows:
            text = "baseline" if key == "baseline" else final_of(r)
            if text and "breaks" in r.get(text, {}):
                counts.append(r[text]["breaks"])
        if not counts:
            continue
        t = {c: sum(x[c] for x in counts) for c in ("found", "missed", "extra")}
        t["recall"] = _ratio(t["found"], t["found"] + t["missed"])
        t["precision"] = _ratio(t["found"], t["found"] + t["extra"])
        out[key] = t
    return out


def set_summary(rows: list[dict]) -> dict:
    """Medians per text and measure; final/baseline ratios of the error medians, and the
    median of the pages' own ratios."""
    out: dict = {"pages": len(rows)}
    for k in ("baseline", "stage2", "stage3", "stage4"):
        have = [r[k] for r in rows if k in r]
        if have:
            out[k] = {m: round(statistics.median(h[m] for h in have), 5) for m in MEASURES}
    finals = [r[final_of(r)] for r in rows if final_of(r)]
    if "baseline" in out and finals:
        fin = {m: statistics.median(f[m] for f in finals) for m in MEASURES}
        base = out["baseline"]
        out["ratio"] = {
            "cer": _ratio(fin["cer"], base["cer"]),
            "wer": _ratio(fin["wer"], base["wer"]),
            "word_f1_error": _ratio(1 - fin["word_f1"], 1 - base["word_f1"]),
            "trigram_f1_error": _ratio(1 - fin["trigram_f1"], 1 - base["trigram_f1"]),
        }
        out["page_ratio_median"] = page_ratio_medians(rows)
        # a page the pipeline failed on, where plain Tesseract read something, lost it all
        out["loses_f1_point"] = sum(
            1
            for r in rows
            if "baseline" in r
            and (r[final_of(r)]["word_f1"] if final_of(r) else 0.0)
            < r["baseline"]["word_f1"] - F1_LOSS
        )
    breaks = break_totals(rows)
    if breaks:
        out["breaks"] = breaks
    out["worse"] = [
        {"page": r["page"], "stage": blame(r) if final_of(r) else "failed"}
        for r in rows
        if (
            worse(r, final_of(r))
            if final_of(r)
            else "baseline" in r and r["baseline"]["word_f1"] > F1_LOSS
        )
    ]
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}"


def markdown(summary: dict) -> str:
    cols = ("baseline", "stage2", "stage3", "stage4")
    lines = [
        "| set | pages | "
        + " | ".join(f"{c} CER% / 1-F1% / 1-F1(3)%" for c in cols)
        + " | final/base CER | WER | word-F1 err | trigram err | pages -1pt F1 |",
        "|" + "---|" * (len(cols) + 7),
    ]
    for name, s in summary["sets"].items():
        cells = [
            f"{_pct(s[c]['cer'])} / {_pct(1 - s[c]['word_f1'])} / {_pct(1 - s[c]['trigram_f1'])}"
            if c in s
            else "-"
            for c in cols
        ]
        r = s.get("ratio", {})
        lines.append(
            f"| {name} | {s['pages']} | "
            + " | ".join(cells)
            + " | "
            + " | ".join(str(r.get(m, "-")) for m in ("cer", "wer", "word_f1_error"))
            + f" | {r.get('trigram_f1_error', '-')} | {s.get('loses_f1_point', '-')} |"
        )
    lines += [
        "",
        "Median over pages of each page's own final/baseline ratio (the typical page):",
        "",
        "| set | CER | word-F1 err | trigram err |",
        "|---|---|---|---|",
    ]
    for name, s in summary["sets"].items():
        pr = s.get("page_ratio_median", {})
        lines.append(
            f"| {name} | "
            + " | ".join(str(pr.get(m, "-")) for m in ("cer", "word_f1_error", "trigram_f1_error"))
            + " |"
        )
    with_breaks = {n: s["breaks"] for n, s in summary["sets"].items() if "breaks" in s}
    if with_breaks:
        lines += [
            "",
            "Paragraph breaks, where the ground truth marks paragraphs (found / missed / extra;"
            " recall, precision):",
            "",
            "| set | plain Tesseract | final text |",
            "|---|---|---|",
        ]
        for name, b in with_breaks.items():
            cells = [
                f"{t['found']} / {t['missed']} / {t['extra']}; {t['recall']}, {t['precision']}"
                if (t := b.get(k))
                else "-"
                for k in ("baseline", "final")
            ]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Pages whose final text is worse than plain Tesseract (CER up, or word F1 "
        "down by more than a point):",
        "",
    ]
    lines.append("| set | page | baseline CER / F1 | final CER / F1 | went wrong at stage |")
    lines.append("|---|---|---|---|---|")
    for name, s in summary["sets"].items():
        for w in s["worse"]:
            r = summary["pages"][name][w["page"]]
            b, final = r["baseline"], final_of(r)
            ours = f"{_pct(r[final]['cer'])} / {_pct(r[final]['word_f1'])}" if final else "-"
            lines.append(
                f"| {name} | {w['page']} | {_pct(b['cer'])} / {_pct(b['word_f1'])} | "
                f"{ours} | {w['stage']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default=",".join(SETS), help="comma-separated set names")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("bench/work/scans"))
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--every", type=int, default=1, help="every K-th page of each set")
    ap.add_argument("--force", action="store_true", help="re-run every pipeline stage")
    args = ap.parse_args(argv)
    names = [s.strip() for s in args.set.split(",") if s.strip()]
    missing = [n for n in names if not (args.data / n).is_dir()]
    if missing:
        ap.error(f"no set {', '.join(missing)} under {args.data}")
    summary: dict = {"sets": {}, "pages": {}, "seconds": {}}
    for name in names:
        images = pages_of(args.data, name, args.every)
        run_dir = args.out / name
        summary["seconds"][name] = round(run_pipeline(images, run_dir, args.jobs, args.force), 1)
        stems = {p.stem for p in images}
        dirs = [d.parent for d in sorted(run_dir.glob("*/manifest.json"))]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            scored = pool.map(partial(score_page, paragraphs=PARAGRAPH_GT.get(name)), dirs)
            rows = [r for r in scored if r and r["page"] in stems]
        summary["pages"][name] = {r["page"]: r for r in rows}
        summary["sets"][name] = set_summary(rows)
    summary["command"] = " ".join(["python -m bench.scans", *(argv or sys.argv[1:])])
    write_json(args.out / "summary.json", summary)
    print(markdown(summary))
    print(f"\nseconds per set (pipeline, -j {args.jobs}): {summary['seconds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
