"""`ocr-pipeline eval`: the figures agree with independent implementations, and the command
scores a real output folder (with the plain-Tesseract baseline) as the issue describes."""

import json
import os
from pathlib import Path

import jiwer
import pytest
from click.testing import CliRunner
from PIL import Image

from bench.pagegen import PageSpec, render_page, save_page
from pipeline.cli import cli
from pipeline.commands.eval import eval_command
from pipeline.evaluate import baseline_text, format_table, medians, score_page
from pipeline.metrics import cer, normalise, wer

SMH = Path(__file__).resolve().parents[2] / "shared" / "data" / "ocr-text-dev" / "smh"

PAIRS = [
    # (hypothesis, reference)
    ("Tbe  quick brown\nfox jumpcd over", "The quick brown fox jumped over"),
    ("con- stitution of the colony", "constitution of the colony"),
    ("", "nothing was read"),
    ("extra words were added here too", "words were added"),
    ("Caf\u0065\u0301 society", "Caf\u00e9 society"),  # NFD vs NFC: no error after normalising
    ("the  tho arc bo ot", "the the are be of"),
    ("a\tb\n\nc", "a b c"),
]


def _levenshtein(a, b) -> int:
    """Textbook dynamic programme, independent of rapidfuzz and jiwer."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _smh_pairs(limit: int = 6) -> list[tuple[str, str]]:
    """A few line-aligned (ocr, gt) lines of real newspaper OCR, when the data is present."""
    if not SMH.is_dir():
        return []
    out = []
    for gt_file in sorted(SMH.glob("*.gt.txt"))[:3]:
        ocr_file = gt_file.with_name(gt_file.name.replace(".gt.txt", ".ocr.txt"))
        gt_lines = gt_file.read_text(encoding="utf-8").splitlines()
        ocr_lines = ocr_file.read_text(encoding="utf-8").splitlines()
        for o, g in zip(ocr_lines, gt_lines, strict=False):
            if g.strip() and o != g and len(out) < limit:
                out.append((o, g))
    return out


@pytest.mark.parametrize("hyp,ref", PAIRS)
def test_metrics_agree_with_jiwer_and_a_plain_levenshtein(hyp, ref):
    h, r = normalise(hyp), normalise(ref)
    assert cer(hyp, ref) == pytest.approx(jiwer.cer(r, h) if h else 1.0)
    assert wer(hyp, ref) == pytest.approx(jiwer.wer(r, h) if h else 1.0)
    assert cer(hyp, ref) == pytest.approx(_levenshtein(h, r) / len(r))
    assert wer(hyp, ref) == pytest.approx(_levenshtein(h.split(), r.split()) / len(r.split()))


def test_metrics_agree_with_jiwer_on_real_newspaper_ocr():
    pairs = _smh_pairs()
    if not pairs:
        pytest.skip("development data not present")
    for hyp, ref in pairs:
        h, r = normalise(hyp), normalise(ref)
        assert cer(hyp, ref) == pytest.approx(jiwer.cer(r, h))
        assert wer(hyp, ref) == pytest.approx(jiwer.wer(r, h))
    assert any(cer(h, r) > 0 for h, r in pairs)


def test_table_lists_pages_worst_first_with_medians():
    pages = {
        "good": score_page({"stage2": "a b c d", "stage4": "a b c d"}, "a b c d"),
        "bad": score_page({"stage2": "x y", "stage4": "x y z d"}, "a b c d"),
        "txt": score_page({"stage3": "a b", "stage4": "a q"}, "a b"),
    }
    report = {"pages": pages, "median": medians(pages), "gt_dir": "gt", "skipped": ["lost"]}
    lines = format_table(report).splitlines()
    order = [ln.split()[0] for ln in lines if ln.split()[0] in pages]
    assert order == ["bad", "txt", "good"]  # final CER 3/7, 1/3, 0
    assert report["median"]["stage4"]["cer"] == pytest.approx(cer("a q", "a b"))
    assert report["median"]["stage2"]["pages"] == 2 and "stage3" in report["median"]
    assert lines[-1] == "skipped (no ground truth): lost"


def test_baseline_reads_the_right_frame_of_a_multipage_tiff(tmp_path):
    frames = [Image.new("L", (100 + 10 * k, 80), 255) for k in range(3)]
    src = tmp_path / "issue.tiff"
    frames[0].save(src, save_all=True, append_images=frames[1:])
    page = tmp_path / "out" / "issue-p0002"
    page.mkdir(parents=True)
    (page / "manifest.json").write_text(
        json.dumps({"source": str(src), "page": 2, "kind": "image"})
    )
    seen = []

    def fake_ocr(path: Path) -> str:
        seen.append(Image.open(path).size)
        return "frame text\n"

    assert baseline_text(page, fake_ocr) == "frame text\n"
    assert seen == [(110, 80)]
    assert baseline_text(page, fake_ocr) == "frame text\n"  # cached: not run again
    assert seen == [(110, 80)] and (page / "baseline.txt").is_file()


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """One small hyphenated three-column page through the pipeline, plus a raw .txt page
    without ground truth, then `eval --baseline`."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    root = tmp_path_factory.mktemp("eval")
    img, gt, info = render_page(
        PageSpec(seed=7, columns=3, headline_lines=1, width_in=6.0, height_in=4.5)
    )
    scans, gt_dir, out = root / "scans", root / "gt", root / "out"
    scans.mkdir()
    gt_dir.mkdir()
    save_page(img, scans / "gazette.png")
    (gt_dir / "gazette.gt.txt").write_text(gt, encoding="utf-8")
    (scans / "notes.txt").write_text("The Harbour Works.\n\nThe cost is esti-\nmated at 14,000.\n")
    run = CliRunner().invoke(cli, ["run", str(scans), "-o", str(out), "-j", "1", "-q"])
    assert run.exit_code == 0, run.output
    result = CliRunner().invoke(eval_command, [str(out), "--gt", str(gt_dir), "--baseline"])
    return {"out": out, "gt_dir": gt_dir, "gt": gt, "info": info, "result": result}


def test_eval_scores_every_stage_and_the_baseline(scored):
    out, result = scored["out"], scored["result"]
    assert result.exit_code == 0, result.output
    assert scored["info"]["columns"] == 3 and scored["info"]["soft_hyphens"] > 0
    report = json.loads((out / "eval.json").read_text())
    assert set(report) >= {"pages", "median", "gt_dir", "skipped"}
    assert report["skipped"] == ["notes"] and "notes" in result.output
    page = report["pages"]["gazette"]
    assert set(page) == {"baseline", "stage2", "stage3", "stage4"}
    files = {
        "stage2": out / "gazette/2-ocr/text.txt",
        "stage3": out / "gazette/3-repair/text.txt",
        "stage4": out / "gazette/4-correct/text.txt",
        "baseline": out / "gazette/baseline.txt",
    }
    for k, f in files.items():
        text = f.read_text(encoding="utf-8")
        assert page[k]["cer"] == pytest.approx(cer(text, scored["gt"]), abs=1e-6)
        assert page[k]["wer"] == pytest.approx(wer(text, scored["gt"]), abs=1e-6)
        assert report["median"][k]["cer"] == page[k]["cer"]
    # Plain Tesseract runs the columns' hyphenated words apart; our final text does better.
    assert page["stage4"]["cer"] < page["baseline"]["cer"]
    assert page["stage4"]["wer"] < page["baseline"]["wer"]
    assert "gazette" in result.output and "MEDIAN" in result.output


def test_eval_reuses_the_cached_baseline(scored):
    out, gt_dir = scored["out"], scored["gt_dir"]
    (out / "gazette" / "baseline.txt").write_text(scored["gt"], encoding="utf-8")
    again = CliRunner().invoke(eval_command, [str(out), "--gt", str(gt_dir), "--baseline"])
    assert again.exit_code == 0, again.output
    report = json.loads((out / "eval.json").read_text())
    assert report["pages"]["gazette"]["baseline"]["cer"] == 0.0
    without = CliRunner().invoke(eval_command, [str(out), "--gt", str(gt_dir)])
    assert "baseline" not in json.loads((out / "eval.json").read_text())["pages"]["gazette"]
    assert without.exit_code == 0


def test_eval_usage_errors(scored, tmp_path):
    missing = CliRunner().invoke(eval_command, [str(scored["out"]), "--gt", str(tmp_path / "no")])
    assert missing.exit_code == 2
    empty = CliRunner().invoke(eval_command, [str(tmp_path), "--gt", str(scored["gt_dir"])])
    assert empty.exit_code == 2 and "no page folders" in empty.output


def test_benchmark_summary_ratios_targets_and_regressions():
    from bench.newspapers import spec_for, split_pages, summarise_levels

    assert split_pages(36, ["clean", "mild", "heavy"]) == {"clean": 12, "mild": 12, "heavy": 12}
    assert split_pages(31, ["clean", "heavy"]) == {"clean": 16, "heavy": 15}
    specs = [spec_for("mild", k) for k in range(12)]
    assert {s.columns for s in specs} == {3, 4, 5} and len({s.seed for s in specs}) == 12
    assert {s.headline_lines for s in specs} == {1, 2}
    assert any(s.photo for s in specs) and any(s.rules for s in specs)
    assert any(s.bullets for s in specs) and not all(s.photo for s in specs)

    def page(base, final):
        return {"baseline": {"cer": base, "wer": 2 * base}, "stage4": {"cer": final, "wer": final}}

    pages = {
        "news-clean-00": page(0.04, 0.005),
        "news-clean-01": page(0.02, 0.004),
        "news-clean-02": page(0.01, 0.03),  # worse than plain Tesseract
        "news-heavy-00": page(0.10, 0.06),
    }
    s = summarise_levels({"pages": pages})
    clean = s["levels"]["clean"]
    assert clean["baseline"]["cer"] == 0.02 and clean["stage4"]["cer"] == 0.005
    assert clean["ratio"] == {"cer": 0.25, "wer": 0.125}
    assert clean["targets"] == {"cer": True, "wer": True}
    assert clean["worse_than_baseline"] == ["news-clean-02"]
    assert s["levels"]["heavy"]["targets"] == {"cer": False, "wer": True}
    assert list(s["levels"]) == ["clean", "heavy"]
    assert [w["page"] for w in s["worst"]][:2] == ["news-heavy-00", "news-clean-02"]
