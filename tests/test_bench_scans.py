"""The real-scan benchmark's set summary: both views of final/baseline (no scans needed)."""

from __future__ import annotations

from bench.scans import markdown, set_summary
from pipeline.metrics import paragraph_breaks


def _scores(cer: float, f1: float, tri: float) -> dict:
    return {"cer": cer, "wer": cer * 2, "word_f1": f1, "trigram_f1": tri}


def test_median_of_page_ratios_differs_from_the_ratio_of_medians() -> None:
    rows = [  # baseline errors 0.02, 0.04, 0.10; each page halved, tripled, or unchanged
        {"page": "a", "baseline": _scores(0.02, 0.98, 0.9), "stage4": _scores(0.01, 0.99, 0.95)},
        {"page": "b", "baseline": _scores(0.04, 0.96, 0.8), "stage4": _scores(0.12, 0.88, 0.4)},
        {"page": "c", "baseline": _scores(0.10, 0.90, 0.7), "stage4": _scores(0.10, 0.90, 0.7)},
        {"page": "d", "baseline": _scores(0.0, 1.0, 1.0), "stage4": _scores(0.0, 1.0, 1.0)},
    ]
    s = set_summary(rows)
    # medians: baseline CER 0.03 (0.02, 0.04), final 0.055 (0.01, 0.10): ratio 1.833
    assert s["ratio"]["cer"] == 1.833
    # the pages' own ratios 0.5, 3.0, 1.0 and 1.0 (both perfect): median 1.0
    assert s["page_ratio_median"]["cer"] == 1.0
    assert s["page_ratio_median"]["word_f1_error"] == 1.0
    assert [w["page"] for w in s["worse"]] == ["b"]


def test_a_page_read_perfectly_by_plain_tesseract_but_not_by_us_counts_as_worse() -> None:
    rows = [
        {"page": "a", "baseline": _scores(0.0, 1.0, 1.0), "stage4": _scores(0.01, 0.99, 0.98)},
        {"page": "b", "baseline": _scores(0.0, 1.0, 1.0), "stage4": _scores(0.01, 0.99, 0.98)},
        {"page": "c", "baseline": _scores(0.02, 0.98, 0.9), "stage4": _scores(0.01, 0.99, 0.95)},
    ]
    assert set_summary(rows)["page_ratio_median"]["cer"] == float("inf")


def test_a_page_the_pipeline_failed_on_counts_as_lost() -> None:
    rows = [
        {"page": "a", "baseline": _scores(0.02, 0.98, 0.9), "stage4": _scores(0.01, 0.99, 0.95)},
        {"page": "b", "baseline": _scores(0.05, 0.90, 0.8), "status": "failed"},
    ]
    s = set_summary(rows)  # the failed page has no reading of ours to score
    assert s["loses_f1_point"] == 1
    assert s["worse"] == [{"page": "b", "stage": "failed"}]
    table = markdown({"sets": {"x": s}, "pages": {"x": {r["page"]: r for r in rows}}})
    assert "| x | b | 5.00 / 90.00 | - | failed |" in table
    # a page plain Tesseract reads nothing of either: nothing lost
    rows[1]["baseline"] = _scores(1.0, 0.0, 0.0)
    assert set_summary(rows)["worse"] == [] and set_summary(rows)["loses_f1_point"] == 0


# the end of book page c020 (ground truth: a paragraph a line) and plain Tesseract's reading
TRUTH = (
    "THE BOY APPRENTICED TO AN ENCHANTER\n"
    "story-teller’s place and fresh candles were lighted and set upon the table.\n"
    "“Your danger is great,” said the King, “and it will be hard for you.”\n"
)


def test_paragraph_breaks_are_judged_where_both_texts_read_the_words_around_them() -> None:
    ours = (
        "THE BOY APPRENTICED TO AN ENCHANTER\n\nstory-teller’s place and fresh candles were"
        "\nlighted and set upon the table.\n\n“Your danger is great,” said the King,\n\n"
        "“and it will be hard for you.”"
    )
    assert paragraph_breaks(ours, TRUTH, "line") == {"found": 2, "missed": 0, "extra": 1}
    run_in = ours.replace("ENCHANTER\n\nstory", "ENCHANTER story")
    assert paragraph_breaks(run_in, TRUTH, "line") == {"found": 1, "missed": 1, "extra": 1}
    # a misread word beside a break: that break is not judged either way
    misread = ours.replace("ENCHANTER\n\nstory-teller’s", "ENCHANTER\n\nstery-teller’s")
    assert paragraph_breaks(misread, TRUTH, "line") == {"found": 1, "missed": 0, "extra": 1}
    # a newspaper truth starts a paragraph on a blank line or an indented line
    news = "The fact is\nplain enough.\n Despite the fact\nit went on.\n\nNext one."
    read = "The fact is plain enough.\n\nDespite the fact it went on.\n\nNext one."
    assert paragraph_breaks(read, news, "indent") == {"found": 2, "missed": 0, "extra": 0}
    assert paragraph_breaks(read, news, "line")["extra"] == 0  # every line a break there


def test_the_set_summary_totals_paragraph_breaks() -> None:
    def row(page, base, final):
        return {
            "page": page,
            "baseline": {**_scores(0.02, 0.98, 0.9), "breaks": base},
            "stage4": {**_scores(0.01, 0.99, 0.95), "breaks": final},
        }

    rows = [
        row("a", {"found": 3, "missed": 5, "extra": 2}, {"found": 7, "missed": 1, "extra": 1}),
        row("b", {"found": 1, "missed": 1, "extra": 0}, {"found": 2, "missed": 0, "extra": 1}),
    ]
    s = set_summary(rows)
    assert s["breaks"]["baseline"] == {
        "found": 4,
        "missed": 6,
        "extra": 2,
        "recall": 0.4,
        "precision": 0.667,
    }
    assert s["breaks"]["final"]["recall"] == 0.9 and s["breaks"]["final"]["precision"] == 0.818
    table = markdown({"sets": {"books": s}, "pages": {"books": {r["page"]: r for r in rows}}})
    assert "| books | 4 / 6 / 2; 0.4, 0.667 | 9 / 1 / 2; 0.9, 0.818 |" in table
    plain = [{"page": "c", "baseline": _scores(0.02, 0.98, 0.9), "stage4": _scores(0, 1, 1)}]
    assert "breaks" not in set_summary(plain)  # a truth that marks no paragraphs


def test_stress_variants_of_a_page(tmp_path) -> None:
    import cv2
    import numpy as np

    from bench.stress import VARIANTS, bleed, spread, vary, write_variants
    from tests.drawing import text_page

    page = np.asarray(text_page(size=30))
    h, w = page.shape
    assert vary(page, "half").shape == (h // 2, w // 2)
    assert vary(page, "double").shape == (2 * h, 2 * w)
    assert vary(page, "threeq").shape == (h * 3 // 4, w * 3 // 4)
    assert vary(page, "x85").shape == (round(h * 0.85), round(w * 0.85))
    assert vary(page, "x150").shape == (round(h * 1.5), round(w * 1.5))
    turned = vary(page, "rot15")
    assert turned.shape == page.shape and not (turned == page).all()
    bed = vary(page, "bed")
    assert bed.shape == (h + 200, w + 200) and bed[0, 0] == bed[-1, -1] == 15
    noisy = vary(page, "noise")
    assert 0 < (noisy != page).mean() < 0.01
    assert vary(page, "faint").min() >= 110 and vary(page, "faint").max() <= 205
    shaded = vary(page, "shade")
    assert shaded[0, 0] == 255 and shaded[-1, -1] < 0.5 * 255  # the far corner in shadow
    both = spread(page, page[: h // 2])  # the shorter right page padded with its paper
    assert both.shape == (h, 2 * w) and both[-1, -1] == 255
    assert both[:, w - 3 : w + 3].mean() < 0.6 * both[:, : w // 4].mean()  # the fold's shadow
    assert vary(page, "blur").std() < page.std()  # softer edges
    ghost = bleed(page, page[: h // 2])  # the reverse side, stretched to the page and mirrored
    assert ghost.shape == page.shape and ghost.min() == 0  # the page's own ink stays black
    assert 0.75 * 255 - 1 <= ghost[page == 255].min() < 255  # its paper darkened, at most by BLEED
    # a set folder of one page with its ground truth: every variant written, truth beside it
    data = tmp_path / "data"
    (data / "oldbooks").mkdir(parents=True)
    cv2.imwrite(str(data / "oldbooks" / "p1.png"), page)
    (data / "oldbooks" / "p1.gt.txt").write_text("text\n")
    assert write_variants(data, tmp_path / "work", every=1) == 1
    for variant in VARIANTS:
        folder = tmp_path / "work" / variant
        ext = "jpg" if variant == "jpeg" else "png"
        assert sorted(p.name for p in folder.iterdir()) == [
            "oldbooks_p1.gt.txt",
            f"oldbooks_p1.{ext}",
        ]
    # the same pixels, stating a resolution that is not the scan's
    from PIL import Image

    with Image.open(tmp_path / "work" / "dpi150" / "oldbooks_p1.png") as told:
        assert round(told.info["dpi"][0]) == 150 and (np.asarray(told) == page).all()
    # a set of one page is spread beside itself: its text twice
    assert (tmp_path / "work" / "spread" / "oldbooks_p1.gt.txt").read_text() == "text\ntext\n"


def test_pages_set_as_columns(tmp_path) -> None:
    import cv2
    import numpy as np

    from bench.stress import COLUMNS, GUTTER, MARGIN, columns, text_crop, write_variants
    from tests.drawing import text_page

    page = np.asarray(text_page(size=30, margin=150))
    big = np.asarray(text_page(size=45, margin=150))  # the same text in bigger type
    cut, tall = text_crop(page)
    # cut to the text with a letter's (x-height) round it: the 150 px margins gone
    assert 10 <= tall <= 24 and cut.shape[0] < page.shape[0] - 200
    assert cut.shape[1] < page.shape[1] - 200 and (cut[:5] == 255).all()
    e = round(MARGIN * tall)  # the paper round the columns
    both = columns([page, big])  # the bigger type brought to the first page's size
    assert abs(both.shape[1] - (2 * cut.shape[1] + round(GUTTER * tall) + 2 * e)) <= 6
    assert abs(both.shape[0] - (cut.shape[0] + 2 * e)) <= 4
    assert (both[:e] == 255).all() and (both[:, :e] == 255).all() and (both[:, -e:] == 255).all()
    gap = both[:, e + cut.shape[1] : e + cut.shape[1] + round(GUTTER * tall) - 2]
    assert (gap == 255).all()  # a clean gutter between the columns
    # a picture set into the first column between two of its lines: that column a third taller
    pictured = columns([page, page], picture=True)[e:-e, e:-e]
    grown = cut.shape[0] // 3 + 2 * round(tall)
    assert abs(pictured.shape[0] - (cut.shape[0] + grown)) <= 4
    left = pictured[:, : cut.shape[1]]
    inky = np.r_[0, ((left < 128).mean(axis=1) > 0.1).astype(int), 0]
    edges = np.flatnonzero(np.diff(inky))  # starts and ends of runs of rows with ink
    longest = int((edges[1::2] - edges[::2]).max())  # the halftone's, not a line of text's
    assert abs(longest - cut.shape[0] // 3) <= 2
    assert (pictured[:, cut.shape[1] + 2 :][-grown:] == 255).all()  # the other column ends
    data = tmp_path / "data"
    (data / "oldbooks").mkdir(parents=True)
    for i, text in enumerate(("one\n", "two\n", "three\n")):
        cv2.imwrite(str(data / "oldbooks" / f"p{i}.png"), page)
        (data / "oldbooks" / f"p{i}.gt.txt").write_text(text)
    assert write_variants(data, tmp_path / "work", every=3, variants=COLUMNS) == 1
    truth = {v: (tmp_path / "work" / v / "oldbooks_p0.gt.txt").read_text() for v in COLUMNS}
    assert truth == {"cols2": "one\ntwo\n", "cols3": "one\ntwo\nthree\n", "pic2": "one\ntwo\n"}
    three = cv2.imread(str(tmp_path / "work" / "cols3" / "oldbooks_p0.png"), 0)
    assert abs(three.shape[1] - (3 * cut.shape[1] + 2 * round(GUTTER * tall) + 2 * e)) <= 6
