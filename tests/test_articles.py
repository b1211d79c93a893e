"""Stage 3 articles: a rendered page of three stories read by the real Tesseract stages comes
out story by story, in order, with its running head as furniture; a one-story page is read
exactly as before; the separators survive stage 4, hand edits included."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench.articlegen import MultiPageSpec, write_page
from bench.pagegen import PageSpec, render_page, save_page
from bench.scans import DEFAULT_DATA
from pipeline import correct, lexicon, ocr, preprocess
from pipeline.articlescore import score_page, split_articles
from pipeline.fileio import read_json, write_json, write_text
from pipeline.metrics import drop_separators, page_scores
from pipeline.model import (
    ARTICLE_SEP,
    FURNITURE_SEP,
    Article,
    Line,
    OcrPage,
    Paragraph,
    RepairedPage,
    Token,
    Word,
    article_text,
    page_text,
    union,
)
from pipeline.options import Options
from pipeline.repair import articles, repair_page
from pipeline.repair.xycut import Segment

# A letter-width page of three stories and a running head; the small height keeps OCR quick.
MULTI = MultiPageSpec(seed=3, level="clean", articles=3, rules=False, width_in=6.5, height_in=8.5)
# One story over three columns with a photograph (test_layout's kind of page).
SINGLE = PageSpec(seed=5, columns=3, headline_lines=2, photo=True, width_in=6.5, height_in=7.0)


def _ocr(png: Path, d: Path) -> OcrPage:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    preprocess.run(png, 0, d / "1-preprocess", Options())
    ocr.run(d / "1-preprocess", d / "2-ocr", Options())
    return OcrPage.from_json(read_json(d / "2-ocr" / "ocr.json"))


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    """(folder, ocr page, repaired page, ground-truth text) of the three-story page."""
    d = tmp_path_factory.mktemp("articles")
    write_page(MULTI, d, "page")
    page = _ocr(d / "page.png", d)
    rp = repair_page(page, lexicon.load("eng"))
    return d, page, rp, (d / "page.gt.txt").read_text(encoding="utf-8")


def test_three_stories_found_whole_and_in_order(multi):
    _, _, rp, gt = multi
    gts, _ = split_articles(gt)
    outs, furniture = split_articles(rp.text)
    assert len(outs) == len(gts) == 3
    scores = score_page(gts, outs + furniture)
    assert all(a.grouped for a in scores.articles)
    assert [a.match for a in scores.articles] == [0, 1, 2]
    for article, text in zip(rp.articles, outs, strict=True):
        first = next(p for p in rp.paragraphs if p.id == article.paragraphs[0])
        assert article.headline == [first.id] and first.kind == "headline"
        assert text.startswith(first.text)
        assert article.box and article.why


def test_running_head_is_furniture_last(multi):
    _, _, rp, gt = multi
    head = gt.split(f"\n{FURNITURE_SEP}\n")[1].strip().split("\n\n")[0]
    _, furniture = split_articles(rp.text)
    assert furniture and set(furniture[0].split()) == set(head.split())
    assert rp.text.count(f"\n{FURNITURE_SEP}\n") == 1


def test_repair_json_records_the_articles(multi):
    _, _, rp, _ = multi
    saved = RepairedPage.from_json(json.loads(json.dumps(rp.to_json())))
    assert saved.articles == rp.articles and saved.furniture == rp.furniture
    assert saved.text == rp.text
    placed = [i for a in rp.articles for i in a.paragraphs] + rp.furniture
    assert sorted(placed) == sorted(p.id for p in rp.paragraphs)
    assert rp.stats["articles"] == 3


def test_separators_cost_no_score(multi):
    _, _, rp, gt = multi
    plain = "\n\n".join(p for p in gt.split("\n\n") if p.strip() not in (ARTICLE_SEP, "==="))
    assert drop_separators(rp.text).count(ARTICLE_SEP) == 0
    assert page_scores(rp.text, plain) == page_scores(drop_separators(rp.text), plain)


def _stage4(d: Path, rp: RepairedPage, text: str | None = None) -> str:
    rep, out = d / "3-repair", d / "4-correct"
    write_json(rep / "repair.json", rp.to_json())
    write_text(rep / "text.txt", rp.text if text is None else text)
    correct.run(rep, out, Options())
    return (out / "text.txt").read_text(encoding="utf-8")


def test_separators_survive_stage_4(multi):
    d, _, rp, _ = multi
    text = _stage4(d, rp)
    assert text.count(f"\n{ARTICLE_SEP}\n") == rp.text.count(f"\n{ARTICLE_SEP}\n") == 2
    assert text.count(f"\n{FURNITURE_SEP}\n") == 1
    corrections = (d / "4-correct" / "corrections.tsv").read_text(encoding="utf-8")
    assert ARTICLE_SEP not in corrections and FURNITURE_SEP not in corrections
    saved = read_json(d / "4-correct" / "correct.json")
    assert [a["id"] for a in saved["articles"]] == [a.id for a in rp.articles]


def test_separators_survive_a_hand_edit(multi):
    d, _, rp, _ = multi
    edited = rp.text.replace(ARTICLE_SEP, f"  {ARTICLE_SEP}", 1) + "\nA line added by hand.\n"
    text = _stage4(d, rp, edited)
    outs, furniture = split_articles(text)
    assert len(outs) == 3 and furniture
    assert text.count(f"\n{ARTICLE_SEP}\n") == 2


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    d = tmp_path_factory.mktemp("single")
    img, _, _ = render_page(SINGLE)
    save_page(img, d / "page.png")
    return _ocr(d / "page.png", d)


def test_single_story_page_unchanged(single, monkeypatch):
    lex = lexicon.load("eng")
    now = repair_page(single, lex)
    monkeypatch.setattr(articles, "group", lambda *a, **k: None)
    before = repair_page(single, lex)
    assert now.to_json() == before.to_json() and now.text == before.text
    assert not now.articles and "articles" not in now.to_json()
    assert ARTICLE_SEP not in now.text.split("\n")


def _par(pid: str, text: str) -> Paragraph:
    return Paragraph(pid, [Token(w) for w in text.split()])


def test_article_text_form():
    paras = [_par("p1", "HEAD ONE"), _par("p2", "Body one."), _par("p3", "HEAD TWO")]
    paras += [_par("p4", "Body two."), _par("p5", "PAGE 4")]
    assert article_text(paras, [], []) == page_text(paras)
    arts = [Article("a1", ["p1", "p2"], ["p1"]), Article("a2", ["p3", "p4"], ["p3"])]
    text = article_text(paras, arts, ["p5"])
    assert text == "HEAD ONE\n\nBody one.\n\n---\n\nHEAD TWO\n\nBody two.\n\n===\n\nPAGE 4\n"
    assert split_articles(text) == (["HEAD ONE\n\nBody one.", "HEAD TWO\n\nBody two."], ["PAGE 4"])
    kept, found, furniture = correct.sections_from_text(text)
    assert [a.paragraphs for a in found] == [["t1", "t2"], ["t4", "t5"]]
    assert furniture == ["t7"] and article_text(kept, found, furniture) == text


def _words_line(lid: str, words: list[tuple[str, tuple[int, int, int, int]]]) -> Line:
    ws = [Word(f"{lid}.{i}", t, b) for i, (t, b) in enumerate(words)]
    return Line(lid, ws, union([b for _, b in words]))


def test_headline_read_across_two_headlines_is_cut_by_letter_size():
    # a one-column headline beside a lead's, read by Tesseract as one line (clean-04's sizes)
    both = _words_line(
        "l4",
        [
            ("NOW", (108, 217, 263, 258)),
            ("WE", (281, 218, 380, 257)),
            ("ARE", (402, 218, 527, 257)),
            ("FELLOW-COUNTRYMEN", (593, 217, 1638, 330)),
            ("AT", (1671, 218, 1785, 274)),
            ("THIS", (1813, 217, 2029, 330)),
        ],
    )
    left, right = articles._split_sizes(both)
    assert (left.id, left.text, right.id) == ("l4", "NOW WE ARE", "l4r")
    # a degraded one-story headline: boxes inflated in height, letters no wider (news-heavy-02)
    one = _words_line(
        "l1",
        [
            ("OLD", (151, 119, 383, 195)),
            ("MARLEY", (447, 89, 826, 229)),
            ("WAS", (925, 89, 1112, 229)),
            ("DEAD", (1366, 100, 1717, 202)),
        ],
    )
    assert articles._split_sizes(one) == [one]


def test_close_set_headline_of_a_degraded_page_is_one_headline():
    # multi-heavy-06 of bench.articlegen: a two-line headline in capitals set close, its
    # noisy boxes overlapping (centres 25 px apart, body type 25 px); the pitch alone said
    # 0.91x the body, and a quote mark put the second line's letters just under the bar
    first = _words_line(
        "l207",
        [
            ("HE", (1481, 1115, 1527, 1154)),
            ("HAD", (1541, 1115, 1611, 1154)),
            ("SO", (1619, 1115, 1657, 1154)),
        ],
    )
    second = _words_line(
        "l208", [("‘HEATED", (1424, 1144, 1557, 1175)), ("HIMSELF", (1568, 1144, 1707, 1175))]
    )
    byline = _words_line(
        "l209",
        [
            ("By", (1494, 1181, 1526, 1221)),
            ("J.", (1534, 1181, 1552, 1216)),
            ("W.", (1560, 1181, 1590, 1216)),
            ("Harris", (1598, 1181, 1640, 1216)),
        ],
    )
    body = [
        _words_line(
            f"b{i}",
            [
                ("He", (1460, y, 1490, y + 21)),
                ("had", (1500, y, 1540, y + 21)),
                ("so", (1550, y, 1570, y + 21)),
                ("heated", (1580, y, 1660, y + 21)),
            ],
        )
        for i, y in enumerate(range(1246, 1246 + 30 * 12, 30))
    ]
    heads = articles._headlines([first, second, byline, *body], 25.0, 11.5)
    assert [[ln.text for ln in h.lines] for h in heads] == [["HE HAD SO", "‘HEATED HIMSELF"]]
    # the same second line under a headline in lower case is not taken for its continuation
    lower = _words_line(
        "l1", [("Seen", (1481, 1115, 1560, 1154)), ("Here", (1570, 1115, 1657, 1154))]
    )
    heads = articles._headlines([lower, second, *body], 25.0, 11.5)
    assert [[ln.text for ln in h.lines] for h in heads] == [["Seen Here"]]


def test_bold_subhead_boxed_wide_by_tesseract_is_no_headline():
    # multi-heavy-09 of bench.articlegen: a bold subhead in body-size capitals, one word boxed
    # twice as wide as its letters; the line's mean letter width read 2.15x the body's
    sub = _words_line(
        "l28",
        [
            ("THE", (1004, 439, 1058, 473)),
            ("WORK", (1067, 443, 1208, 463)),
            ("HAS", (1151, 439, 1200, 473)),
        ],
    )
    head = _words_line(
        "l144", [("TEN", (1335, 872, 1434, 905)), ("MINUTES", (1450, 863, 1678, 905))]
    )
    body = [
        _words_line(
            f"b{i}",
            [
                ("The", (1004, y, 1040, y + 21)),
                ("work", (1050, y, 1100, y + 21)),
                ("has", (1110, y, 1145, y + 21)),
                ("occupied", (1155, y, 1250, y + 21)),
            ],
        )
        for i, y in enumerate(range(500, 500 + 30 * 12, 30))
    ]
    heads = articles._headlines([sub, head, *body], 25.3, 11.4)
    assert [[ln.text for ln in h.lines] for h in heads] == [["TEN MINUTES"]]


def test_dateline_centred_under_a_two_column_headline_is_its_byline():
    # multi-heavy-03 of bench.articlegen: `BRISBANE, August 27.` centred under a headline over
    # two columns lies over the gutter; the columns' order read it at the top of column 2,
    # inside the word `opportu-` / `nity` that runs from column 1 into column 2
    head = _words_line(
        "h",
        [
            ("A", (150, 100, 200, 150)),
            ("PUBLIC", (220, 100, 420, 150)),
            ("MEETING", (440, 100, 700, 150)),
        ],
    )
    dateline = _words_line(
        "d",
        [
            ("BRISBANE,", (322, 170, 432, 190)),
            ("August", (438, 170, 503, 193)),
            ("27.", (509, 170, 536, 190)),
        ],
    )
    col1 = [
        _words_line(f"a{i}", [("classes", (100, 210 + 30 * i, 380, 232 + 30 * i))])
        for i in range(5)
    ]
    col1[-1].words[0].text = "opportu-"
    col2 = [
        _words_line(f"b{i}", [("nity", (440, 210 + 30 * i, 700, 232 + 30 * i))]) for i in range(5)
    ]
    g = articles.Group("a1", [head], body=[Segment(col1), Segment([dateline, *col2])])
    articles._take_byline(g, 25.0)
    assert [ln.text for ln in g.byline] == ["BRISBANE, August 27."]
    assert [ln.id for s in g.body for ln in s.lines] == [
        *(f"a{i}" for i in range(5)),
        *(f"b{i}" for i in range(5)),
    ]
    # a story's first line, flush with its column and full, is no byline
    g = articles.Group("a1", [head], body=[Segment(col1), Segment(col2)])
    articles._take_byline(g, 25.0)
    assert g.byline == []


def test_jump_line_and_advert_go_to_the_furniture():
    def body(lid: str, text: str, x0: int, x1: int, y: int) -> Line:
        return _words_line(lid, [(text, (x0, y, x1, y + 30))])

    head = [body("h", "SMITH & SONS", 100, 500, 0)]
    advert = articles.Group("a", head, body=[Segment([body("b1", "Fine Teas", 200, 400, 60)])])
    advert.body[0].lines.append(body("b2", "12 Market Square.", 150, 450, 100))
    assert articles._advert(advert, 30.0)
    story = articles.Group(
        "s", head, body=[Segment([body("c1", "Continued on Page 4", 0, 300, 60)])]
    )
    assert [ln.id for ln in articles._take_jump(story)] == ["c1"] and not story.body
    assert articles.JUMP.match("See HARBOUR, 4A") and not articles.JUMP.match("See the harbour.")


def test_inspect_lists_the_articles_by_headline(multi, tmp_path):
    from pipeline.inspect_page import summarise

    _, _, rp, _ = multi
    page_dir = tmp_path / "page"
    write_json(page_dir / "3-repair" / "repair.json", rp.to_json())
    write_json(page_dir / "manifest.json", {"name": "page", "source": "page.png", "stages": {}})
    shown = summarise(page_dir).splitlines()
    at = shown.index("articles: 3 + page furniture")
    heads = [p.text for p in rp.paragraphs if p.kind == "headline"][:3]
    for line, head in zip(shown[at + 1 : at + 4], heads, strict=True):
        assert line.lstrip().startswith(("1.", "2.", "3.")) and head[:40] in line
    one = RepairedPage(rp.source, rp.paragraphs, rp.decisions, rp.stats)  # read as one story
    write_json(page_dir / "3-repair" / "repair.json", one.to_json())
    assert not [x for x in summarise(page_dir).splitlines() if x.startswith("articles")]


def test_articles_export_writes_one_file_an_article(multi, tmp_path):
    from pipeline.export import export, parse_formats

    _, _, rp, _ = multi
    page_dir = tmp_path / "page"
    write_json(page_dir / "3-repair" / "repair.json", rp.to_json())
    write_json(
        page_dir / "4-correct" / "correct.json",
        {"paragraphs": [p.to_json() for p in rp.paragraphs]},
    )
    write_text(page_dir / "4-correct" / "text.txt", rp.text)
    written = export(page_dir, parse_formats("articles")).written
    folder = page_dir / "articles"
    files = sorted(p.name for p in folder.glob("*.txt"))
    assert len(files) == 3 and set(written) == {folder / f for f in files} | {
        folder / "articles.json"
    }
    heads = {p.id: p.text for p in rp.paragraphs}
    index = read_json(folder / "articles.json")
    for k, (name, art) in enumerate(zip(files, rp.articles, strict=True), 1):
        body = (folder / name).read_text(encoding="utf-8")
        assert name.startswith(f"{k:02d}-") and body.split("\n")[0] == heads[art.headline[0]]
        assert index["articles"][k - 1]["file"] == name and index["articles"][k - 1]["box"]
    assert index["furniture"] and not any(f in body for f in index["furniture"])
    # the final text edited into one story: one file, the stale ones gone
    write_text(page_dir / "4-correct" / "text.txt", page_text(rp.paragraphs))
    export(page_dir, {"articles"})
    assert len(list(folder.glob("*.txt"))) == 1
    assert read_json(folder / "articles.json")["articles"][0]["box"] is None


def test_eval_reports_the_articles_found_and_ignores_the_separators(multi, tmp_path):
    from pipeline.evaluate import PageTexts, format_table, summarise

    _, _, rp, gt = multi
    report = summarise([PageTexts("page", {"stage4": rp.text}, gt)], tmp_path)
    found = report["articles"]["page"]
    assert (found["articles"], found["found"], found["output_articles"]) == (3, 3, 3)
    assert min(found["purity"]) >= 0.98 and min(found["completeness"]) >= 0.98
    plain = drop_separators(gt)
    assert (
        report["pages"]["page"]["stage4"]
        == summarise([PageTexts("page", {"stage4": drop_separators(rp.text)}, plain)], tmp_path)[
            "pages"
        ]["page"]["stage4"]
    )
    assert "articles page: 3/3 found whole" in format_table(report)
    # the page read as one story: the articles run together, each GT article only a part
    one = summarise([PageTexts("page", {"stage4": page_text(rp.paragraphs)}, gt)], tmp_path)
    assert one["articles"]["page"]["found"] == 0 and one["articles"]["page"]["output_articles"] == 1


def test_report_colours_each_article_and_lists_them(multi):
    from pipeline.report.page_html import ARTICLE_COLOURS, FURNITURE_COLOUR, paragraph_colours

    _, _, rp, _ = multi
    colours = paragraph_colours(rp)
    for k, art in enumerate(rp.articles):
        assert {colours[pid] for pid in art.paragraphs} == {
            (ARTICLE_COLOURS[k], f"article {k + 1}")
        }
    assert {colours[pid][0] for pid in rp.furniture} == {FURNITURE_COLOUR}
    one = RepairedPage(rp.source, rp.paragraphs, rp.decisions, rp.stats)  # one story: by kind
    assert {c for c, _ in paragraph_colours(one).values()} <= {
        "#c2185b", "#6a1b9a", "#1565c0", "#ef6c00", "#2e7d32", "#455a64"
    }  # fmt: skip


def test_alto_chains_each_article_and_stays_valid(multi, alto_schema):
    from lxml import etree

    from pipeline.export import export

    d, _, rp, _ = multi
    _stage4(d, rp)
    (path,) = export(d, {"alto"}).written
    doc = etree.parse(str(path))
    alto_schema.assertValid(doc)
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    tags = {
        t.get("ID"): t.get("LABEL") for t in doc.findall(".//a:StructureTag[@TYPE='article']", ns)
    }
    assert len(tags) == 3
    blocks = {b.get("ID"): b for b in doc.findall(".//a:TextBlock", ns)}
    for k, art in enumerate(rp.articles, 1):
        mine = [b for b in blocks.values() if f"ART{k}" in b.get("TAGREFS").split()]
        starts = set(b.get("ID") for b in mine) - {b.get("IDNEXT") for b in mine}
        assert len(starts) == 1  # one chain, from the headline's block
        chain, at = [], starts.pop()
        while at:
            chain.append(at)
            at = blocks[at].get("IDNEXT")
        assert sorted(chain) == sorted(b.get("ID") for b in mine)
        head = next(p.text for p in rp.paragraphs if p.id == art.headline[0])
        assert tags[f"ART{k}"] == head


def test_dateline_under_a_headline_with_a_speck_glued_to_a_letter_is_its_own():
    # multi-heavy-04 of bench.articlegen: a speck under `HE` makes that word's box reach into
    # the dateline `SYDNEY, October 16.` under the headline; the headline's line box then ends
    # below the dateline's middle, and the dateline became an article of its own
    head = _words_line(
        "h",
        [
            ("OH", (566, 1180, 674, 1228)),
            ("BUT", (699, 1180, 848, 1228)),
            ("HE", (872, 1180, 981, 1271)),
        ],
    )
    dateline = _words_line(
        "d",
        [
            ("SYDNEY,", (667, 1255, 753, 1274)),
            ("October", (760, 1254, 836, 1272)),
            ("16.", (845, 1255, 870, 1272)),
        ],
    )
    heads = [articles._Head([head], head.box, span=(500.0, 1070.0))]
    assert articles._owner(dateline.box, heads) == 0
    col = [
        _words_line(f"a{i}", [("Oh!", (500, 1285 + 31 * i, 750, 1310 + 31 * i))]) for i in range(5)
    ]
    g = articles.Group("a1", [head], body=[Segment([dateline, *col])])
    articles._take_byline(g, 25.0)
    assert [ln.text for ln in g.byline] == ["SYDNEY, October 16."]


@pytest.mark.skipif(not DEFAULT_DATA.is_dir(), reason="real scans not found")
def test_a_masthead_logo_heads_no_article(tmp_path):
    """Development page multicol_01 at three quarters of its pixels (bench.stress `threeq`):
    its `Morgan Stanley` logo, large type alone in the page's top row, was taken for an
    article's headline that owned the sidebar of analysts' names, and the sidebar was read
    before the note itself (CER 50 % against plain Tesseract's 7.5 %). The top row is the
    page's masthead, furniture: the note reads as one story, in Tesseract's order."""
    import cv2

    from bench.stress import vary

    grey = cv2.imread(str(DEFAULT_DATA / "multicol-documents" / "multicol_01.png"), 0)
    png = tmp_path / "page.png"
    cv2.imwrite(str(png), vary(grey, "threeq"))
    rp = repair_page(_ocr(png, tmp_path), lexicon.load("eng"))
    assert not rp.articles and rp.text.count(ARTICLE_SEP) == 0
    assert rp.text.index("Elections mark start") < rp.text.index("Risinger")
