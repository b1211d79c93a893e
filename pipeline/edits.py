"""Hand edits of a stage's `text.txt` are never lost when that stage runs again.

People edit `3-repair/text.txt` or `4-correct/text.txt`; a later re-run of the stage (a new
`--lexicon`, `--force`, a damaged manifest) would write over it. An edit is told from the
stage's own JSON, not the manifest (which may be the very thing that was damaged): the text a
stage writes is always `article_text` of the paragraphs (and articles) in its JSON, so a
`text.txt` that differs was edited, and is renamed to `text.txt.edited-<time>` before the
stage's files are removed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pipeline.fileio import read_json
from pipeline.model import Article, Paragraph, article_text

EDITABLE = {"repair": "repair.json", "correct": "correct.json"}  # stage -> the JSON of its text


def written_text(stage_dir: Path, json_name: str) -> str | None:
    """The text the stage wrote, rebuilt from its JSON; None when that cannot be read."""
    try:
        data = read_json(stage_dir / json_name)
        paras = [Paragraph.from_json(p) for p in data["paragraphs"]]
        articles = [Article.from_json(a) for a in data.get("articles", [])]
        return article_text(paras, articles, list(data.get("furniture", [])))
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None


def keep_edit(stage: str, stage_dir: Path) -> Path | None:
    """Rename a hand-edited `text.txt` of `stage` aside; return its new path (None if unedited)."""
    if stage not in EDITABLE:
        return None
    text_file = stage_dir / "text.txt"
    try:
        text = text_file.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    written = written_text(stage_dir, EDITABLE[stage])
    if written is None or text == written:
        return None  # not edited, or nothing to tell an edit by (the stage never finished)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = stage_dir / f"text.txt.edited-{stamp}"
    n = 1
    while kept.exists():
        n += 1
        kept = stage_dir / f"text.txt.edited-{stamp}-{n}"
    text_file.rename(kept)
    return kept
