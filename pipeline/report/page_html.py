"""One page's view: the scan with word boxes and reading order, and the text of stages 2, 3 and
4 side by side with every change marked and explained on hover."""

from __future__ import annotations

from collections import defaultdict, deque
from statistics import median

from pipeline.inspect_page import headline
from pipeline.model import Box, Decision, Paragraph, RepairedPage, union
from pipeline.report.assets import HIGHLIGHT_JS, conf_colour, document, e, quality_colour
from pipeline.report.collect import EVAL_KEYS, PageData
from pipeline.stages import STAGE_DIRS, STAGES

KIND_COLOURS = {
    "headline": "#c2185b",
    "byline": "#6a1b9a",
    "body": "#1565c0",
    "caption": "#ef6c00",
    "footnote": "#2e7d32",
}


# One colour an article on a page of several (the kinds' colours would not tell them apart);
# furniture (running head, folio, adverts) in grey.
ARTICLE_COLOURS = (
    "#1565c0",
    "#c2185b",
    "#2e7d32",
    "#ef6c00",
    "#6a1b9a",
    "#00838f",
    "#ad1457",
    "#558b2f",
)
FURNITURE_COLOUR = "#757575"


def paragraph_colours(page: RepairedPage) -> dict[str, tuple[str, str]]:
    """Paragraph id -> (colour, label): by article on a page of several, else by kind."""
    if not page.articles:
        return {p.id: (KIND_COLOURS.get(p.kind, "#455a64"), p.kind) for p in page.paragraphs}
    out = {pid: (FURNITURE_COLOUR, "page furniture") for pid in page.furniture}
    for k, art in enumerate(page.articles):
        colour = ARTICLE_COLOURS[k % len(ARTICLE_COLOURS)]
        out.update({pid: (colour, f"article {k + 1}") for pid in art.paragraphs})
    return out


def _fmt(value: float | None, digits: int = 1, pct: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f}%" if pct else f"{value:.{digits}f}"


def _pieces(boxes: list[Box]) -> list[Box]:
    """A paragraph's word boxes split where the text jumps up into the next column."""
    if not boxes:
        return []
    height = median(b[3] - b[1] for b in boxes) or 1
    groups: list[list[Box]] = [[boxes[0]]]
    for b in boxes[1:]:
        cur = union(groups[-1])
        if b[1] < cur[1] - height and b[0] > cur[2] - height:  # up and to the right
            groups.append([b])
        else:
            groups[-1].append(b)
    return [union(g) for g in groups]


def _overlay(page: PageData) -> str:
    """SVG in image pixels, stretched over the <img>: boxes scale with it at any width."""
    ocr = page.ocr
    assert ocr is not None
    w, h = ocr.width, ocr.height
    boxes: dict[str, Box] = {}
    parts = [f'<svg viewBox="0 0 {w} {h}" preserveAspectRatio="none" aria-hidden="true">']
    parts.append('<g class="words">')
    for word in ocr.words():
        if word.box is None:
            continue
        boxes[word.id] = word.box
        x0, y0, x1, y1 = word.box
        conf = "?" if word.conf is None else f"{word.conf:.0f}"
        parts.append(
            f'<rect class="wb" id="w-{e(word.id)}" x="{x0}" y="{y0}" width="{x1 - x0}" '
            f'height="{y1 - y0}" fill="{conf_colour(word.conf)}" fill-opacity="0.35">'
            f"<title>{e(word.text)} (confidence {conf})</title></rect>"
        )
    parts.append('</g><g class="order">')
    paragraphs = page.repaired.paragraphs if page.repaired else []
    colours = paragraph_colours(page.repaired) if page.repaired else {}
    size = max(14, round(w / 55))
    for n, para in enumerate(paragraphs, start=1):
        pb = [boxes[s] for t in para.tokens for s in t.src if s in boxes]
        colour, group = colours.get(para.id, ("#455a64", para.kind))
        for k, (x0, y0, x1, y1) in enumerate(_pieces(pb)):
            label = str(n) if k == 0 else f"{n}…"
            lw = round(size * (0.75 + 0.6 * len(label)))
            parts.append(
                f'<rect class="para" x="{x0 - 4}" y="{y0 - 4}" width="{x1 - x0 + 8}" '
                f'height="{y1 - y0 + 8}" stroke="{colour}"><title>{n}. {e(group)}, {e(para.kind)} '
                f"{e(para.id)}: {e(para.text[:80])}</title></rect>"
                f'<g class="label"><rect x="{x0 - 4}" y="{y0 - 4}" width="{lw}" '
                f'height="{round(size * 1.3)}" fill="{colour}"/>'
                f'<text x="{x0 - 4 + size * 0.35:.0f}" y="{y0 - 4 + size * 1.02:.0f}" '
                f'font-size="{size}">{label}</text></g>'
            )
    parts.append("</g></svg>")
    return "".join(parts)


def _line_marks(decisions: list[Decision]) -> dict[str, Decision]:
    return {ln: d for d in decisions if d.action in ("drop", "strip") for ln in d.lines}


def _merged(page: PageData) -> dict[str, tuple[str, Decision | None]]:
    """Word id -> (class, decision) for the halves of joined or kept hyphenated words."""
    out: dict[str, tuple[str, Decision | None]] = {}
    if not page.repaired:
        return out
    found = _token_decisions(page.repaired.paragraphs, page.repaired.decisions)
    for para in page.repaired.paragraphs:
        for i, tok in enumerate(para.tokens):
            d = found.get((para.id, i))
            if d is not None:
                for s in tok.src:
                    out[s] = ("keep" if d.action == "keep" else "split", d)
    return out


def _token_decisions(
    paragraphs: list[Paragraph], decisions: list[Decision]
) -> dict[tuple[str, int], Decision]:
    """Join/keep decisions matched to the tokens they made, by result text, in order.

    Only tokens made from two or more OCR words are candidates, so a word that merely
    looks like a joined result elsewhere on the page is not marked.
    """
    queue: dict[str, deque[Decision]] = defaultdict(deque)
    for d in decisions:
        if d.action in ("join", "keep") and d.result:
            queue[d.result].append(d)
    out = {}
    for para in paragraphs:
        for i, tok in enumerate(para.tokens):
            if len(tok.src) > 1 and queue.get(tok.text):
                out[(para.id, i)] = queue[tok.text].popleft()
    return out


def _src_attr(src: list[str]) -> str:
    return f' data-src="{e(" ".join(src))}"' if src else ""


def _stage2(page: PageData) -> tuple[str, str]:
    """Stage 2's lines, or the raw input's for a `.txt` page, junk lines struck through."""
    decisions = page.repaired.decisions if page.repaired else []
    marks = _line_marks(decisions)
    merged = _merged(page)
    if page.ocr is not None:
        title = "2 · OCR (Tesseract's lines)"
        lines = [(ln.id, [(w.id, w.text) for w in ln.words]) for ln in page.ocr.lines()]
    elif page.raw_lines is not None:
        title = "input text (raw lines)"
        lines = page.raw_lines
    else:
        return "2 · OCR", '<p class="muted">not available</p>'
    out = []
    for line_id, words in lines:
        spans = []
        for wid, text in words:
            cls, d = merged.get(wid, ("", None))
            if cls and d is not None:
                tip = f"{d.action}: {d.original} → {d.result} ({d.reason})"
                spans.append(
                    f'<span class="{cls}" data-src="{e(wid)}" title="{e(tip)}">{e(text)}</span>'
                )
            else:
                spans.append(f'<span data-src="{e(wid)}">{e(text)}</span>')
        d = marks.get(line_id)
        if d is not None:
            cls = "drop" if d.action == "drop" else "strip"
            tip = f"{'dropped' if d.action == 'drop' else 'stripped'}: {d.reason}"
            if d.action == "strip":
                tip += f" → {d.result}"
            out.append(f'<div class="ln {cls}" title="{e(tip)}">{" ".join(spans)}</div>')
        else:
            out.append(f'<div class="ln">{" ".join(spans)}</div>')
    return title, "".join(out)


def _marked(paragraphs: list[Paragraph], mark) -> str:
    """Paragraphs as spans; `mark(paragraph_id, token_index)` gives (class, tooltip) or None."""
    out = []
    for para in paragraphs:
        spans = []
        for i, tok in enumerate(para.tokens):
            m = mark(para.id, i)
            if m is None:
                spans.append(f"<span{_src_attr(tok.src)}>{e(tok.text)}</span>")
            else:
                cls, tip = m
                spans.append(
                    f'<span class="{cls}"{_src_attr(tok.src)} title="{e(tip)}">{e(tok.text)}</span>'
                )
        out.append(_para(para, spans))
    return "".join(out)


def _stage3(page: PageData) -> str:
    if page.repaired is None:
        return '<p class="muted">not available</p>'
    found = _token_decisions(page.repaired.paragraphs, page.repaired.decisions)

    def mark(pid: str, i: int) -> tuple[str, str] | None:
        d = found.get((pid, i))
        if d is None:
            return None
        verb = "hyphen kept" if d.action == "keep" else "de-hyphenated"
        cls = "keep" if d.action == "keep" else "join"
        return cls, f"{verb}: {d.original} → {d.result} ({d.reason})"

    return _marked(page.repaired.paragraphs, mark)


def _para(para: Paragraph, spans: list[str]) -> str:
    return (
        f'<p class="kind-{e(para.kind)}"><span class="pid">{e(para.id)}</span>{" ".join(spans)}</p>'
    )


def _stage4(page: PageData) -> str:
    if page.corrected is None:
        return '<p class="muted">not available</p>'
    fixes = {(c.paragraph, c.token): c for c in page.corrections}

    def mark(pid: str, i: int) -> tuple[str, str] | None:
        c = fixes.get((pid, i))
        if c is None:
            return None
        return "fix", f"corrected: {c.original} → {c.replacement} (score {c.score}): {c.reason}"

    return _marked(page.corrected, mark)


def _figures(page: PageData) -> str:
    rows = []
    for stage in STAGES:
        secs = page.seconds.get(stage)
        stats = page.stats.get(stage) or {}
        if secs is None and not stats:
            continue
        rows.append(
            f"<tr><td>{e(STAGE_DIRS[stage])}</td><td class=n>{_fmt(secs, 2)}</td>"
            f"<td>{e(headline(stage, stats))}</td></tr>"
        )
    return (
        '<table class="data"><thead><tr><th>stage</th><th>seconds</th><th>figures</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _evaluation(page: PageData) -> str:
    keys = [k for k in EVAL_KEYS if k in page.evals] + sorted(
        k for k in page.evals if k not in EVAL_KEYS
    )
    if not keys:
        return ""
    rows = "".join(
        f"<tr><td>{e(k)}</td><td class=n>{_fmt(page.evals[k].get('cer'), 2, True)}</td>"
        f"<td class=n>{_fmt(page.evals[k].get('wer'), 2, True)}</td></tr>"
        for k in keys
    )
    return (
        '<section><h2>Against ground truth</h2><table class="data"><thead><tr><th>text</th>'
        f"<th>CER</th><th>WER</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _decisions(page: PageData) -> str:
    if not page.repaired or not page.repaired.decisions:
        return ""
    rows = "".join(
        f"<tr><td>{e(d.action)}</td><td>{e(d.original)}</td><td>{e(d.result)}</td>"
        f"<td>{e(d.reason)}</td><td>{e(' '.join(d.lines))}</td></tr>"
        for d in page.repaired.decisions
    )
    return (
        f"<section><h2>Repair decisions ({len(page.repaired.decisions)})</h2>"
        '<table class="data"><thead><tr><th>action</th><th>original</th><th>result</th>'
        f"<th>reason</th><th>lines</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _corrections(page: PageData) -> str:
    if not page.corrections:
        return ""
    rows = "".join(
        f"<tr><td>{e(c.paragraph)}</td><td class=n>{c.token}</td><td>{e(c.original)}</td>"
        f"<td>{e(c.replacement)}</td><td class=n>{e(c.score)}</td><td>{e(c.reason)}</td></tr>"
        for c in page.corrections
    )
    return (
        f'<section><h2>Corrections ({len(page.corrections)})</h2><table class="data"><thead>'
        "<tr><th>paragraph</th><th>token</th><th>original</th><th>replacement</th><th>score</th>"
        f"<th>reason</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


LEGEND = (
    '<div class="legend">'
    '<span><i style="background:hsl(0,75%,45%)"></i>confidence ≤ 50</span>'
    '<span><i style="background:hsl(60,75%,45%)"></i>75</span>'
    '<span><i style="background:hsl(120,75%,45%)"></i>100</span>'
    '<span class="split">de-hyphenated</span> <span class="keep">hyphen kept</span> '
    '<span class="drop">junk dropped</span> <span class="strip">mark stripped</span> '
    '<span class="fix">corrected</span> <span class="muted">(hover for the reason)</span>'
    "</div>"
)


def _articles(page: PageData) -> str:
    """The page's articles by headline, in their colours on the scan (a page of several)."""
    rp = page.repaired
    if rp is None or not rp.articles:
        return ""
    text = {p.id: p.text for p in rp.paragraphs}
    items = []
    for k, art in enumerate(rp.articles):
        colour = ARTICLE_COLOURS[k % len(ARTICLE_COLOURS)]
        head = art.headline_text(text) or "(no headline)"
        words = sum(len(text.get(i, "").split()) for i in art.paragraphs)
        items.append(
            f'<li><i style="background:{colour}"></i>{e(head)} '
            f'<span class="muted">({words} words)</span></li>'
        )
    if rp.furniture:
        items.append(
            f'<li><i style="background:{FURNITURE_COLOUR}"></i>page furniture '
            f'<span class="muted">({len(rp.furniture)} paragraphs)</span></li>'
        )
    listed = "".join(items)
    title = f"<h2>Articles ({len(rp.articles)})</h2>"
    return f'<section>{title}<ol class="articles">{listed}</ol></section>'


def render_page(page: PageData, image_href: str | None, index_href: str) -> str:
    """The page view's HTML; `image_href` is the scan relative to this file (None: text only)."""
    q = page.quality
    sub = (
        f"{e(page.source)} · {e(page.status)}"
        + (f" ({e(page.error)})" if page.error else "")
        + f' · estimated quality <span class="q" style="background:{quality_colour(q)}">'
        f"{_fmt(q, 2)}</span> · {page.words if page.words is not None else '–'} words"
    )
    header = (
        f'<header><a href="{e(index_href)}">← all pages</a><h1>{e(page.name)}</h1>'
        f'<div class="sub">{sub}</div></header>'
    )
    t2_title, t2 = _stage2(page)
    texts = (
        f'<div class="texts"><div class="col"><h2>{e(t2_title)}</h2><div class="body">{t2}'
        '</div></div><div class="col"><h2>3 · repair</h2><div class="body">'
        f'{_stage3(page)}</div></div><div class="col"><h2>4 · correct (final)</h2>'
        f'<div class="body">{_stage4(page)}</div></div></div>'
    )
    if image_href and page.ocr is not None:
        scan = (
            '<div class="scanpane"><div class="toggles">'
            '<input type="checkbox" id="show-words" checked><label for="show-words">'
            'word boxes (by confidence)</label><input type="checkbox" id="show-order" checked>'
            '<label for="show-order">reading order</label>'
            f'<div class="scan"><img src="{e(image_href)}" alt="preprocessed scan of '
            f'{e(page.name)}" width="{page.ocr.width}" height="{page.ocr.height}">'
            f"{_overlay(page)}</div></div></div>"
        )
        layout = f'<div class="layout">{scan}<div>{LEGEND}{texts}</div></div>'
    else:
        layout = f'<div class="layout noimage"><div>{LEGEND}{texts}</div></div>'
    body = (
        f"{header}<main>{layout}{_articles(page)}<section><h2>Stages</h2>{_figures(page)}</section>"
        f"{_evaluation(page)}{_corrections(page)}{_decisions(page)}</main>"
    )
    return document(f"{page.name} · ocr-pipeline report", body, HIGHLIGHT_JS)
