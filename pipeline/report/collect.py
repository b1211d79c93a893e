"""Read one page folder into what the report shows; tolerant, since failed pages lack files."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import manifest
from pipeline.errors import PageError
from pipeline.lexicon import Lexicon
from pipeline.model import OcrPage, Paragraph, RepairedPage
from pipeline.repair.textinput import read_text
from pipeline.report.quality import junk_share, known_share, quality_score
from pipeline.stages import STAGE_DIRS, STAGES

EVAL_KEYS = ("baseline", "stage2", "stage3", "stage4")  # columns, in this order, when present


@dataclass
class Correction:
    paragraph: str
    token: int  # index in the paragraph's tokens, 0-based
    original: str
    replacement: str
    score: str
    reason: str


@dataclass
class PageData:
    name: str
    dir: Path
    kind: str  # image | text
    status: str
    error: str | None
    source: str
    seconds: dict[str, float | None]
    stats: dict[str, dict[str, Any]]
    words: int | None  # words of the final text
    mean_conf: float | None
    corrections_made: int | None
    known: float | None
    junk: float | None
    quality: float | None
    evals: dict[str, dict[str, float]] = field(default_factory=dict)
    ocr: OcrPage | None = None
    raw_lines: list[tuple[str, list[tuple[str, str]]]] | None = None  # .txt input: (id, words)
    repaired: RepairedPage | None = None
    corrected: list[Paragraph] | None = None
    corrections: list[Correction] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # stage -> text.txt

    @property
    def image(self) -> Path | None:
        path = self.dir / STAGE_DIRS["preprocess"] / "image.png"
        return path if path.is_file() else None


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_corrections(text: str) -> list[Correction]:
    rows = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    out = []
    for r in rows:
        try:
            out.append(
                Correction(
                    r["paragraph"],
                    int(r["token"]),
                    r["original"],
                    r["replacement"],
                    r.get("score") or "",
                    r.get("reason") or "",
                )
            )
        except (KeyError, TypeError, ValueError):
            continue  # a hand-damaged row costs only its mark
    return out


def _raw_lines(source: str) -> list[tuple[str, list[tuple[str, str]]]] | None:
    """A `.txt` input's lines with the ids the repair stage gave them (`t<n>`, `t<n>.<k>`)."""
    try:
        raw = read_text(Path(source))
    except (OSError, PageError):
        return None
    lines = []
    for n, row in enumerate(raw.split("\n"), start=1):
        if row.split():
            lines.append((f"t{n}", [(f"t{n}.{k}", w) for k, w in enumerate(row.split(), 1)]))
    return lines


def _safe(load, data):
    try:
        return load(data) if data is not None else None
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def read_page(page_dir: Path, lexicon: Lexicon, evals: dict[str, Any] | None = None) -> PageData:
    man = manifest.load(page_dir)
    entries = man.get("stages") or {}
    stats = {s: dict((entries.get(s) or {}).get("stats") or {}) for s in STAGES}
    texts = {}
    for stage in ("ocr", "repair", "correct"):
        t = _text(page_dir / STAGE_DIRS[stage] / "text.txt")
        if t is not None:
            texts[stage] = t
    final = texts.get("correct")
    known = known_share(final.split(), lexicon) if final is not None else None
    junk = junk_share(stats["repair"])
    mean_conf = stats["ocr"].get("mean_conf")
    kind = man.get("kind", "image")
    page = PageData(
        name=man.get("name", page_dir.name),
        dir=page_dir,
        kind=kind,
        status=man.get("status", "unknown"),
        error=man.get("error"),
        source=str(man.get("source", "")),
        seconds={s: (entries.get(s) or {}).get("seconds") for s in STAGES},
        stats=stats,
        words=len(final.split()) if final is not None else None,
        mean_conf=mean_conf,
        corrections_made=stats["correct"].get("corrections"),
        known=known,
        junk=junk,
        quality=quality_score(mean_conf, known, junk) if final is not None else None,
        texts=texts,
    )
    page.evals = {
        k: v for k, v in ((evals or {}).get(page_dir.name) or {}).items() if isinstance(v, dict)
    }
    page.ocr = _safe(OcrPage.from_json, _json(page_dir / STAGE_DIRS["ocr"] / "ocr.json"))
    page.repaired = _safe(
        RepairedPage.from_json, _json(page_dir / STAGE_DIRS["repair"] / "repair.json")
    )
    corrected = _json(page_dir / STAGE_DIRS["correct"] / "correct.json")
    page.corrected = _safe(lambda d: [Paragraph.from_json(p) for p in d["paragraphs"]], corrected)
    tsv = _text(page_dir / STAGE_DIRS["correct"] / "corrections.tsv")
    page.corrections = read_corrections(tsv) if tsv else []
    if kind == "text" and page.source:
        page.raw_lines = _raw_lines(page.source)
    return page


def read_evals(output: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """eval.json's per-page and median figures; empty when there is none or it is unreadable."""
    data = _json(output / "eval.json")
    if not isinstance(data, dict):
        return {}, {}
    pages = data.get("pages") if isinstance(data.get("pages"), dict) else {}
    median = data.get("median") if isinstance(data.get("median"), dict) else {}
    return pages, median
