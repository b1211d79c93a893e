"""Newspaper benchmark: rendered pages with known text, our pipeline against plain Tesseract.

    .venv/bin/python -m bench.newspapers --pages 36 --jobs 2 [--levels clean,mild,heavy]
                                         [--out bench/work/newspapers]

Pages come from `bench.pagegen`, deterministically: page k of every level cycles through the
same mix of layouts (3-5 columns, 1-2 headline lines, column rules, a photo with caption,
bullet items), with its own seed, so each level sees the same kinds of page. The images and
`<name>.gt.txt` go to OUT/pages; the pipeline runs on them (`ocr-pipeline run`, a subprocess,
resumable) into OUT/run; `pipeline.evaluate` scores stages 2-4 and plain Tesseract
(`tesseract page.png -`, default settings) and writes OUT/run/eval.json; the per-level medians,
ratios against the baseline, the issue's targets and the worst pages go to OUT/summary.json
and are printed as Markdown.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench.pagegen import PageSpec, render_page, save_page
from pipeline.evaluate import COLUMNS, collect, final_key, summarise
from pipeline.fileio import read_json, write_bytes, write_json, write_text

LEVELS = ("clean", "mild", "heavy")
LEVEL_SEED = {"clean": 1000, "mild": 2000, "heavy": 3000}
# Issue targets: final median / baseline median must be at most this.
TARGETS = {
    "clean": {"cer": 0.25, "wer": 0.2},
    "mild": {"cer": 0.25, "wer": 0.2},
    "heavy": {"cer": 0.5, "wer": 0.5},
}


def spec_for(level: str, k: int, width_in: float = 8.5, height_in: float = 11.0) -> PageSpec:
    """The k-th page of a level; the layout features cycle with coprime periods."""
    return PageSpec(
        seed=LEVEL_SEED.get(level, 9000) + k,
        columns=3 + k % 3,
        headline_lines=1 + (k // 3) % 2,
        rules=k % 2 == 1,
        photo=k % 4 >= 2,
        bullets=k % 5 in (1, 3),
        level=level,
        width_in=width_in,
        height_in=height_in,
    )


def page_name(level: str, k: int) -> str:
    return f"news-{level}-{k:02d}"


def split_pages(n: int, levels: list[str]) -> dict[str, int]:
    """n pages over the levels, as evenly as possible (earlier levels get the remainder)."""
    base, extra = divmod(n, len(levels))
    return {lv: base + (i < extra) for i, lv in enumerate(levels)}


def _renderer_hash() -> str:
    """Hash of the code and text the pages are drawn from: a change there re-renders."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for f in [here / "pagegen.py", here / "degrade.py", *sorted((here / "corpus").glob("*.txt"))]:
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def generate(pages_dir: Path, counts: dict[str, int]) -> list[Path]:
    """Render every page, unless its stamp (spec and renderer hash) says it is already there.
    Files are rewritten only when their bytes change, so a re-run leaves the pipeline's and
    the baseline's caches valid."""
    pages_dir.mkdir(parents=True, exist_ok=True)
    images = []
    code = _renderer_hash()
    for level, n in counts.items():
        for k in range(n):
            name = page_name(level, k)
            spec = spec_for(level, k)
            stamp = {"spec": asdict(spec), "renderer": code}
            image, gt_file, stamp_file = (
                pages_dir / f"{name}{ext}" for ext in (".png", ".gt.txt", ".spec.json")
            )
            if (
                image.is_file()
                and gt_file.is_file()
                and stamp_file.is_file()
                and read_json(stamp_file) == stamp
            ):
                images.append(image)
                continue
            img, gt, _ = render_page(spec)
            buf = io.BytesIO()
            save_page(img, buf, format="PNG")
            if not image.is_file() or image.read_bytes() != buf.getvalue():
                write_bytes(image, buf.getvalue())
            if not gt_file.is_file() or gt_file.read_text(encoding="utf-8") != gt:
                write_text(gt_file, gt)
            write_json(stamp_file, stamp)
            images.append(image)
    return images


def level_of(name: str) -> str:
    return name.split("-")[1]


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b > 0 else None


def level_summary(pages: dict[str, dict]) -> dict:
    """Median CER/WER per column for a group of pages, the final/baseline ratios and the
    count of pages where our final text is worse than plain Tesseract's."""
    out: dict = {"pages": len(pages)}
    for k in COLUMNS:
        rows = [p[k] for p in pages.values() if k in p]
        if rows:
            out[k] = {m: round(statistics.median(r[m] for r in rows), 6) for m in ("cer", "wer")}
    finals = {n: p[final_key(p)] for n, p in pages.items() if final_key(p)}
    if "baseline" in out and finals:
        fin = {m: statistics.median(f[m] for f in finals.values()) for m in ("cer", "wer")}
        out["ratio"] = {m: _ratio(fin[m], out["baseline"][m]) for m in ("cer", "wer")}
        out["worse_than_baseline"] = sorted(
            n
            for n, p in pages.items()
            if "baseline" in p and finals[n]["cer"] > p["baseline"]["cer"]
        )
    return out


def summarise_levels(report: dict, worst: int = 8) -> dict:
    by_level: dict[str, dict] = {}
    for name, scores in report["pages"].items():
        by_level.setdefault(level_of(name), {})[name] = scores
    order = sorted(by_level, key=lambda lv: (LEVELS + (lv,)).index(lv))
    levels = {lv: level_summary(by_level[lv]) for lv in order}
    for lv, s in levels.items():
        t = TARGETS.get(lv)
        if t and "ratio" in s:
            s["targets"] = {
                m: s["ratio"][m] is not None and s["ratio"][m] <= t[m] for m in ("cer", "wer")
            }
    ranked = sorted(
        report["pages"].items(), key=lambda kv: kv[1][final_key(kv[1])]["cer"], reverse=True
    )
    return {
        "levels": levels,
        "all": level_summary(report["pages"]),
        "worst": [{"page": n, **s} for n, s in ranked[:worst]],
    }


def _f(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}"


def markdown(summary: dict) -> str:
    cols = ("baseline", "stage2", "stage3", "stage4")
    head = "| level | pages | " + " | ".join(f"{c} CER% / WER%" for c in cols)
    head += " | final/baseline CER | final/baseline WER | final CER > baseline |"
    lines = [head, "|" + "---|" * (len(cols) + 5)]
    rows = [*summary["levels"].items(), ("all", summary["all"])]
    for lv, s in rows:
        cells = [f"{_f(s[c]['cer'])} / {_f(s[c]['wer'])}" if c in s else "-" for c in cols]
        r = s.get("ratio", {})
        t = s.get("targets", {})
        mark = {m: ("" if m not in t else (" ok" if t[m] else " MISSED")) for m in ("cer", "wer")}
        worse = s.get("worse_than_baseline", [])
        lines.append(
            f"| {lv} | {s['pages']} | "
            + " | ".join(cells)
            + f" | {r.get('cer', '-')}{mark['cer']} | {r.get('wer', '-')}{mark['wer']}"
            + f" | {len(worse)} |"
        )
    lines += ["", "Worst pages by final CER:", ""]
    lines.append("| page | baseline CER / WER | stage2 | stage3 | stage4 |")
    lines.append("|---|---|---|---|---|")
    for w in summary["worst"]:
        cells = [f"{_f(w[c]['cer'])} / {_f(w[c]['wer'])}" if c in w else "-" for c in cols]
        lines.append(f"| {w['page']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=36, help="total pages, split over the levels")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--levels", default=",".join(LEVELS))
    ap.add_argument("--out", type=Path, default=Path("bench/work/newspapers"))
    ap.add_argument("--force", action="store_true", help="re-run every pipeline stage")
    args = ap.parse_args(argv)
    levels = [lv.strip() for lv in args.levels.split(",") if lv.strip()]
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels or args.pages < len(levels):
        ap.error(f"--levels from {','.join(LEVELS)}, and at least one page a level")
    pages_dir, run_dir = args.out / "pages", args.out / "run"

    t0 = time.perf_counter()
    images = generate(pages_dir, split_pages(args.pages, levels))
    t_gen = time.perf_counter() - t0
    cmd = [sys.executable, "-m", "pipeline", "run", *map(str, images), "-o", str(run_dir)]
    cmd += ["-j", str(args.jobs), "--quiet"] + (["--force"] if args.force else [])
    t1 = time.perf_counter()
    proc = subprocess.run(cmd, check=False)
    t_run = time.perf_counter() - t1
    if proc.returncode not in (0, 1):
        print(f"pipeline run failed with exit {proc.returncode}", file=sys.stderr)
        return proc.returncode
    names = {p.stem for p in images}
    t2 = time.perf_counter()
    texts = collect(run_dir, pages_dir, baseline=True, jobs=args.jobs)
    texts = [p for p in texts if p.name in names]
    report = summarise(texts, pages_dir.resolve())
    write_json(run_dir / "eval.json", report)
    t_eval = time.perf_counter() - t2
    summary = summarise_levels(report)
    summary["seconds"] = {
        "generate": round(t_gen, 1),
        "pipeline": round(t_run, 1),
        "eval_with_baseline": round(t_eval, 1),
    }
    summary["command"] = " ".join(["python -m bench.newspapers", *(argv or sys.argv[1:])])
    write_json(args.out / "summary.json", summary)
    print(markdown(summary))
    s = summary["seconds"]
    print(
        f"\n{len(report['pages'])} pages; generate {s['generate']}s, pipeline {s['pipeline']}s "
        f"(-j {args.jobs}), eval+baseline {s['eval_with_baseline']}s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
