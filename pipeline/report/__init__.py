"""`ocr-pipeline report OUTPUT`: a static HTML report of a run, in `OUTPUT/report/`.

`report/index.html` lists every page (status, seconds per stage, words, mean confidence,
corrections, an estimated quality score, and CER/WER per stage when `OUTPUT/eval.json` exists),
sortable, worst first. `report/pages/<name>.html` shows one page: the preprocessed scan with word
boxes shaded by confidence and the paragraphs numbered in reading order, and the text of stages
2, 3 and 4 side by side with each change marked and explained on hover.

The scan is linked, not copied: `pages/<name>.html` refers to `../../<name>/1-preprocess/
image.png`, so the report costs no image space and keeps working from file:// when the whole
output folder is moved or copied; it breaks only if `report/` is moved away from its pages.
CSS and JavaScript are inlined, so nothing is fetched from anywhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from pipeline import lexicon as lexicon_mod
from pipeline.fileio import write_text
from pipeline.report.collect import PageData, read_evals, read_page
from pipeline.report.index_html import render_index
from pipeline.report.page_html import render_page
from pipeline.runner import page_dirs
from pipeline.stages import STAGE_DIRS

__all__ = ["write_report", "collect_pages"]


def _lang(output: Path) -> str:
    """The language the run used (from run.json), so the lexicon share uses the same words."""
    try:
        args = json.loads((output / "run.json").read_text(encoding="utf-8")).get("args") or {}
        return str(args.get("lang") or "eng")
    except (OSError, ValueError, AttributeError):
        return "eng"


def collect_pages(output: Path, lang: str | None = None) -> tuple[list[PageData], dict]:
    lex = lexicon_mod.load(lang or _lang(output))
    evals, median = read_evals(output)
    return [read_page(d, lex, evals) for d in page_dirs(output)], median


def page_file(name: str) -> str:
    """The page view's file name; page names are folder names, so safe as file names."""
    return f"{name}.html"


def _shown(html: str) -> str:
    """A file name that is not UTF-8 is shown with a replacement character (its links are
    percent-encoded bytes, so they still lead to the file)."""
    return html.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def write_report(output: Path, lang: str | None = None) -> Path:
    """Write OUTPUT/report/index.html and one view a page; return the index's path."""
    output = Path(output)
    pages, median = collect_pages(output, lang)
    report = output / "report"
    hrefs = {}
    for page in pages:
        image = None
        if page.image is not None:
            folder = quote(os.fsencode(page.dir.name))
            image = f"../../{folder}/{STAGE_DIRS['preprocess']}/image.png"
        html = render_page(page, image, "../index.html")
        write_text(report / "pages" / page_file(page.dir.name), _shown(html))
        hrefs[page.dir.name] = f"pages/{quote(os.fsencode(page_file(page.dir.name)))}"
    index = report / "index.html"
    write_text(index, _shown(render_index(pages, hrefs, median, output.resolve().name)))
    return index
