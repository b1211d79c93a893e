"""`ocr-pipeline inspect`: what each stage of one page did, in a few terminal lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline import manifest
from pipeline.fileio import read_json
from pipeline.model import RepairedPage
from pipeline.stages import STAGE_DIRS, STAGES
from pipeline.stages import stage as stage_of

# (stats key, format); a pair of formats is (one, many) for counts
Format = str | tuple[str, str]
HEADLINES: dict[str, list[tuple[str, Format]]] = {
    "preprocess": [
        ("skew_deg", "skew {}°"),
        ("scale", "scaled x{}"),
        ("dpi_in", "dpi {}"),
        ("dpi_out", "-> {}"),
        ("borders_removed", ("{} border painted out", "{} borders painted out")),
    ],
    "ocr": [
        ("words", ("{} word", "{} words")),
        ("mean_conf", "mean confidence {}"),
        ("lines", ("{} line", "{} lines")),
    ],
    "repair": [
        ("paragraphs", ("{} paragraph", "{} paragraphs")),
        ("columns", ("{} column", "{} columns")),
        ("lines_joined", ("{} line joined", "{} lines joined")),
        ("hyphens_removed", ("{} hyphen removed", "{} hyphens removed")),
        ("hyphens_kept", "{} kept"),
        ("junk_dropped", ("{} junk line dropped", "{} junk lines dropped")),
        ("articles", ("{} article", "{} articles")),
    ],
    "correct": [
        ("corrections", ("{} correction", "{} corrections")),
        ("unknown_left", ("{} unknown word left", "{} unknown words left")),
    ],
}


def _format(fmt: Format, value: Any) -> str:
    if isinstance(fmt, tuple):
        fmt = fmt[0] if value == 1 else fmt[1]
    return fmt.format(value)


def headline(stage: str, stats: dict[str, Any]) -> str:
    parts = [_format(fmt, stats[k]) for k, fmt in HEADLINES[stage] if stats.get(k) is not None]
    return ", ".join(parts)


def summarise(page_dir: Path) -> str:
    man = manifest.load(page_dir)
    if not man:
        raise FileNotFoundError(f"{page_dir}: no manifest.json; is this a page folder of a run?")
    lines = [
        f"{man.get('name', page_dir.name)}  <- {man.get('source')}"
        + (f" (page {man['page']})" if man.get("page", 1) > 1 else ""),
        f"status: {man.get('status', 'unknown')}"
        + (f"  ({man['error']})" if man.get("error") else ""),
    ]
    for stage in STAGES:
        entry = man.get("stages", {}).get(stage)
        if entry is None:
            if man.get("kind") == "text" and stage_of(stage).image_only:
                continue
            lines.append(f"  {STAGE_DIRS[stage]:<13} not run")
            continue
        secs = entry.get("seconds")
        secs_txt = f"{secs:7.2f}s" if secs is not None else "        "
        detail = entry.get("error") or headline(stage, entry.get("stats") or {})
        lines.append(
            f"  {STAGE_DIRS[stage]:<13} {entry.get('status', '?'):<7} {secs_txt}  {detail}"
        )
    lines += _articles(page_dir)
    final = page_dir / STAGE_DIRS["correct"] / "text.txt"
    if final.is_file():
        words = len(final.read_text(encoding="utf-8").split())
        lines.append(f"final text: {final} ({words} words)")
    return "\n".join(lines)


def _articles(page_dir: Path) -> list[str]:
    """The page's articles by their headlines (a page read as one story has none listed)."""
    path = page_dir / STAGE_DIRS["repair"] / "repair.json"
    try:
        page = RepairedPage.from_json(read_json(path))
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not page.articles:
        return []
    text = {p.id: p.text for p in page.paragraphs}
    out = [f"articles: {len(page.articles)}" + (" + page furniture" if page.furniture else "")]
    for k, art in enumerate(page.articles, 1):
        head = art.headline_text(text) or "(no headline)"
        if len(head) > 70:
            head = head[:67] + "..."
        out.append(f"  {k:>2}. {head}  ({len(art.paragraphs)} paragraphs)")
    return out
