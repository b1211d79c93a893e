"""The report's CSS and JavaScript, inlined into each HTML file so it works from file:// with
no server, no CDN and nothing to keep beside it."""

from __future__ import annotations

from html import escape

CSS = """
:root { --fg:#1d232a; --muted:#5f6b76; --line:#d9dee3; --bg:#f6f7f9; --join:#1f6fd1;
  --keep:#7a4fd0; --drop:#c62828; --fix:#1b8a3a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; color: var(--fg); margin: 0;
  background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 10px 18px; }
header h1 { font-size: 19px; margin: 0 0 2px; }
header .sub { color: var(--muted); font-size: 12.5px; }
main { padding: 12px 18px; }
a { color: var(--join); }
table.data { border-collapse: collapse; background: #fff; font-size: 13px; }
table.data th, table.data td { border: 1px solid var(--line); padding: 3px 6px; }
table.data td.name { white-space: nowrap; }
table.data th { background: #eef1f4; text-align: left; white-space: nowrap; }
table.data td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort=ascending]::after { content: " \\25B2"; font-size: 10px; }
table.sortable th[aria-sort=descending]::after { content: " \\25BC"; font-size: 10px; }
tr.failed td { background: #fdecea; }
.q { display: inline-block; min-width: 44px; padding: 0 5px; border-radius: 3px; color: #fff;
  text-align: center; }
.legend { font-size: 12.5px; margin-bottom: 4px; }
.legend span { margin-right: 6px; white-space: nowrap; }
ol.articles i { display: inline-block; width: 12px; height: 12px; margin-right: 6px;
  vertical-align: -1px; border-radius: 2px; }
.legend i { display: inline-block; width: 12px; height: 12px; vertical-align: -1px;
  margin-right: 3px; border-radius: 2px; }
.layout { display: grid; grid-template-columns: minmax(280px, 42%) 1fr; gap: 14px;
  align-items: start; }
.layout.noimage { grid-template-columns: 1fr; }
.scanpane { position: sticky; top: 8px; }
.scan { position: relative; border: 1px solid var(--line); background: #fff; line-height: 0; }
.scan img { width: 100%; height: auto; display: block; }
.scan svg { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
.scan .wb { stroke: none; }
.scan .wb.hl { stroke: #000; stroke-width: 4; fill-opacity: .8; }
.scan .para { fill: none; stroke-width: 3; }
.scan .label rect { fill-opacity: .9; }
.scan .label text { fill: #fff; font-weight: bold; font-family: sans-serif; }
#show-words:not(:checked) ~ .scan .wb { display: none; }
#show-order:not(:checked) ~ .scan .order { display: none; }
.texts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px; }
.texts.two { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.col { background: #fff; border: 1px solid var(--line); min-width: 0; }
.col h2 { font-size: 13px; margin: 0; padding: 5px 8px; background: #eef1f4;
  border-bottom: 1px solid var(--line); }
.col .body { padding: 6px 8px; max-height: 80vh; overflow: auto; font: 12.5px/1.5 "DejaVu Serif",
  Georgia, serif; overflow-wrap: anywhere; }
.col .body p { margin: 0 0 .7em; }
.col .ln { padding-left: 1.2em; text-indent: -1.2em; font-size: 12px; }
.col .pid { color: var(--muted); font: 10px sans-serif; margin-right: 4px; }
.kind-headline { font-weight: bold; }
.kind-byline, .kind-caption { font-style: italic; }
.drop { color: var(--drop); text-decoration: line-through; background: #fdecea; }
.strip { background: #fff3e0; }
.split, .join { background: #e3efff; border-bottom: 2px solid var(--join); }
.keep { background: #efe8ff; border-bottom: 2px solid var(--keep); }
.fix { background: #e3f6e8; border-bottom: 2px solid var(--fix); }
[title] { cursor: help; }
span[data-src]:hover { outline: 1px solid #000; }
section { margin-top: 16px; }
section h2 { font-size: 15px; margin: 0 0 6px; }
.muted { color: var(--muted); }
.toggles label { margin-right: 14px; font-size: 12.5px; }
"""

SORT_JS = """
(function () {
  function key(td) {
    var v = td.getAttribute('data-v');
    if (v === null || v === '') return null;
    var n = parseFloat(v);
    return isNaN(n) ? v.toLowerCase() : n;
  }
  function sortBy(table, th, dir) {
    var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[idx]), y = key(b.cells[idx]);
      if (x === y) return 0;
      if (x === null) return 1;   // pages without a figure go last either way
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (dir === 'ascending' ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.children, function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', dir);
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th) {
      th.addEventListener('click', function () {
        var now = th.getAttribute('aria-sort');
        var first = th.getAttribute('data-first') || 'ascending';
        var dir = now ? (now === 'ascending' ? 'descending' : 'ascending') : first;
        sortBy(table, th, dir);
      });
    });
    var start = table.querySelector('th[data-default]');
    if (start) sortBy(table, start, start.getAttribute('data-default'));
  });
})();
"""

HIGHLIGHT_JS = """
(function () {
  function mark(el, on) {
    (el.getAttribute('data-src') || '').split(' ').forEach(function (id) {
      var box = id && document.getElementById('w-' + id);
      if (box) box.classList.toggle('hl', on);
    });
  }
  document.querySelectorAll('[data-src]').forEach(function (el) {
    el.addEventListener('mouseenter', function () { mark(el, true); });
    el.addEventListener('mouseleave', function () { mark(el, false); });
  });
})();
"""


def e(value: object) -> str:
    """Escape for text and for attribute values (quotes too): OCR text holds <, & and quotes."""
    return escape(str(value), quote=True)


def document(title: str, body: str, script: str = "") -> str:
    js = f"<script>{script}</script>" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{e(title)}</title>'
        f"<style>{CSS}</style></head><body>{body}{js}</body></html>\n"
    )


def conf_colour(conf: float | None) -> str:
    """Red at confidence 50 or below, through amber, to green at 100."""
    if conf is None or conf < 0:
        return "hsl(0,0%,55%)"
    hue = max(0.0, min(1.0, (conf - 50) / 50)) * 120
    return f"hsl({hue:.0f},75%,45%)"


def quality_colour(q: float | None) -> str:
    return conf_colour(None if q is None else 100 * q)
