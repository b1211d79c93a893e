"""The HTML report on a real run (a rendered page, a raw OCR text), then in headless Chromium."""

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from bench.pagegen import PageSpec, render_page, save_page
from pipeline.cli import cli
from pipeline.commands.report import report_command
from pipeline.lexicon import load
from pipeline.report import write_report
from pipeline.report.quality import junk_share, known_share, quality_score

RAW_OCR = """THE HARBOUR WORKS.

The Government has at last deter- mined to proceed with the
new wharf at the foot of Market-street, and the work will be
carried on with all possible despatch by tbe contractors. The cost is esti-

mated at 14,000 pounds <& "more"> than last year.
§gsmmm
:S3s'=!«S
It is understood that the contractors will em-
ploy a large number of men during the winter.
"""


class Table(HTMLParser):
    """The sortable table's header keys and each row's data-v values, keyed by page name."""

    def __init__(self):
        super().__init__()
        self.keys: list[str] = []
        self.default: tuple[str, str] | None = None
        self.sorted_by: tuple[str, str] | None = None
        self.rows: dict[str, dict[str, str]] = {}
        self.order: list[str] = []
        self._row: str | None = None
        self._cells: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "th" and "data-key" in a:
            self.keys.append(a["data-key"])
            if "data-default" in a:
                self.default = (a["data-key"], a["data-default"])
            if "aria-sort" in a:
                self.sorted_by = (a["data-key"], a["aria-sort"])
        elif tag == "tr" and "data-page" in a:
            self._row, self._cells = a["data-page"], []
        elif tag == "td" and self._row is not None:
            self._cells.append(a.get("data-v", ""))

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self.rows[self._row] = dict(zip(self.keys, self._cells, strict=False))
            self.order.append(self._row)
            self._row = None


def table(html: str) -> Table:
    t = Table()
    t.feed(html)
    return t


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    tmp = tmp_path_factory.mktemp("report")
    img, _, _ = render_page(PageSpec(seed=11, columns=2, width_in=4.5, height_in=4.0))
    save_page(img, tmp / "small-news.png")
    (tmp / "harbour.txt").write_text(RAW_OCR, encoding="utf-8")
    (tmp / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    out = tmp / "out"
    inputs = [str(tmp / n) for n in ("small-news.png", "harbour.txt", "broken.png")]
    result = CliRunner().invoke(cli, ["run", *inputs, "-o", str(out), "-q", "-j", "2"])
    assert result.exit_code == 1, result.output  # the broken page fails alone
    result = CliRunner().invoke(report_command, [str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / "report" / "index.html")
    return out


def manifest(output: Path, name: str) -> dict:
    return json.loads((output / name / "manifest.json").read_text(encoding="utf-8"))


def final_words(output: Path, name: str) -> int:
    return len((output / name / "4-correct" / "text.txt").read_text(encoding="utf-8").split())


def test_index_lists_every_page_with_its_figures(output):
    t = table((output / "report" / "index.html").read_text(encoding="utf-8"))
    assert set(t.rows) == {"small-news", "harbour", "broken"}
    img, txt = t.rows["small-news"], t.rows["harbour"]
    stages = manifest(output, "small-news")["stages"]
    assert float(img["conf"]) == stages["ocr"]["stats"]["mean_conf"]
    assert float(img["s-ocr"]) == stages["ocr"]["seconds"]
    assert int(img["words"]) == final_words(output, "small-news")
    assert int(txt["words"]) == final_words(output, "harbour")
    assert (
        int(txt["corrections"])
        == manifest(output, "harbour")["stages"]["correct"]["stats"]["corrections"]
    )
    assert txt["conf"] == "" and txt["s-ocr"] == ""  # a .txt page has no OCR stage
    for row in (img, txt):
        assert 0 < float(row["quality"]) <= 1
    # sorting data: the script sorts by estimated quality, lowest first, when the page loads
    assert t.default == ("quality", "ascending")
    broken = t.rows["broken"]
    assert broken["status"] == "failed" and broken["words"] == ""
    assert float(broken["quality"]) < 0  # a failed page sorts before every scored page
    assert not any(k.startswith("cer-") for k in t.keys)


def test_page_views_draw_boxes_and_mark_changes(output):
    pages = output / "report" / "pages"
    html = (pages / "small-news.html").read_text(encoding="utf-8")
    src = re.search(r'<img src="([^"]+)"', html).group(1)
    assert src == "../../small-news/1-preprocess/image.png"
    assert (pages / src).resolve().is_file()  # relative: survives moving the output folder
    ocr = json.loads((output / "small-news" / "2-ocr" / "ocr.json").read_text(encoding="utf-8"))
    boxed = [w for b in ocr["blocks"] for ln in b["lines"] for w in ln["words"] if w["box"]]
    assert html.count('class="wb"') == len(boxed) > 50
    repair = json.loads((output / "small-news" / "3-repair" / "repair.json").read_text("utf-8"))
    assert html.count('class="para"') >= len(repair["paragraphs"]) > 1
    joined = sum(d["action"] == "join" for d in repair["decisions"])
    assert len(re.findall(r'<span class="join"[^>]* title="', html)) == joined

    text = (pages / "harbour.html").read_text(encoding="utf-8")
    assert "<img" not in text
    stats = manifest(output, "harbour")["stages"]
    assert text.count('class="ln drop"') == stats["repair"]["stats"]["junk_dropped"] >= 2
    fixes = re.findall(r'<span class="fix"[^>]* title="([^"]*)"', text)  # the legend has none
    assert len(fixes) == stats["correct"]["stats"]["corrections"] >= 1
    assert "tbe → the" in text  # the original and the reason on hover
    # OCR text is escaped: the one <script> element is the report's own
    assert "&lt;&amp;" in text and "&quot;more&quot;&gt;" in text
    assert text.count("<script") == 1


def test_eval_json_adds_cer_wer_columns_and_sorts_by_final_cer(output):
    evals = {
        "pages": {
            "small-news": {
                "stage2": {"cer": 0.031, "wer": 0.12},
                "stage3": {"cer": 0.02, "wer": 0.08},
                "stage4": {"cer": 0.015, "wer": 0.05},
            },
            "harbour": {"stage4": {"cer": 0.04}},  # missing keys are shown as blanks
        },
        "median": {"stage4": {"cer": 0.0275, "wer": 0.05}},
    }
    (output / "eval.json").write_text(json.dumps(evals), encoding="utf-8")
    try:
        index = write_report(output)
    finally:
        (output / "eval.json").unlink()
    html = index.read_text(encoding="utf-8")
    t = table(html)
    assert t.default == ("cer-stage4", "descending")
    assert float(t.rows["small-news"]["cer-stage2"]) == 0.031
    assert float(t.rows["harbour"]["cer-stage4"]) == 0.04
    assert t.rows["harbour"]["wer-stage4"] == "" and t.rows["harbour"]["cer-stage2"] == ""
    assert "2.75%" in html  # the median row
    page = (output / "report" / "pages" / "small-news.html").read_text(encoding="utf-8")
    assert "Against ground truth" in page and "3.10%" in page
    write_report(output)  # back to the report without ground truth for the browser test


def test_quality_score():
    assert quality_score(100, 1.0, 0.0) == 1.0
    assert quality_score(None, None, None) is None
    assert quality_score(None, 1.0, 0.0) == 1.0  # weights rescale over the signals present
    assert quality_score(90, 0.98, 0.0) > quality_score(70, 0.98, 0.0)
    assert quality_score(90, 0.98, 0.0) > quality_score(90, 0.85, 0.0)
    assert quality_score(90, 0.98, 0.0) > quality_score(90, 0.98, 0.2)
    assert 0.0 <= quality_score(10, 0.1, 1.0) <= quality_score(40, 0.7, 0.6)
    lex = load("eng")
    assert known_share(["The", "harbour,", "xqzvt", "14,000", "self-esteem"], lex) == 0.75
    assert known_share(["1862", "--"], lex) is None
    assert junk_share({"lines_in": 20, "junk_dropped": 5}) == 0.25
    assert junk_share({}) is None


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _headless(url: str, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    args = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
        "--window-size=1400,1000",
        *extra,
        url,
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=90, check=True)


@pytest.mark.skipif(_chromium() is None, reason="chromium not found (apt-get install chromium)")
def test_report_renders_in_headless_chromium(output, tmp_path):
    index = output / "report" / "index.html"
    dom = _headless(index.as_uri(), tmp_path, "--dump-dom").stdout
    t = table(dom)
    assert t.sorted_by == ("quality", "ascending")  # set by the script, not in the file
    q = [float(t.rows[name]["quality"]) for name in t.order]
    assert q == sorted(q) and len(q) == 3 and t.order[0] == "broken"

    page = (output / "report" / "pages" / "small-news.html").as_uri()
    dom = _headless(page, tmp_path, "--dump-dom").stdout
    assert dom.count('class="wb"') > 50 and "<svg" in dom

    shot = tmp_path / "shot.png"
    _headless(page, tmp_path, f"--screenshot={shot}")
    with Image.open(shot) as im:
        assert im.size == (1400, 1000)
        px = np.asarray(im.convert("RGB")).astype(int)
    assert px.std() > 20  # not blank
    # the image loaded from its relative path and the shaded boxes are drawn over it:
    # saturated (coloured) pixels in the left half, where the scan is
    left = px[:, :600]
    saturation = left.max(axis=2) - left.min(axis=2)
    assert (saturation > 60).sum() > 2000
    dark = (left.max(axis=2) < 60).sum()  # black ink of the 1-bit scan
    assert dark > 2000
