"""`ocr-pipeline eval OUTPUT --gt DIR`: how close each stage's text is to the ground truth."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.evaluate import collect, format_table, summarise
from pipeline.fileio import write_json


@click.command("eval")
@click.argument("output", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--gt",
    "gt_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding <name>.gt.txt, the true text of each page.",
)
@click.option(
    "--baseline",
    is_flag=True,
    help="Also score plain Tesseract (`tesseract page.png -`, default settings) on the "
    "original scans; its text is cached as OUTPUT/<name>/baseline.txt.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Baseline Tesseract runs at once.",
)
def eval_command(output: Path, gt_dir: Path, baseline: bool, jobs: int) -> None:
    """Score the text of stages 2, 3 and 4 of every page in OUTPUT: CER and WER per page and
    their medians, printed and written to OUTPUT/eval.json."""
    if not any(output.glob("*/manifest.json")):
        raise click.UsageError(f"{output}: no page folders (run `ocr-pipeline run` first)")
    pages = collect(output, gt_dir, baseline=baseline, jobs=jobs)
    report = summarise(pages, gt_dir.resolve())
    if not report["pages"]:  # nothing to score: an earlier eval.json is kept
        click.echo(
            f"error: {gt_dir}: no <name>.gt.txt for any page of {output}; "
            "name each ground-truth file after its page folder",
            err=True,
        )
        sys.exit(1)
    write_json(output / "eval.json", report)
    click.echo(format_table(report))
    click.echo(f"{len(report['pages'])} pages scored -> {output / 'eval.json'}", err=True)
