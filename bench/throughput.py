"""Batch speed: the whole pipeline with -j N against plain Tesseract on the same pages.

    python -m bench.throughput --pages 20 --jobs 2 [--big 200] [--threaded-sample 4]
    python -m bench.throughput --real ../shared/data/scans-dev/newspapers-magazines ...

Generated pages by default; `--real DIR` (repeatable) times the scans in those folders instead
(linked, never copied), `--every K` taking every K-th of each.

Figures are ratios measured in one run on this machine:
- pipeline pages/minute vs a serial loop of single-threaded plain Tesseract
  (`OMP_THREAD_LIMIT=1 tesseract page.png out`), and vs default-threaded Tesseract
  (timed on a sample of the pages, as it is several times slower here);
- the non-OCR stages' time as a share of the OCR stage's (from run.json);
- re-running the finished batch vs the first run;
- peak memory per worker for the batch, and again for a batch of --big pages (copies).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.pagegen import PageSpec, render_page, save_page

HERE = Path(__file__).resolve().parent


def make_pages(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for i in range(n):
        p = folder / f"page{i:03d}.png"
        if not p.exists():
            spec = PageSpec(
                seed=1000 + i,
                columns=3 + i % 3,
                headline_lines=1 + i % 2,
                rules=i % 2 == 0,
                photo=i % 3 == 0,
                level="clean" if i % 2 == 0 else "mild",
            )
            img, _, _ = render_page(spec)
            save_page(img, p)
        pages.append(p)
    return pages


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def link_real_pages(folder: Path, sources: list[Path], every: int) -> list[Path]:
    """Every `every`-th scan of each source folder, linked into `folder` (named set_page)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pages = []
    for src in sources:
        scans = sorted(p for p in src.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        for p in scans[::every]:
            link = folder / f"{src.name}_{p.name}"
            link.symlink_to(p.resolve())
            pages.append(link)
    return pages


def time_tesseract(pages: list[Path], threads: str | None) -> tuple[float, float | None]:
    """Seconds for the serial loop, and Tesseract's own peak memory (MB) when /usr/bin/time
    is there to measure it (a small C parent: its child's figure is Tesseract's alone)."""
    env = dict(os.environ)
    env.pop("OMP_THREAD_LIMIT", None)
    if threads:
        env["OMP_THREAD_LIMIT"] = threads
    timer = shutil.which("time")  # the GNU time program, not the shell keyword
    peaks: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        for p in pages:
            cmd = ["tesseract", str(p), str(Path(tmp) / p.stem)]
            if timer:
                cmd = [timer, "-f", "%M", "-o", str(Path(tmp) / "rss"), *cmd]
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            if timer:
                peaks.append(int((Path(tmp) / "rss").read_text().split()[-1]) / 1024)
        return time.perf_counter() - t0, (round(max(peaks), 1) if peaks else None)


def time_tesseract_parallel(pages: list[Path], jobs: int) -> float:
    """Plain single-threaded Tesseract, `jobs` pages at a time: what the cores allow at best."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(jobs) as pool:
        t0 = time.perf_counter()
        list(
            pool.map(
                lambda p: subprocess.run(
                    ["tesseract", str(p), str(Path(tmp) / p.stem)],
                    env=env,
                    check=True,
                    capture_output=True,
                ),
                pages,
            )
        )
        return time.perf_counter() - t0


def time_pipeline(pages_dir: Path, out: Path, jobs: int) -> tuple[float, dict]:
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        str(pages_dir),
        "-o",
        str(out),
        "-j",
        str(jobs),
        "-q",
    ]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    seconds = time.perf_counter() - t0
    return seconds, json.loads((out / "run.json").read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--big", type=int, default=0, help="also a batch of this many pages (copies)")
    ap.add_argument("--threaded-sample", type=int, default=4)
    ap.add_argument("--work", type=Path, default=HERE / "work" / "throughput")
    ap.add_argument("--real", type=Path, action="append", help="a folder of real scans")
    ap.add_argument("--every", type=int, default=1, help="with --real: every K-th scan")
    args = ap.parse_args()

    if args.real:
        pages_dir = args.work / "real-pages"
        pages = link_real_pages(pages_dir, args.real, args.every)
    else:
        pages_dir = args.work / "pages"
        pages = make_pages(pages_dir, args.pages)
    t_single, peak = time_tesseract(pages, "1")
    t_peak = f"{peak} MB" if peak else "not measured (no /usr/bin/time)"
    t_parallel = time_tesseract_parallel(pages, args.jobs)
    sample = pages[: args.threaded_sample]
    t_threaded_sample = time_tesseract(sample, None)[0] if sample else 0.0
    t_single_sample = t_single * len(sample) / len(pages)

    out = args.work / "out"
    shutil.rmtree(out, ignore_errors=True)
    t_pipe, run = time_pipeline(pages_dir, out, args.jobs)
    t_rerun, rerun = time_pipeline(pages_dir, out, args.jobs)
    st = run["stage_seconds"]
    non_ocr = sum(v for k, v in st.items() if k != "ocr")

    lines = [
        f"pages: {len(pages)}, jobs: {args.jobs}, cpus: {os.cpu_count()}",
        f"plain tesseract, OMP_THREAD_LIMIT=1, serial: {t_single:.1f} s "
        f"({60 * len(pages) / t_single:.1f} pages/min)",
        f"plain tesseract, default threads, serial, {len(sample)} pages: "
        f"{t_threaded_sample:.1f} s (single-threaded on the same pages: {t_single_sample:.1f} s)",
        f"pipeline -j {args.jobs}: {t_pipe:.1f} s ({60 * len(pages) / t_pipe:.1f} pages/min)",
        f"plain tesseract, OMP_THREAD_LIMIT=1, {args.jobs} at a time: {t_parallel:.1f} s "
        f"(the cores' own limit: {t_single / t_parallel:.2f}x the serial loop)",
        f"speed-up vs single-threaded tesseract loop: {t_single / t_pipe:.2f}x",
        f"pipeline vs {args.jobs}-at-a-time plain tesseract: {t_parallel / t_pipe:.2f}x",
    ]
    if sample:
        per_page_threaded = t_threaded_sample / len(sample)
        lines.append(
            "speed-up vs default-threaded tesseract loop: "
            f"{per_page_threaded * len(pages) / t_pipe:.2f}x"
        )
    lines += [
        f"stage seconds (summed over pages): {json.dumps(st)}",
        f"non-OCR stages / OCR stage: {non_ocr / st['ocr']:.1%}",
        f"re-run of the finished batch: {t_rerun:.2f} s = {t_rerun / t_pipe:.1%} of the first run"
        f" ({rerun['fully_skipped']} of {rerun['pages']} pages skipped)",
        f"peak memory per worker: {run['peak_worker_mb']} MB (the Python process; its "
        f"Tesseract child adds its own: plain Tesseract's peak on these pages {t_peak})",
    ]
    if args.big:
        big_dir = args.work / f"pages-{args.big}"
        big_dir.mkdir(exist_ok=True)
        for i in range(args.big):
            dst = big_dir / f"copy{i:04d}.png"
            if not dst.exists():
                shutil.copy(pages[i % len(pages)], dst)
        big_out = args.work / f"out-{args.big}"
        shutil.rmtree(big_out, ignore_errors=True)
        t_big, big = time_pipeline(big_dir, big_out, args.jobs)
        lines.append(
            f"{args.big}-page batch: {t_big:.1f} s, peak memory per worker "
            f"{big['peak_worker_mb']} MB (vs {run['peak_worker_mb']} MB at {len(pages)} pages)"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
