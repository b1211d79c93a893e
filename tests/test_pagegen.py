"""The page generator: deterministic, exact ground truth, honest layout, real degradation."""

from __future__ import annotations

import math
import os
import re

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.degrade import degrade
from bench.pagegen import (
    BULLET,
    FONT_DIR,
    SERIF,
    PageSpec,
    corpus_words,
    lines_text,
    load_corpus,
    render_page,
    set_lines,
)
from tests.helpers import png_bytes

SMALL = {"width_in": 5.0, "height_in": 5.5}


def _paragraphs(gt: str) -> list[str]:
    return [p for p in gt.strip("\n").split("\n\n")]


def test_same_seed_same_bytes_different_seed_different():
    spec = PageSpec(seed=3, columns=3, photo=True, rules=True, bullets=True, level="heavy", **SMALL)
    a, gt_a, info_a = render_page(spec)
    b, gt_b, info_b = render_page(spec)
    assert png_bytes(a) == png_bytes(b) and gt_a == gt_b and info_a == info_b
    c, gt_c, _ = render_page(PageSpec(seed=4, columns=3, photo=True, level="heavy", **SMALL))
    assert png_bytes(c) != png_bytes(a) and gt_c != gt_a


def test_line_setting_round_trips_every_corpus_paragraph():
    """Breaking into narrow lines and undoing the breaks gives the paragraph back exactly."""
    font = ImageFont.truetype(str(FONT_DIR / SERIF), 40)
    kinds: set[str] = set()
    for _, paras in load_corpus():
        for para in paras:
            lines = set_lines(para, 420, font, indent=48)
            kinds |= {line.end for line in lines}
            assert lines_text(lines) == para
            assert all(line.pieces for line in lines)
    assert {"soft", "hard", "space", "end"} <= kinds  # both kinds of break were exercised


@pytest.mark.parametrize(
    "spec",
    [
        PageSpec(seed=7, columns=3, headline_lines=2, photo=True, bullets=True, **SMALL),
        PageSpec(seed=8, columns=4, rules=True, width_in=6.0, height_in=6.0),
        PageSpec(seed=9, layout="book", columns=1, bullets=True, **SMALL),
    ],
)
def test_ground_truth_has_whole_words_only(spec):
    img, gt, info = render_page(spec)
    paras = _paragraphs(gt)
    assert len(paras) == info["paragraphs"]
    if spec.layout == "book":
        body = paras[1:]
    else:
        body = paras[2:-2] if spec.photo else paras[2:]
    assert info["soft_hyphens"] > 0, "the page should contain hyphenated line ends"
    vocab = corpus_words()
    for para in body:
        text = para[len(BULLET) + 1 :] if para.startswith(BULLET + " ") else para
        assert BULLET not in text
        missing = [w for w in text.split() if w not in vocab]
        assert not missing, f"split fragments or unknown words in ground truth: {missing}"
    if spec.bullets:
        assert any(p.startswith(BULLET + " ") for p in body)


def test_headline_comes_first_and_is_on_top():
    img, gt, info = render_page(PageSpec(seed=12, columns=3, headline_lines=2, **SMALL))
    paras = _paragraphs(gt)
    headline = paras[0]
    assert headline.isupper() and "\n" not in headline and len(headline.split()) >= 2
    assert info["headline_box"][3] <= info["byline_box"][1] < info["column_boxes"][0][1]
    words = {re.sub(r"^\W+|\W+$", "", w).upper() for w in corpus_words()}
    assert all(w in words for w in headline.split())
    # the headline really is the ink at the top of the page
    arr = np.asarray(img)
    y0, y1 = info["headline_box"][1], info["headline_box"][3]
    assert (arr[y0:y1] < 128).mean() > 0.05


def _ink_runs(img: Image.Image, box: list[int], min_gap: int) -> int:
    """Number of inked x-ranges in box separated by blank gaps at least min_gap wide."""
    x0, y0, x1, y1 = box
    ink = (np.asarray(img)[y0:y1, x0:x1] < 128).any(axis=0)
    runs, gap = 0, min_gap
    for col in ink:
        if col:
            if gap >= min_gap:
                runs += 1
            gap = 0
        else:
            gap += 1
    return runs


@pytest.mark.parametrize("columns", [3, 4, 5])
def test_columns_are_separated_by_white_gutters(columns):
    spec = PageSpec(seed=20 + columns, columns=columns, dpi=150, width_in=7.0, height_in=6.0)
    img, _, info = render_page(spec)
    boxes = info["column_boxes"]
    assert len(boxes) == columns
    body = [boxes[0][0], boxes[0][1], boxes[-1][2], boxes[0][3]]
    gutter = boxes[1][0] - boxes[0][2]
    assert _ink_runs(img, body, min_gap=gutter // 2) == columns


def test_rules_are_drawn_in_the_gutters():
    spec = PageSpec(seed=30, columns=3, rules=True, dpi=150, width_in=6.0, height_in=6.0)
    img, _, info = render_page(spec)
    arr = np.asarray(img)
    assert len(info["rules"]) == 2
    for x0, y0, x1, y1 in info["rules"]:
        assert (arr[y0:y1, x0:x1] < 128).mean() > 0.95
    boxes = info["column_boxes"]
    body = [boxes[0][0], boxes[0][1], boxes[-1][2], boxes[0][3]]
    assert _ink_runs(img, body, min_gap=5) == 5  # three columns and two rules


def _line_angle(angle_img: Image.Image) -> float:
    """Angle (degrees, counter-clockwise positive) of the largest dark blob, fitted as a line."""
    grey = np.asarray(angle_img.convert("L"))
    n, labels, stats, _ = cv2.connectedComponentsWithStats((grey < 110).astype(np.uint8))
    big = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    ys, xs = np.nonzero(labels == big)
    slope = np.polyfit(xs, ys, 1)[0]
    return -math.degrees(math.atan(slope))


def test_heavy_degradation_skews_by_the_recorded_angle_and_changes_the_page():
    page = Image.new("L", (1500, 1200), 255)
    ImageDraw.Draw(page).rectangle([150, 590, 1350, 600], fill=0)
    for seed in range(4):
        out, info = degrade(page, "heavy", np.random.default_rng(seed), dpi=300)
        assert 1.5 <= abs(info["angle_deg"]) <= 3.0
        assert info["dpi"] == 200 and out.info["dpi"] == (200, 200)
        assert abs(_line_angle(out) - info["angle_deg"]) < 0.25
        arr = np.asarray(out)
        assert (arr == 255).all(axis=2).mean() < 0.01  # no clean white paper left
        assert info["specks"] > 0 and 0 < info["jpeg_quality"] <= 60


def test_mild_and_clean_levels():
    img, _, _ = render_page(PageSpec(seed=5, **SMALL))
    same, info = degrade(img, "clean", np.random.default_rng(0), dpi=300)
    assert same is img and info["angle_deg"] == 0.0
    mild, info = degrade(img, "mild", np.random.default_rng(0), dpi=300)
    assert 0 < abs(info["angle_deg"]) < 1.0 and mild.size == img.size
    diff = np.abs(np.asarray(mild.convert("L"), dtype=int) - np.asarray(img, dtype=int))
    assert diff.mean() > 2
    r, g, b = (np.asarray(mild)[..., k].mean() for k in range(3))
    assert r > b + 5  # yellowed
    with pytest.raises(ValueError):
        degrade(img, "ruined", np.random.default_rng(0))


def _words(text: str) -> list[str]:
    text = re.sub(r"-\n\s*(\w)", r"\1", text)
    return [w for w in (re.sub(r"^\W+|\W+$", "", t).lower() for t in text.split()) if w]


def test_tesseract_reads_a_clean_render():
    pytesseract = pytest.importorskip("pytesseract")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    img, gt, _ = render_page(PageSpec(seed=41, columns=3, rules=True, **SMALL))
    ocr = pytesseract.image_to_string(img)
    gt_words, ocr_words = _words(gt), _words(ocr)
    pool: dict[str, int] = {}
    for w in ocr_words:
        pool[w] = pool.get(w, 0) + 1
    hits = 0
    for w in gt_words:
        if pool.get(w, 0):
            pool[w] -= 1
            hits += 1
    assert hits / len(gt_words) > 0.93
    from rapidfuzz.distance import Levenshtein

    cer = Levenshtein.distance(" ".join(gt_words), " ".join(ocr_words)) / len(" ".join(gt_words))
    assert cer < 0.05
