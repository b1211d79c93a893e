"""Plain helpers shared by the test files (fixtures are in `tests/conftest.py`)."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from pipeline.cli import cli

# a two-paragraph raw-text page
RAW = "The council met on Tuesday.\n\nIt agreed to build the new bridge over the river.\n"

NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def invoke(*args: str) -> Result:
    """Run the command line in this process, exceptions raised rather than caught."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text())


def summary(out: Path) -> dict:
    """The batch's `run.json`."""
    return read_json(out / "run.json")


def manifest(page_dir: Path) -> dict:
    """A page folder's `manifest.json`."""
    return read_json(page_dir / "manifest.json")


def without_root_override(cmd: list[str]) -> list[str]:
    """Root reads every file; without its two file-permission capabilities it meets real
    permission errors, as any user does."""
    if os.geteuid() != 0:
        return cmd
    if subprocess.run([*NO_DAC, "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot drop root's file-permission capabilities here (setpriv)")
    return [*NO_DAC, *cmd]


def png_bytes(img: Image.Image) -> bytes:
    """An image's PNG encoding: two renders are the same page when these bytes are equal."""
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
