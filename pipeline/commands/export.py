"""`ocr-pipeline export OUTPUT --format hocr,alto,pdf,txt`: exports of finished pages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import manifest
from pipeline.errors import PageError
from pipeline.export import FORMATS, export, parse_formats
from pipeline.runner import page_dirs


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> set[str]:
    try:
        return parse_formats(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


def _correct_status(page_dir: Path) -> str:
    stage = manifest.load(page_dir).get("stages", {}).get("correct") or {}
    return stage.get("status") or "not run"


def _shown(line: str) -> str:
    """A name that is not UTF-8 is printed with a replacement character, not a traceback."""
    return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@click.command("export")
@click.argument("output", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    callback=_formats,
    help="Comma-separated: hocr, alto (ALTO XML 4.4), pdf (searchable), txt; or all.",
)
@click.option("--page", "pages", multiple=True, help="Only this page folder name. Repeatable.")
def export_command(output: Path, formats: set[str], pages: tuple[str, ...]) -> None:
    """Write each finished page's exports beside its stage folders: OUTPUT/<name>/<name>.<ext>.

    The words are the corrected words, on their boxes in 1-preprocess/image.png, in reading
    order. Pages from a .txt input have no image and get the txt export only.
    """
    dirs = [d for d in page_dirs(output) if not pages or d.name in pages]
    unknown = sorted(set(pages) - {d.name for d in dirs})
    if unknown:
        raise click.UsageError(f"no page folder {', '.join(unknown)} in {output}")
    if not dirs:
        raise click.UsageError(f"{output}: no page folders (folders with manifest.json)")
    failed = 0
    for d in dirs:
        status = _correct_status(d)
        if status != "done":
            failed += 1
            click.echo(f"{d.name}: not exported: the correct stage is {status}", err=True)
            continue
        try:
            result = export(d, formats)
        except PageError as e:
            failed += 1
            click.echo(f"{d.name}: not exported: {e}", err=True)
            continue
        names = ", ".join(p.name for p in result.written) or "nothing"
        notes = "".join(f" ({n})" for n in result.notes)
        click.echo(_shown(f"{d.name}: {names}{notes}"))
    if failed:
        click.echo(f"{failed} of {len(dirs)} pages not exported", err=True)
    sys.exit(1 if failed else 0)
