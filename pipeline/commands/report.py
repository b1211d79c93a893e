"""`ocr-pipeline report OUTPUT`: write the static HTML report of a run."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.report import write_report
from pipeline.runner import page_dirs


@click.command("report")
@click.argument("output", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--lang",
    default=None,
    help="Lexicon language for the quality estimate (default: the one the run used).",
)
def report_command(output: Path, lang: str | None) -> None:
    """Write OUTPUT/report/index.html: every page's figures, sortable, and a view of each page.

    Static files only: open index.html in a browser, no server needed.
    """
    if not page_dirs(output):
        raise click.UsageError(f"{output}: no page folders (no */manifest.json); run the pipeline")
    index = write_report(output, lang)
    click.echo(str(index))
