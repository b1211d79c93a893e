"""A batch's options, remembered in OUTPUT/options.json.

Every later command on the same OUTPUT (a stage alone, `--retry-failed`, a second `run`)
starts from them, so a batch first run with `--lang deu` is not silently re-read in English
(and its fingerprints do not re-run stages that were fine). An option given on the command
line overrides the remembered one and is remembered in its place.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.fileio import read_json, write_json
from pipeline.options import Options

FILE = "options.json"


def remembered(output: Path) -> Options:
    """The options OUTPUT was last run with; the defaults for a new (or older) OUTPUT.

    An OUTPUT written before options.json existed still has its language and lexicons in
    run.json's arguments.
    """
    for name, pick in ((FILE, _all), ("run.json", _from_run_args)):
        try:
            data = read_json(output / name)
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(data, dict):
            try:
                return Options.from_json(pick(data))
            except (TypeError, ValueError):
                continue  # a damaged file costs its options, not the run
    return Options()


def _all(data: dict[str, Any]) -> dict[str, Any]:
    return data


def _from_run_args(data: dict[str, Any]) -> dict[str, Any]:
    args = data.get("args") or {}
    picked = {k: args[k] for k in ("lang", "lexicons") if args.get(k)}
    if "lexicons" in picked:  # recorded as typed, maybe relative: keep those still found
        found = [Path(p).resolve() for p in picked["lexicons"] if Path(p).is_file()]
        picked["lexicons"] = [str(p) for p in found]
    return picked


def resolve(output: Path, given: dict[str, Any]) -> Options:
    """The remembered options with those given on the command line (not None) put over them."""
    explicit = {k: v for k, v in given.items() if v is not None and v != ()}
    if "lexicons" in explicit:
        explicit["lexicons"] = tuple(Path(p).resolve() for p in explicit["lexicons"])
    return replace(remembered(output), **explicit)


def remember(output: Path, options: Options) -> None:
    """Record the options a command runs with; a folder that cannot be written is reported
    by the run itself."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        write_json(output / FILE, options.to_json())
    except OSError:
        pass
