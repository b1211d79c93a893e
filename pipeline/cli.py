"""Command line: `run` for whole batches, one command per stage, and `inspect`."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from pipeline import __version__, batchoptions
from pipeline.batch import run_batch, summarise_batch, write_summary
from pipeline.checks import check_lang, check_lexicons, check_timeout
from pipeline.commands.eval import eval_command
from pipeline.commands.export import export_command
from pipeline.commands.report import report_command
from pipeline.diff import stage_diff
from pipeline.errors import SetupError
from pipeline.export import parse_formats
from pipeline.fileio import remove_temporaries
from pipeline.inputs import PageJob, expand_jobs, find_files
from pipeline.inspect_page import summarise
from pipeline.interrupt import stop_on_ctrl_c
from pipeline.lock import OutputBusy, lock_output, unlock_output
from pipeline.ocr import check_tesseract
from pipeline.options import STAGES, Options
from pipeline.progress import Progress
from pipeline.repair.textinput import decode_lines
from pipeline.retry import jobs_to_retry, last_summary, whole_batch
from pipeline.runner import PageResult, Plan, job_from_manifest, page_dirs

STAGE_CHOICE = click.Choice(STAGES)


def _formats(value: str) -> set[str]:
    try:
        return parse_formats(value) if value else set()
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--format") from e


def _common(f):
    """Options every processing command shares."""
    f = click.option(
        "--quiet", "-q", is_flag=True, help="No progress output; failures still shown."
    )(f)
    f = click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Pages processed in parallel (default: the number of CPUs).",
    )(f)
    f = click.option(
        "--timeout",
        type=float,
        default=None,
        help="Seconds a page may spend in OCR (Tesseract), and in repair or correct "
        "[default: as last run on OUTPUT, else 300].",
    )(f)
    f = click.option(
        "--dpi",
        "pdf_dpi",
        type=click.IntRange(72, 1200),
        default=None,
        help="Resolution PDF pages are rendered at [default: as last run on OUTPUT, else 300].",
    )(f)
    f = click.option(
        "--psm",
        type=click.IntRange(1, 13),
        default=None,
        help="Tesseract page segmentation mode [default: as last run on OUTPUT, else 3: "
        "automatic, finds columns].",
    )(f)
    f = click.option("--force", is_flag=True, help="Re-run stages even when they are up to date.")(
        f
    )
    f = click.option(
        "--lexicon",
        "lexicons",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A word list (one word a line) whose words are always right. Repeatable "
        "[default: those of the last run on OUTPUT].",
    )(f)
    f = click.option(
        "--lang",
        default=None,
        help="Tesseract language; also selects the lexicon [default: as last run on OUTPUT, "
        "else eng].",
    )(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ocr-pipeline")
def cli() -> None:
    """Scanned pages in, clean and correctly ordered text out, every stage's work kept."""


def _options(output: Path, **given) -> Options:
    """OUTPUT's remembered options with those given put over them, checked first (a bad one is
    one line and exit 2, not every page failing alike after OCR); remembered for next time."""
    options = batchoptions.resolve(output, given)
    try:
        check_timeout(options.timeout)
        check_lang(options.lang)
        check_lexicons(options.lexicons)
    except (ValueError, OSError) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    batchoptions.remember(output, options)
    return options


def _execute(
    jobs: list[PageJob],
    plan: Plan,
    workers: int | None,
    quiet: bool,
    args: dict,
    input_problems: list[str] | None = None,
    scheduler: str | None = None,
    merge: Callable[[dict, list[PageResult]], dict] | None = None,
) -> None:
    """Run the batch, write run.json, print the summary and exit with the batch's status."""
    output = plan.output
    ocr_index = STAGES.index("ocr")
    if any(j.kind == "image" for j in jobs) and (
        STAGES.index(plan.first) <= ocr_index <= STAGES.index(plan.last)
    ):
        try:
            check_tesseract(plan.options.lang)
        except SetupError as e:
            plan = replace(plan, setup_error=str(e))
            click.echo(f"error: {e}", err=True)
    try:
        output.mkdir(parents=True, exist_ok=True)
        lock_output(output)  # released when this process (and its workers) end
        click.get_current_context().call_on_close(lambda: unlock_output(output))
        probe = output / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OutputBusy as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except OSError as e:
        raise click.UsageError(f"{output}: output folder cannot be written ({e.strerror})") from e
    workers = min(workers or os.cpu_count() or 1, max(1, len(jobs)))
    progress = Progress(len(jobs), quiet=quiet)
    t0 = time.perf_counter()
    try:
        with stop_on_ctrl_c(output):
            results = run_batch(jobs, plan, workers, progress, scheduler)
    except SetupError as e:
        raise click.ClickException(str(e)) from e
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the stop
        remove_temporaries(output)  # the workers have stopped: nothing half-written stays
        click.echo(
            "\ninterrupted: finished stages are kept; run the same command to resume", err=True
        )
        sys.exit(130)
    unwritten = False
    try:
        whole = (lambda summary: merge(summary, results)) if merge else None
        summary = write_summary(
            output, results, time.perf_counter() - t0, args, input_problems or [], whole
        )
    except OSError as e:
        click.echo(f"error: {output / 'run.json'} cannot be written ({e.strerror or e})", err=True)
        summary = summarise_batch(results, time.perf_counter() - t0, args, input_problems or [])
        unwritten = True
    for note in summary["notes"]:  # shown even with --quiet: the user's own work moved
        click.echo(f"  note: {note}", err=True)
    if not quiet or summary["failed"]:
        click.echo(
            f"{summary['pages']} pages: {summary['done']} done "
            f"({summary['fully_skipped']} already up to date), {summary['failed']} failed "
            f"in {summary['seconds']:.1f}s -> {output}",
            err=True,
        )
        for f in summary["failures"]:
            click.echo(f"  failed: {f['name']}: {f['error']}", err=True)
        for p in summary["input_problems"]:
            click.echo(f"  not read: {p}", err=True)
    sys.exit(1 if summary["failed"] or summary["input_problems"] or unwritten else 0)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder the pages are written to.",
)
@click.option(
    "--from",
    "first",
    type=STAGE_CHOICE,
    default="preprocess",
    show_default=True,
    help="First stage to run (earlier ones must already be done).",
)
@click.option(
    "--to",
    "last",
    type=STAGE_CHOICE,
    default="correct",
    show_default=True,
    help="Last stage to run.",
)
@click.option(
    "--from-list",
    "from_list",
    type=click.File("rb"),
    help="A file naming one input path a line (- for standard input).",
)
@click.option(
    "--retry-failed",
    "retry",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Re-run only the pages that failed in this output folder.",
)
@click.option(
    "--format",
    "formats",
    default="",
    callback=lambda _c, _p, v: _formats(v),
    help="Also export each finished page: any of hocr,alto,pdf,txt (comma-separated) or all.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where pages run: a local process pool, or a Dask cluster (needs --scheduler).",
)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address, tcp://host:8786.")
@_common
def run(
    inputs: tuple[Path, ...],
    output: Path,
    first: str,
    last: str,
    from_list,
    retry: Path | None,
    formats: set[str],
    executor: str,
    scheduler: str | None,
    lang: str | None,
    lexicons: tuple[Path, ...],
    force: bool,
    psm: int | None,
    pdf_dpi: int | None,
    timeout: float | None,
    jobs: int | None,
    quiet: bool,
) -> None:
    """Run the pipeline on INPUTS: images, PDFs, raw OCR .txt files, or folders of them."""
    if STAGES.index(first) > STAGES.index(last):
        raise click.UsageError(f"--from {first} comes after --to {last}")
    if (executor == "dask") != bool(scheduler):
        raise click.UsageError("--executor dask and --scheduler ADDRESS go together")
    given = dict(lang=lang, lexicons=lexicons, timeout=timeout, pdf_dpi=pdf_dpi, psm=psm)
    args = {
        "command": "run",
        "inputs": [str(i) for i in inputs],
        "from": first,
        "to": last,
        "force": force,
    }
    if retry is not None:
        if inputs or from_list:
            raise click.UsageError("--retry-failed takes no INPUTS: it re-runs failed pages")
        previous = last_summary(retry)
        page_jobs = jobs_to_retry(retry, previous)
        if not page_jobs:
            click.echo(f"{retry}: no failed pages to retry", err=True)
            sys.exit(0)
        args["retry_failed"] = str(retry)
        options = _options(retry, **given)
        plan = Plan(retry, options, first, last, force, formats=frozenset(formats))

        def merge(summary: dict, results: list[PageResult]) -> dict:
            return whole_batch(retry, previous, summary, {r.name for r in results})

        _execute(page_jobs, plan, jobs, quiet, args, scheduler=scheduler, merge=merge)
    listed = (
        [Path(ln.strip()) for ln in decode_lines(from_list.read()) if ln.strip()]
        if from_list
        else []
    )
    if not inputs and not listed:
        raise click.UsageError("give INPUTS, --from-list FILE or --retry-failed OUTPUT")
    files, problems, skipped = find_files([*inputs, *listed])
    for p in problems:
        click.echo(f"error: {p}", err=True)
    for folder in skipped:
        click.echo(f"skipped: {folder}: an output folder of ocr-pipeline, not an input", err=True)
    if not files:
        raise click.UsageError("no images (.png .jpg .jpeg .tif .tiff .pdf) or .txt files found")
    options = _options(output, **given)
    args.update(lang=options.lang, lexicons=[str(p) for p in options.lexicons])
    plan = Plan(output, options, first, last, force, formats=frozenset(formats))
    _execute(expand_jobs(files, output), plan, jobs, quiet, args, problems, scheduler)


def _stage_command(stage: str):
    @click.argument("output", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--page", "pages", multiple=True, help="Only this page folder name. Repeatable.")
    @_common
    def command(
        output: Path,
        pages: tuple[str, ...],
        lang: str | None,
        lexicons: tuple[Path, ...],
        force: bool,
        psm: int | None,
        pdf_dpi: int | None,
        timeout: float | None,
        jobs: int | None,
        quiet: bool,
    ) -> None:
        dirs = [d for d in page_dirs(output) if not pages or d.name in pages]
        page_jobs = [j for j in (job_from_manifest(d) for d in dirs) if j is not None]
        if stage in ("preprocess", "ocr"):
            page_jobs = [j for j in page_jobs if j.kind == "image"]
        if not page_jobs:
            raise click.UsageError(f"{output}: no page folders to run {stage} on")
        args = {"command": stage, "output": str(output), "pages": list(pages), "force": force}
        options = _options(
            output, lang=lang, lexicons=lexicons, timeout=timeout, pdf_dpi=pdf_dpi, psm=psm
        )
        plan = Plan(output, options, stage, stage, force)
        _execute(page_jobs, plan, jobs, quiet, args)

    command.__doc__ = f"Run the {stage} stage alone on the pages already in OUTPUT."
    return cli.command(name=stage)(command)


for _stage in STAGES:
    _stage_command(_stage)


@cli.command()
@click.argument("page_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--diff",
    nargs=2,
    metavar="STAGE_A STAGE_B",
    help="Word-level diff of two stages' text (2/ocr, 3/repair, 4/correct).",
)
def inspect(page_dir: Path, diff: tuple[str, str] | None) -> None:
    """Summarise one page folder: each stage's status, seconds and headline figures."""
    try:
        if diff:
            click.echo(stage_diff(page_dir, diff[0], diff[1], color=sys.stdout.isatty()))
        else:
            click.echo(summarise(page_dir))
    except (FileNotFoundError, ValueError) as e:
        raise click.UsageError(str(e)) from e


cli.add_command(report_command)
cli.add_command(export_command)
cli.add_command(eval_command)


def main() -> None:
    cli()
