import io

import cv2
import numpy as np
import pytest
from PIL import Image

from pipeline.errors import PageError
from pipeline.options import Options
from pipeline.preprocess import preprocess_array, run
from pipeline.preprocess.binarize import binarize
from pipeline.preprocess.clean import clean_page
from pipeline.preprocess.deskew import (
    column_prefix,
    group_score,
    measure_skew,
    paper_level,
    pixel_score,
)
from pipeline.preprocess.encode import bilevel_png, grey_png
from pipeline.preprocess.load import load_page
from pipeline.preprocess.measure import (
    cell_means,
    component_stats,
    letter_height,
    letter_like,
    quick_binary,
)
from pipeline.preprocess.scale import scale_factor
from tests.drawing import heading_bar_page, text_page, uneven


@pytest.mark.parametrize("angle", [2.5, -1.2, 0.0])
def test_deskew_measures_the_angle_that_levels_the_text(angle):
    img = text_page().rotate(angle, expand=True, fillcolor=255, resample=Image.BICUBIC)
    ink = quick_binary(np.asarray(img))
    found = measure_skew(ink, letter_height(ink))
    assert found == pytest.approx(-angle, abs=0.15)


def test_small_text_is_upsampled_text_near_the_target_left_alone_and_big_text_shrunk():
    small = letter_height(quick_binary(np.asarray(text_page(size=22))))
    large = letter_height(quick_binary(np.asarray(text_page(size=48))))
    huge = letter_height(quick_binary(np.asarray(text_page(size=84))))
    assert scale_factor(small, 200, 20) > 1.3
    assert scale_factor(large, 300, 20) == 1.0
    assert scale_factor(huge, 600, 20) == pytest.approx(20 / huge)  # as a 600-dpi scan's
    assert 0.4 < 20 / huge < 0.6
    assert scale_factor(None, 150, 20) == pytest.approx(2.0)  # no text to measure: DPI decides
    assert scale_factor(None, 600, 20) == 1.0  # nor is a page without text shrunk by its DPI


def test_binarisation_copes_with_uneven_paper():
    clean = np.asarray(text_page())
    shaded = np.asarray(uneven(text_page()))
    lp = letter_height(quick_binary(clean))
    ink_clean, _ = binarize(clean, lp)
    ink_shaded, _ = binarize(shaded, lp)
    # plain global Otsu on the shaded page turns the dark side into ink; ours must not
    naive = quick_binary(shaded)
    assert naive.mean() > 2 * ink_clean.mean()
    assert abs(ink_shaded.mean() - ink_clean.mean()) < 0.25 * ink_clean.mean()
    agree = (ink_shaded == ink_clean).mean()
    assert agree > 0.99


def test_scanner_border_is_removed_and_text_kept():
    img = np.asarray(text_page()).copy()
    img[:, :40] = 0  # the dark scanner bed along the left edge
    ink = quick_binary(img)
    cleaned, borders, _ = clean_page(ink, letter_height(ink))
    assert borders == 1 and not cleaned[:, :40].any()
    assert cleaned[:, 100:].sum() == ink[:, 100:].sum()


def test_a_bar_printed_with_white_letters_is_no_border():
    """A black heading bar reaching the page's edges is painted out as a border only when it
    holds no letters: white on black it is a heading, which Tesseract reads."""
    for heading, removed in [("SPORTING NEWS OF THE WEEK", 0), (None, 1)]:
        img = np.asarray(heading_bar_page(heading))
        out, stats = preprocess_array(img, 300.0, Options())
        assert stats["borders_removed"] == removed
        assert (out[120:210, 40:100] < 128).all() == (removed == 0)


def test_despeckle_drops_isolated_specks_but_keeps_punctuation():
    img = np.asarray(text_page()).copy()
    rng = np.random.default_rng(1)
    ys = rng.integers(0, 90, 60)  # specks in the top margin, away from the text
    xs = rng.integers(0, img.shape[1] - 3, 60)
    for y, x in zip(ys, xs, strict=True):
        img[y : y + 2, x : x + 2] = 0
    ink = quick_binary(img)
    lp = letter_height(ink)
    cleaned, _, removed = clean_page(ink, lp)
    assert removed >= 50
    assert not cleaned[:90].any()
    # the text's full stops and commas are still there: ink below the margin is untouched
    assert (cleaned[100:] == ink[100:]).mean() > 0.9999


def test_preprocess_levels_a_skewed_shaded_page():
    img = uneven(text_page(size=30)).rotate(1.5, expand=True, fillcolor=200)
    out, stats = preprocess_array(np.asarray(img), 300, Options())
    assert stats["image_for_ocr"] == "levelled grey" and stats["rotated"]
    assert np.percentile(out, 60) > 240  # the paper is white all across
    assert stats["skew_deg"] == pytest.approx(-1.5, abs=0.15)
    assert 0.01 < stats["ink_share"] < 0.2


def test_run_writes_image_with_dpi_and_json(tmp_path):
    src = tmp_path / "page.png"
    text_page(size=24).save(src, dpi=(200, 200))
    stats = run(src, 0, tmp_path / "1-preprocess", Options())
    out = Image.open(tmp_path / "1-preprocess" / "image.png")
    assert stats["dpi_in"] == 200 and stats["scale"] > 1
    assert round(out.info["dpi"][0]) == stats["dpi_out"]
    assert (tmp_path / "1-preprocess" / "preprocess.json").is_file()
    assert not list((tmp_path / "1-preprocess").glob("*.tmp"))


def test_bad_images_fail_with_a_reason_naming_the_file(tmp_path, capfd):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    fake = tmp_path / "notes.jpg"
    fake.write_text("this is not a picture")
    good = tmp_path / "good.png"
    text_page().save(good)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(good.read_bytes()[:3000])
    rotten = tmp_path / "rotten.png"  # bit rot in the middle of the image data
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"x" * 64
    rotten.write_bytes(bytes(data))
    tiny = tmp_path / "tiny.png"
    Image.new("L", (40, 30), 255).save(tiny)
    blank = tmp_path / "blank.png"
    Image.new("L", (800, 1000), 250).save(blank)
    for path, words in [
        (empty, "empty"),
        (fake, "not a readable image"),
        (truncated, "corrupt or truncated"),
        (rotten, "corrupt or truncated"),
        (tiny, "too small"),
    ]:
        with pytest.raises(PageError, match=words) as err:
            load_page(path)
        assert str(path) in str(err.value)
    # the one-line reason is all: no decoder library prints its own complaint
    assert capfd.readouterr().err == ""
    with pytest.raises(PageError, match="blank"):
        run(blank, 0, tmp_path / "out", Options())
    assert not (tmp_path / "out" / "image.png").exists()


def test_a_blurred_page_whose_letters_ran_together_is_read_not_refused(tmp_path):
    """Blurred by 2 px, 22-px type runs together into one blot a word at any threshold: no
    letter-like mark is left to measure, and the page was refused as blank, though Tesseract
    reads every word of it. It goes to Tesseract as scanned; a halftone picture, whose dots
    are blots of one size too, is still no text."""
    from pipeline import ocr
    from pipeline.metrics import page_scores
    from pipeline.preprocess.measure import quick_binary, word_blots
    from tests.drawing import LINES, halftone

    blurred = cv2.GaussianBlur(np.asarray(text_page(LINES * 4, size=22)), (0, 0), 2.0)
    src = tmp_path / "soft.png"
    Image.fromarray(blurred).save(src, dpi=(300, 300))
    stats = run(src, 0, tmp_path / "1-preprocess", Options())
    assert "word-like blots" in stats["why"][0] and stats["scale"] == 1.0
    image = cv2.imread(str(tmp_path / "1-preprocess" / "image.png"), cv2.IMREAD_GRAYSCALE)
    assert np.array_equal(image, blurred)  # the scan as it is
    ocr.run(tmp_path / "1-preprocess", tmp_path / "2-ocr", Options())
    text = (tmp_path / "2-ocr" / "text.txt").read_text(encoding="utf-8")
    assert page_scores(text, "\n".join(LINES * 4))["word_f1"] > 0.95
    for pitch in (6, 8, 12):
        dots = halftone(1200, 1600, pitch=pitch)
        assert word_blots(quick_binary(dots)) is None
        assert word_blots(quick_binary(cv2.GaussianBlur(dots, (0, 0), 2.0))) is None
    assert word_blots(quick_binary(blurred)) is not None


def test_decompression_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.png"
    Image.new("1", (18000, 18000), 1).save(bomb)
    with pytest.raises(PageError, match="too large"):
        load_page(bomb)


def test_deskew_finds_the_narrow_peak_on_a_wide_degraded_newspaper_page():
    from bench.pagegen import PageSpec, render_page

    # this page once fooled a 0.5-degree coarse search into -1.5 instead of -2.8
    spec = PageSpec(seed=3007, columns=4, rules=True, photo=True, level="heavy")
    img, _, info = render_page(spec)
    ink = quick_binary(np.asarray(img.convert("L")))
    applied = [v for k, v in info.items() if "skew" in k or "angle" in k]
    found = measure_skew(ink, letter_height(ink))
    assert found == pytest.approx(-applied[0], abs=0.1)


def test_column_run_score_equals_the_per_pixel_score():
    # the fine deskew search scores runs of columns; it must pick exactly what per-pixel would
    img = text_page(size=30).rotate(1.3, expand=True, fillcolor=255, resample=Image.BICUBIC)
    ink = quick_binary(np.asarray(img))
    ys, xs = np.nonzero(ink)
    prefix = column_prefix(ink)
    offset = float(xs.mean())
    for angle in (-7.9, -1.31, -0.02, 0.0, 0.37, 2.5, 8.0):
        assert group_score(prefix, offset, angle) == pixel_score(ys, xs, offset, angle)


def test_paper_level_is_numpys_90th_percentile():
    rng = np.random.default_rng(5)
    pages = [np.asarray(uneven(text_page())), rng.integers(0, 256, (301, 77), dtype=np.uint8)]
    pages += [np.full((64, 64), 200, np.uint8), rng.integers(0, 4, (99, 101), dtype=np.uint8)]
    for grey in pages:
        assert paper_level(grey) == int(np.percentile(grey, 90))


def test_components_of_odd_sized_and_crowded_masks_are_opencvs():
    # odd sides are padded for the fast labelling; >65535 components need 32-bit labels
    odd = quick_binary(np.asarray(text_page(size=23)))
    odd = odd[: odd.shape[0] // 2 * 2 - 1, : odd.shape[1] // 2 * 2 - 1]
    assert odd.shape[0] % 2 and odd.shape[1] % 2
    crowded = np.zeros((601, 601), bool)
    crowded[::2, ::2] = True  # 90601 single-pixel components
    for ink in (odd, crowded):
        n, labels, stats, _ = component_stats(ink)
        ref_n, _, ref_stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), 8)
        assert n == ref_n
        assert sorted(map(tuple, stats[1:])) == sorted(map(tuple, ref_stats[1:]))
        assert (labels[: ink.shape[0], : ink.shape[1]] > 0).sum() == ink.sum()
    assert labels.dtype == np.int32


def test_bilevel_png_keeps_every_pixel_and_the_dpi():
    page = np.full((37, 29), 255, np.uint8)  # a width that does not fill the last byte
    page[5:9, 3:20] = 0
    page[36, 28] = 0
    img = Image.open(io.BytesIO(bilevel_png(page, 429)))
    assert img.mode == "1" and round(img.info["dpi"][0]) == 429
    assert (np.asarray(img.convert("L")) == page).all()


def test_png_without_its_end_chunk_still_loads(tmp_path):
    # libpng refuses it, so this takes the Pillow path, which reads it as before
    good = tmp_path / "good.png"
    text_page().save(good, dpi=(300, 300))
    cut = tmp_path / "no-iend.png"
    cut.write_bytes(good.read_bytes()[:-12])
    grey, dpi = load_page(cut)
    assert dpi == 300 and (grey == load_page(good)[0]).all()


def test_grey_png_keeps_every_pixel_and_the_dpi():
    rng = np.random.default_rng(7)
    page = rng.integers(0, 256, (41, 33), dtype=np.uint8)  # every difference, wrapping round
    page[10:20] = 255
    img = Image.open(io.BytesIO(grey_png(page, 274)))
    assert img.mode == "L" and round(img.info["dpi"][0]) == 274
    assert (np.asarray(img) == page).all()
    assert (cv2.imdecode(np.frombuffer(grey_png(page, 274), np.uint8), 0) == page).all()


def test_jpeg_is_read_as_its_luma_once_turned_as_its_exif_says(tmp_path):
    page = np.asarray(text_page())
    colour = np.dstack([page, np.clip(page.astype(int) + 30, 0, 255), page]).astype(np.uint8)
    upright = tmp_path / "upright.jpg"
    Image.fromarray(colour).save(upright, quality=90)
    grey, _ = load_page(upright)
    # libjpeg's own luma, as OpenCV decodes it: not Pillow's RGB -> L conversion
    assert np.array_equal(grey, cv2.imdecode(np.fromfile(upright, np.uint8), 0))
    # a scanner that stored the page turned, with the EXIF tag saying how to show it
    sideways = tmp_path / "sideways.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90 degrees clockwise
    Image.fromarray(colour).rotate(90, expand=True).save(sideways, quality=90, exif=exif)
    shown, _ = load_page(sideways)
    assert shown.shape == grey.shape
    assert np.abs(shown.astype(int) - grey).mean() < 3
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(upright.read_bytes()[: upright.stat().st_size // 2])
    with pytest.raises(PageError, match="corrupt or truncated"):
        load_page(cut)


@pytest.mark.parametrize("shape", [(333, 257), (64, 64), (40, 300)])
def test_cell_means_are_the_means_of_whole_pixel_cells(shape):
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, shape, dtype=np.uint8)
    grid = (16, 8)
    got = cell_means(img, grid)
    ys = np.round(np.arange(grid[1] + 1) * shape[0] / grid[1]).astype(int)
    xs = np.round(np.arange(grid[0] + 1) * shape[1] / grid[0]).astype(int)
    for r in range(grid[1]):
        for c in range(grid[0]):
            assert got[r, c] == pytest.approx(img[ys[r] : ys[r + 1], xs[c] : xs[c + 1]].mean())


def test_letter_mask_is_the_kept_marks_ink_on_odd_sized_pages():
    """The mask is set from the kept marks' pixels (not a per-pixel label lookup): on a page of
    odd size (labelled padded to even) it still covers exactly the letters, not the blot."""
    page = np.asarray(text_page())[:-1, :-1].copy()
    page[40:140, 40:140] = 0  # a blot: as thick as it is tall, not a letter
    ink = quick_binary(page)
    heights, mask = letter_like(ink)
    assert mask.shape == ink.shape and mask.flags.c_contiguous
    assert not mask[40:140, 40:140].any()
    assert (mask <= ink).all() and mask.sum() > 0.5 * ink[200:].sum()
    assert len(heights) >= 20


def test_text_on_heavily_shaded_paper_is_not_painted_out_as_dark_ground():
    """Light falling off across a page (to 10 % at the right, 80 % at the bottom) makes the
    paper of the right-hand side nearly as dark as ink: it still carries text, so it is paper
    to level, not a scanner bed to paint white (which deleted a shaded magazine page's
    column). A bed along the left edge is painted out as before."""
    clean = np.asarray(text_page(size=30))
    h, w = clean.shape
    light = np.linspace(1.0, 0.1, w)[None, :] * np.linspace(1.0, 0.8, h)[:, None]
    shaded = (clean * light).astype(np.uint8)
    shaded[:, :30] = 20  # a scanner bed along the left edge
    out, stats = preprocess_array(shaded, 300.0, Options())
    assert stats["image_for_ocr"] == "levelled grey"
    right = slice(w // 2, w - 40)
    kept = np.count_nonzero(out[:, right] < 128)
    assert kept > 0.95 * np.count_nonzero(clean[:, right] < 128)
    assert stats["borders_removed"] == 1 and (out[:, :30] > 200).all()


def test_text_in_a_shadow_along_the_bottom_edge_is_kept():
    """A shadow over the last lines of a page (light falling to 10 % from 60 % of the way
    down, the text running to the edge): the dark band's letters are judged by the page's
    letter size, not by the band's own height (a strip a few lines tall once counted none of
    its letters as letters and was painted out with them)."""
    clean = np.asarray(text_page(size=30))[:-100]
    h = clean.shape[0]
    light = np.ones((h, 1), np.float32)
    light[int(0.6 * h) :, 0] = np.linspace(1.0, 0.1, h - int(0.6 * h))
    out, _ = preprocess_array((clean * light).astype(np.uint8), 300.0, Options())
    band = slice(int(0.6 * h), h)
    assert np.count_nonzero(out[band] < 128) > 0.95 * np.count_nonzero(clean[band] < 128)
