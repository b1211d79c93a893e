"""The whole pipeline on one real scan of every development set, against plain Tesseract.

The pages were not made by this project: typewriting, a bilevel book page, a born-digital page,
a multi-column document and a magazine page (`../shared/data/scans-dev/`, read in place, the
first page of each set by name, not picked). The issue's promise is tested as a user would see
it: no page's final text loses more than a point of word F1 to `tesseract page -` on the
original. Skipped when the shared data is not beside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.scans import DEFAULT_DATA, SETS, pages_of
from pipeline.cli import cli
from pipeline.evaluate import baseline_text
from pipeline.fileio import read_json
from pipeline.metrics import word_f1

pytestmark = pytest.mark.skipif(
    not DEFAULT_DATA.is_dir(), reason=f"real scans not found at {DEFAULT_DATA}"
)


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    firsts = {name: pages_of(DEFAULT_DATA, name, 1)[0] for name in SETS}
    listing = root / "pages.list"
    listing.write_text("".join(f"{p}\n" for p in firsts.values()))
    out = root / "out"
    result = CliRunner().invoke(
        cli,
        ["run", "--from-list", str(listing), "-o", str(out), "-j", "2", "--quiet"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    dirs = {}
    for man in out.glob("*/manifest.json"):
        source = Path(read_json(man)["source"])
        dirs[source] = man.parent
    return {name: (page, dirs[page.resolve()]) for name, page in firsts.items()}


@pytest.mark.parametrize("name", SETS)
def test_real_page_reads_at_least_as_well_as_plain_tesseract(real_run, name):
    page, page_dir = real_run[name]
    gt = page.with_name(f"{page.stem}.gt.txt").read_text(encoding="utf-8")
    final = (page_dir / "4-correct" / "text.txt").read_text(encoding="utf-8")
    plain = baseline_text(page_dir)
    assert plain is not None
    ours, theirs = word_f1(final, gt), word_f1(plain, gt)
    assert ours >= theirs - 0.01, f"{page.name}: word F1 {ours:.3f} vs plain Tesseract {theirs:.3f}"
    pre = read_json(page_dir / "1-preprocess" / "preprocess.json")
    assert pre["why"] and pre["image_for_ocr"] in ("grey", "levelled grey", "bilevel")


def test_a_list_s_numbers_stacked_in_the_margin_are_read_and_seated_in_their_rows(tmp_path):
    """Book page h046: the numbers 1. to 8. of a list down the margin, which Tesseract makes
    one tall line read as sideways text (`SAA Ee WS Nw`, confidence 29) while each row's text
    opens with the number's full stop alone. Stage 2 reads the stack again upright and puts
    each number at the start of its row, the stray stop dropped."""
    from pipeline import ocr, preprocess
    from pipeline.options import Options

    page = DEFAULT_DATA / "oldbooks" / "h046.png"
    preprocess.run(page, 0, tmp_path / "1-preprocess", Options())
    ocr.run(tmp_path / "1-preprocess", tmp_path / "2-ocr", Options())
    lines = (tmp_path / "2-ocr" / "text.txt").read_text(encoding="utf-8").splitlines()
    assert any(ln.startswith("1. Caroline Horton, born 19 April") for ln in lines)
    assert any(ln.startswith("8. Lucy Jane, born 20 August") for ln in lines)
    assert not any(ln.startswith(". ") for ln in lines)
    assert read_json(tmp_path / "2-ocr" / "ocr.json")["stats"]["sideways_reread"] >= 1
