"""Multi-article pages: the ground truth is what was drawn, layouts vary, scoring is right."""

from __future__ import annotations

import os
from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from bench.articlegen import (
    LEVELS,
    MultiPageSpec,
    map_box,
    plain_text,
    plan_page,
    render_multi,
    spec_for,
)
from bench.pagegen import corpus_words
from pipeline.articlescore import score_page, split_articles
from pipeline.metrics import words_of
from tests.helpers import png_bytes

SMALL = {"width_in": 6.5, "height_in": 8.5}


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(x: float, y: float, box: list[int]) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


@pytest.fixture(scope="module")
def clean_page():
    """Four stories with a sidebar, a photo story, an advert and column rules (seed 7)."""
    spec = MultiPageSpec(seed=7, **SMALL)
    return render_multi(spec)


def test_tesseract_reads_each_article_where_its_box_says(clean_page):
    pytesseract = pytest.importorskip("pytesseract")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    img, gt, info = clean_page
    roles = {a["role"] for a in info["articles"]}
    assert {"sidebar", "photo_story"} <= roles and info["rules"]
    data = pytesseract.image_to_data(img, output_type=pytesseract.Output.DICT)
    furniture = [f["box"] for f in info["furniture"]]
    texts = split_articles(gt)[0]
    assert len(texts) == len(info["articles"])
    for art, text in zip(info["articles"], texts, strict=True):
        lines: dict[tuple[int, int, int], list[str]] = {}
        for k, word in enumerate(data["text"]):
            x = data["left"][k] + data["width"][k] / 2
            y = data["top"][k] + data["height"][k] / 2
            if word.strip() and _inside(x, y, art["box"]):
                if not any(_inside(x, y, f) for f in furniture):
                    key = (data["block_num"][k], data["par_num"][k], data["line_num"][k])
                    lines.setdefault(key, []).append(word)
        read = "\n".join(" ".join(ws) for ws in lines.values())  # "under-\nstand" joins
        want, got = Counter(words_of(text)), Counter(words_of(read))
        common = sum((want & got).values())
        assert common / sum(want.values()) > 0.93, (art["id"], art["headline"])  # recall
        assert common / sum(got.values()) > 0.93, (art["id"], art["headline"])  # precision


def test_boxes_do_not_overlap_and_lie_on_the_page(clean_page):
    img, _, info = clean_page
    boxes = [a["box"] for a in info["articles"]]
    boxes += [f["box"] for f in info["furniture"] if f["kind"] != "jump"]
    for a, b in combinations(boxes, 2):
        assert not _overlap(a, b), (a, b)
    for x0, y0, x1, y1 in boxes:
        assert 0 <= x0 < x1 <= img.width and 0 <= y0 < y1 <= img.height
    for f in info["furniture"]:  # a jump line sits inside its own article's box
        if f["kind"] == "jump":
            art = next(a for a in info["articles"] if a["id"] == f["article"])
            assert all(_inside(x, y, art["box"]) for x, y in (f["box"][:2], f["box"][2:]))


def test_ground_truth_is_well_formed(clean_page):
    _, gt, info = clean_page
    texts, furniture = split_articles(gt)
    vocab = corpus_words()
    seen: set[str] = set()
    for art, text in zip(info["articles"], texts, strict=True):
        paras = text.split("\n\n")
        assert paras[0] == art["headline"] and paras[0].isupper()
        assert paras[1 : 1 + bool(art["byline"])] == ([art["byline"]] if art["byline"] else [])
        assert paras[1 + bool(art["byline"]) :] == art["body"]
        for p in art["body"]:
            assert p not in seen, "two articles share a paragraph"
            seen.add(p)
            if p.isupper() or "\u2014" in p or p.startswith("Photograph by"):
                continue  # subhead, dateline, credit
            unknown = [w for w in p.split() if w not in vocab]
            assert not unknown, f"split fragments in ground truth: {unknown}"
    assert furniture == [f["text"] for f in info["furniture"]]
    assert info["furniture"][0]["kind"] == "running_head"
    plain = plain_text(gt)
    assert "---" not in plain and "===" not in plain
    assert words_of(plain) == words_of(gt.replace("---", "").replace("===", ""))


def test_photo_story_text_runs_on_below_a_photo_without_caption(clean_page):
    img, _, info = clean_page
    art = next(a for a in info["articles"] if a["role"] == "photo_story")
    assert art["caption"] is None and art["photo"]
    x0, _, x1, y1 = art["photo"]["box"]
    below = np.asarray(img.convert("L"))[y1 + 5 : art["box"][3], x0:x1]
    assert (below < 128).mean() > 0.03  # text, not white paper, under the photo
    lead = next(a for a in info["articles"] if a["role"] == "lead")
    if lead["photo"]:
        assert lead["caption"] and lead["caption"] in lead["body"]


def test_layouts_vary_across_seeds():
    plans = [plan_page(MultiPageSpec(seed=s)) for s in range(60)]
    assert {p.articles for p in plans} == set(range(2, 9))
    assert {p.rules for p in plans} == {True, False}
    roles = [{s.role for s in p.slots} for p in plans]
    for role in ("photo_story", "sidebar", "advert"):
        assert any(role in r for r in roles) and not all(role in r for r in roles), role
    assert len({len(p.col_x) for p in plans}) == 2  # 4- and 5-column grids
    specs = [spec_for(lv, k) for lv in LEVELS for k in range(12)]  # the CLI's 36 pages
    for lv in LEVELS:
        mine = [s for s in specs if s.level == lv]
        assert {s.articles for s in mine} == set(range(2, 9))
        assert {s.rules for s in mine} == {True, False}
    assert len({s.seed for s in specs}) == 36


@pytest.mark.parametrize("seed", range(3))
def test_every_story_gets_text_even_eight_on_a_page(seed):
    """On a letter-size page; small test pages with 7-8 stories give some only a line or two."""
    _, gt, info = render_multi(MultiPageSpec(seed=seed, articles=8))
    assert len(info["articles"]) == 8 and len(split_articles(gt)[0]) == 8
    for art in info["articles"]:
        words = sum(len(p.split()) for p in art["body"])
        assert len(art["headline"].split()) >= 2 and words >= 15, art


def test_rules_drawn_only_when_asked():
    _, _, with_rules = render_multi(MultiPageSpec(seed=3, rules=True, articles=4, **SMALL))
    _, _, without = render_multi(MultiPageSpec(seed=3, rules=False, articles=4, **SMALL))
    assert with_rules["rules"] and not without["rules"]


def test_same_seed_same_page_other_seed_other_page():
    spec = MultiPageSpec(seed=11, level="heavy", articles=3, **SMALL)
    a, gt_a, info_a = render_multi(spec)
    b, gt_b, info_b = render_multi(spec)
    assert png_bytes(a) == png_bytes(b) and gt_a == gt_b and info_a == info_b
    c, gt_c, _ = render_multi(MultiPageSpec(seed=12, level="heavy", articles=3, **SMALL))
    assert gt_c != gt_a and png_bytes(c) != png_bytes(a)
    # boxes follow the page through the heavy degradation's scale and rotation
    d = info_a["degrade"]
    assert d["scale"] < 1 and info_a["articles"][0]["box"] != info_a["articles"][0]["render_box"]
    w, h = info_a["render_size_px"]
    whole = map_box([0, 0, w, h], d, (w, h))
    art = info_a["articles"][0]
    xs, ys = [x for x, _ in art["quad"]], [y for _, y in art["quad"]]
    assert art["box"][0] <= min(xs) and max(xs) <= art["box"][2]
    assert art["box"][1] <= min(ys) and max(ys) <= art["box"][3]
    assert len({round(x) for x in xs}) == 4  # rotated: no two corners share an x
    assert abs(whole[2] - info_a["size_px"][0]) <= 2 and abs(whole[3] - info_a["size_px"][1]) <= 2


# ---------------------------------------------------------------- scoring

A = "FIRE IN KING STREET\n\nA serious fire broke out shortly after midnight on Tuesday."
B = "THE NEW BRIDGE\n\nThe new bridge over the river was formally opened on Saturday."
C = "POLICE COURT\n\nA middle-aged man named John Creswell was charged with fraud."


def test_score_perfect_page():
    page = score_page([A, B, C], [C, A.lower(), B.replace(".", "")])
    assert page.found == page.total == 3
    assert [a.match for a in page.articles] == [1, 2, 0]
    assert all(a.purity == 1 and a.completeness == 1 for a in page.articles)
    assert page.articles[0].cer > 0  # case differs: words agree, characters do not


def test_score_merged_articles_lose_purity():
    page = score_page([A, B, C], [A + "\n\n" + B, C])
    a, b, c = page.articles
    assert a.match == b.match == 0 and a.completeness == b.completeness == 1
    assert a.purity < 0.6 and b.purity < 0.6 and not a.found and not b.found
    assert c.found and page.found == 1


def test_score_split_article_loses_completeness():
    head, body = A.split("\n\n")
    page = score_page(
        [A, B], [head + " " + " ".join(body.split()[:4]), " ".join(body.split()[4:]), B]
    )
    a = page.articles[0]
    assert a.purity == 1 and 0.4 < a.completeness < 0.7 and not a.found
    assert page.articles[1].found


def test_score_missing_article():
    page = score_page([A, B], [B])  # A's best match shares only "the" with it
    assert not page.articles[0].found and page.articles[0].completeness < 0.1
    assert not page.articles[0].grouped
    assert (page.found, page.total, page.found_share) == (1, 2, 0.5)
    page = score_page([A, B], ["Wholly unrelated words here"])
    assert page.articles[0].match is None and page.articles[0].cer == 1.0
    assert page.articles[0].purity == page.articles[0].completeness == 0.0


def test_small_loss_still_counts_as_found():
    words = (A + " " + B).split()
    long_a = " ".join(words * 3)
    out = long_a.replace("serious", "serlous", 1)  # one misread word in 100
    page = score_page([long_a], [out])
    assert page.articles[0].found and 0 < page.articles[0].cer < 0.01


def test_grouping_scores_leave_out_misread_and_lost_words():
    garbled = A.replace("serious", "scrious").replace("midnight", "rnidnight")
    page = score_page([A, B], [garbled.replace("Tuesday", ""), B])
    a = page.articles[0]
    assert a.purity < 0.98 and a.completeness < 0.98 and not a.found  # OCR errors only
    assert a.grouping_purity == 1 and a.grouping_completeness == 1 and a.grouped
    merged = score_page([A, B], [garbled + "\n\n" + B])  # a real grouping error still shows
    assert not merged.articles[0].grouped and merged.articles[0].grouping_purity < 0.6
    assert merged.grouped == 0 and page.grouped == 2


def test_split_articles_reads_markers():
    text = f"{A}\n\n---\n\n{B}\n\n===\n\nPAGE 4 THE HERALD\n\nSee FIRE, 4A\n"
    arts, furniture = split_articles(text)
    assert arts == [A, B] and furniture == ["PAGE 4 THE HERALD", "See FIRE, 4A"]
    assert split_articles(A) == ([A], [])
    assert plain_text(text) == f"{A}\n\n{B}\n\nPAGE 4 THE HERALD\n\nSee FIRE, 4A\n"
