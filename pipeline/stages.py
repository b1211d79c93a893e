"""The one table of the four stages: name, folder, files, inputs, entry point, options, code.

Everything that needs to know about a stage (options, runner, manifest, inspect, the report)
reads it here, so adding or changing a stage is one edit, not five lists to keep in step.
The stage packages are imported (by name) only when a stage runs: the table is cheap to load.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.inputs import PageJob
    from pipeline.runner import Plan

Inputs = Callable[["PageJob", Path, "Plan"], list[Path]]
Entry = Callable[["PageJob", Path, "Plan"], dict[str, Any]]


@dataclass(frozen=True)
class Stage:
    name: str
    number: int
    outputs: tuple[str, ...]  # files it writes into its folder; all there = its work is there
    inputs: Inputs  # files whose contents are part of its fingerprint
    run: Entry  # runs it on one page, returns its headline figures
    option_keys: tuple[str, ...]  # Options fields that can change its output
    modules: tuple[str, ...]  # where its code starts; the code hash follows their imports
    image_only: bool = False  # a .txt input enters at repair and has no such stage

    @property
    def folder(self) -> str:
        return f"{self.number}-{self.name}"

    def dir(self, page_dir: Path) -> Path:
        return page_dir / self.folder


def _package(name: str) -> ModuleType:
    """A stage package, imported when the stage first runs. By name, so that this table (read
    by `options`, which every stage imports) does not make every stage's code another's."""
    return importlib.import_module(f"pipeline.{name}")


def _ocr_source(job: PageJob, page_dir: Path) -> Path:
    return job.source if job.kind == "text" else page_dir / STAGE_DIRS["ocr"] / "ocr.json"


def _preprocess_inputs(job: PageJob, page_dir: Path, plan: Plan) -> list[Path]:
    return [job.source]


def _ocr_inputs(job: PageJob, page_dir: Path, plan: Plan) -> list[Path]:
    return [page_dir / STAGE_DIRS["preprocess"] / "image.png"]


def _repair_inputs(job: PageJob, page_dir: Path, plan: Plan) -> list[Path]:
    return [_ocr_source(job, page_dir), *plan.options.lexicons]


def _correct_inputs(job: PageJob, page_dir: Path, plan: Plan) -> list[Path]:
    d = page_dir / STAGE_DIRS["repair"]
    batch = [plan.batch_lexicon] if plan.batch_lexicon else []
    return [d / "repair.json", d / "text.txt", *plan.options.lexicons, *batch]


def _run_preprocess(job: PageJob, page_dir: Path, plan: Plan) -> dict[str, Any]:
    preprocess = _package("preprocess")
    return preprocess.run(
        job.source, job.page_index, page_dir / STAGE_DIRS["preprocess"], plan.options
    )


def _run_ocr(job: PageJob, page_dir: Path, plan: Plan) -> dict[str, Any]:
    ocr = _package("ocr")
    return ocr.run(page_dir / STAGE_DIRS["preprocess"], page_dir / STAGE_DIRS["ocr"], plan.options)


def _run_repair(job: PageJob, page_dir: Path, plan: Plan) -> dict[str, Any]:
    repair = _package("repair")
    return repair.run(_ocr_source(job, page_dir), page_dir / STAGE_DIRS["repair"], plan.options)


def _run_correct(job: PageJob, page_dir: Path, plan: Plan) -> dict[str, Any]:
    correct = _package("correct")
    out = page_dir / STAGE_DIRS["correct"]
    return correct.run(page_dir / STAGE_DIRS["repair"], out, plan.options, plan.batch_lexicon)


TABLE: tuple[Stage, ...] = (
    Stage(
        "preprocess",
        1,
        ("image.png", "preprocess.json"),
        _preprocess_inputs,
        _run_preprocess,
        ("target_xheight", "pdf_dpi"),
        ("pipeline.preprocess",),
        image_only=True,
    ),
    Stage(
        "ocr",
        2,
        ("ocr.json", "page.hocr", "text.txt"),
        _ocr_inputs,
        _run_ocr,
        ("lang", "psm"),
        ("pipeline.ocr",),
        image_only=True,
    ),
    Stage(
        "repair",
        3,
        ("repair.json", "text.txt"),
        _repair_inputs,
        _run_repair,
        ("lang", "lexicons"),
        ("pipeline.repair",),
    ),
    Stage(
        "correct",
        4,
        ("text.txt", "corrections.tsv", "correct.json"),
        _correct_inputs,
        _run_correct,
        ("lang", "lexicons"),
        ("pipeline.correct",),
    ),
)

BY_NAME: dict[str, Stage] = {s.name: s for s in TABLE}
STAGES: tuple[str, ...] = tuple(s.name for s in TABLE)
STAGE_DIRS: dict[str, str] = {s.name: s.folder for s in TABLE}
OUTPUTS: dict[str, tuple[str, ...]] = {s.name: s.outputs for s in TABLE}


def stage(name: str) -> Stage:
    return BY_NAME[name]


def stages_for(kind: str) -> tuple[str, ...]:
    """The stages a page of this kind goes through: a .txt input enters at repair."""
    return tuple(s.name for s in TABLE if kind == "image" or not s.image_only)
