"""The report's front page: one row a page, sortable, worst pages first."""

from __future__ import annotations

from typing import Any

from pipeline.report.assets import SORT_JS, document, e, quality_colour
from pipeline.report.collect import EVAL_KEYS, PageData
from pipeline.stages import STAGES

EVAL_LABELS = {"baseline": "baseline", "stage2": "ocr", "stage3": "repair", "stage4": "final"}


def _num(value: float | int | None, text: str | None = None) -> str:
    """A numeric cell: its sort value in data-v, empty when the page has no such figure."""
    if value is None:
        return '<td class="n" data-v="">–</td>'
    return f'<td class="n" data-v="{value}">{e(text if text is not None else value)}</td>'


def _pct(value: Any) -> str:
    return _num(value, f"{value * 100:.2f}%") if isinstance(value, int | float) else _num(None)


def eval_columns(pages: list[PageData]) -> list[str]:
    present = {k for p in pages for k in p.evals}
    return [k for k in EVAL_KEYS if k in present] + sorted(present - set(EVAL_KEYS))


def _row(page: PageData, href: str, evals: list[str]) -> str:
    failed = page.status == "failed"
    status = e(page.status) + (f'<br><span class="muted">{e(page.error)}</span>' if failed else "")
    q = page.quality
    # a failed page sorts before every page with a score: it is the worst of all
    q_cell = (
        f'<td class="n" data-v="{-1 if q is None else q}"><span class="q" '
        f'style="background:{quality_colour(q)}">{"–" if q is None else f"{q:.2f}"}</span></td>'
    )
    cells = [
        f'<td class="name" data-v="{e(page.name)}"><a href="{e(href)}">{e(page.name)}</a></td>',
        f'<td data-v="{e(page.kind)}">{e(page.kind)}</td>',
        f'<td data-v="{e(page.status)}">{status}</td>',
        q_cell,
        *(
            _num(page.seconds.get(s), f"{page.seconds[s]:.2f}")
            if page.seconds.get(s) is not None
            else _num(None)
            for s in STAGES
        ),
        _num(page.words),
        _num(page.mean_conf),
        _num(page.corrections_made),
        _pct(page.known),
    ]
    for k in evals:
        fig = page.evals.get(k) or {}
        cells += [_pct(fig.get("cer")), _pct(fig.get("wer"))]
    cls = ' class="failed"' if failed else ""
    return f'<tr data-page="{e(page.name)}"{cls}>{"".join(cells)}</tr>'


def render_index(
    pages: list[PageData], hrefs: dict[str, str], median: dict[str, Any], output_name: str
) -> str:
    """The table of pages. The first sort is by final CER, worst first, when eval.json gave
    it, else by estimated quality, lowest first; the script applies it when the page loads."""
    evals = eval_columns(pages)
    default_col = f"cer-{evals[-1]}" if "stage4" in evals else "quality"
    heads = [
        ("name", "page", "ascending", "page folder; opens the page view"),
        ("kind", "kind", "ascending", "image or raw OCR text"),
        ("status", "status", "ascending", "done or failed"),
        ("quality", "quality", "ascending", "estimated quality, 0-1, without ground truth"),
        *((f"s-{s}", f"{s[:4]} s", "descending", f"seconds in {s}") for s in STAGES),
        ("words", "words", "descending", "words of the final text"),
        ("conf", "conf", "ascending", "mean OCR word confidence"),
        ("corrections", "fixes", "descending", "corrections made by the correct stage"),
        ("known", "lexicon", "ascending", "share of final words the lexicon knows"),
    ]
    for k in evals:
        label = EVAL_LABELS.get(k, k)
        heads += [
            (f"cer-{k}", f"CER {label}", "descending", f"character error rate of {k}"),
            (f"wer-{k}", f"WER {label}", "descending", f"word error rate of {k}"),
        ]
    th = []
    for key, label, first, tip in heads:
        default = f' data-default="{first}"' if key == default_col else ""
        th.append(
            f'<th data-key="{key}" data-first="{first}" title="{e(tip)}"{default}>{e(label)}</th>'
        )
    ordered = sorted(pages, key=lambda p: p.name)  # the script re-sorts, worst first
    rows = "".join(_row(p, hrefs[p.dir.name], evals) for p in ordered)
    foot = ""
    if evals and median:
        cells = "".join(
            f"<td class=n>{_cell_pct((median.get(k) or {}).get(m))}</td>"
            for k in evals
            for m in ("cer", "wer")
        )
        blank = 4 + len(STAGES) + 4
        foot = f'<tfoot><tr><td colspan="{blank}">median</td>{cells}</tr></tfoot>'
    done = sum(p.status == "done" for p in pages)
    failed = sum(p.status == "failed" for p in pages)
    body = (
        f'<header><h1>ocr-pipeline report: {e(output_name)}</h1><div class="sub">'
        f"{len(pages)} pages, {done} done, {failed} failed. Click a column to sort; the page "
        "name opens its view. Quality est. needs no ground truth: it mixes mean OCR confidence "
        "(0.4), the share of final words the lexicon knows (0.4) and the share of input lines "
        "that were not junk (0.2), each stretched from a floor that already means a bad page "
        "(pipeline/report/quality.py)."
        f'</div></header><main><table class="data sortable" id="pages"><thead><tr>'
        f"{''.join(th)}</tr></thead><tbody>{rows}</tbody>{foot}</table></main>"
    )
    return document(f"ocr-pipeline report: {output_name}", body, SORT_JS)


def _cell_pct(value: Any) -> str:
    return f"{value * 100:.2f}%" if isinstance(value, int | float) else "–"
