"""The stage table and the code version each stage's fingerprint carries."""

from pathlib import Path

from pipeline import manifest, stages
from pipeline.codehash import code_files, code_hash
from pipeline.options import Options


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)


def test_a_change_in_a_helper_a_stage_imports_changes_its_code_hash(tmp_path):
    _tree(
        tmp_path,
        {
            "pipeline/__init__.py": "",
            "pipeline/helpers/__init__.py": "",
            "pipeline/helpers/render.py": "from . import deeper\nX = 1\n",
            "pipeline/helpers/deeper.py": "Y = 1\n",
            "pipeline/unused.py": "Z = 1\n",
            "pipeline/stage/__init__.py": "from pipeline.stage.run import go\n",
            "pipeline/stage/run.py": "def go():\n    from pipeline.helpers import render\n",
        },
    )
    before = code_hash(("pipeline.stage",), tmp_path)
    names = {f.relative_to(tmp_path).as_posix() for f in code_files(("pipeline.stage",), tmp_path)}
    assert "pipeline/helpers/render.py" in names and "pipeline/helpers/deeper.py" in names
    assert "pipeline/unused.py" not in names
    (tmp_path / "pipeline/helpers/deeper.py").write_text("Y = 2\n")
    from pipeline import codehash

    codehash.clear_cache()
    assert code_hash(("pipeline.stage",), tmp_path) != before
    (tmp_path / "pipeline/unused.py").write_text("Z = 2\n")
    after = code_hash(("pipeline.stage",), tmp_path)
    codehash.clear_cache()
    assert code_hash(("pipeline.stage",), tmp_path) == after  # an unrelated module: no re-run


def test_the_ocr_stage_code_covers_the_hocr_renderer_it_runs():
    root = Path(stages.__file__).resolve().parent.parent
    ocr = {f.relative_to(root).as_posix() for f in code_files(stages.stage("ocr").modules)}
    assert {"pipeline/export/hocr.py", "pipeline/ocr/render.py", "pipeline/model.py"} <= ocr
    repair = {f.relative_to(root).as_posix() for f in code_files(stages.stage("repair").modules)}
    assert "pipeline/lexicon.py" in repair and "pipeline/export/hocr.py" not in repair
    assert manifest.code_version("ocr") == code_hash(stages.stage("ocr").modules)


def test_one_table_names_every_stage_in_order():
    assert stages.STAGES == ("preprocess", "ocr", "repair", "correct")
    assert [stages.stage(s).folder for s in stages.STAGES] == [
        "1-preprocess",
        "2-ocr",
        "3-repair",
        "4-correct",
    ]
    assert stages.stages_for("text") == ("repair", "correct")
    assert Options(psm=6).for_stage("ocr") == {"lang": "eng", "psm": 6}
