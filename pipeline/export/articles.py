"""One file an article: `OUTPUT/<name>/articles/NN-<slug>.txt`, headline on the first line,
and `articles/articles.json` listing them with the page furniture.

Read from the final text (`4-correct/text.txt`), split where stage 3 put its separators, so a
hand edit of the final text is exported as edited. A page read as one story is one article.
The page furniture (running head, folio, adverts, jump lines) is listed in articles.json only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.fileio import read_json, write_text
from pipeline.model import split_article_text

FOLDER = "articles"
SLUG_MAX = 40  # characters of the headline kept in a file name


def slug(headline: str) -> str:
    """`THE FLOOD AT ELY: Farms Lost` -> `the-flood-at-ely-farms-lost` (ASCII letters, digits)."""
    s = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
    return s[:SLUG_MAX].rstrip("-") or "article"


def write_articles(page_dir: Path, text: str) -> list[Path]:
    """Write the page's article files and articles.json; files of an earlier export that are no
    longer articles are removed. Returns the files written."""
    page_dir = Path(page_dir)
    folder = page_dir / FOLDER
    articles, furniture = split_article_text(text)
    boxes = _boxes(page_dir, len(articles))
    written: list[Path] = []
    listed = []
    for n, body in enumerate(articles, 1):
        headline = body.split("\n", 1)[0].strip()
        name = f"{n:02d}-{slug(headline)}.txt"
        written.append(write_text(folder / name, body + "\n"))
        listed.append(
            {
                "n": n,
                "file": name,
                "headline": headline,
                "words": len(body.split()),
                "box": boxes[n - 1],
            }
        )
    index = {"page": page_dir.name, "articles": listed, "furniture": furniture}
    written.append(write_text(folder / "articles.json", json.dumps(index, indent=1) + "\n"))
    keep = {p.name for p in written}
    for old in folder.glob("*.txt"):
        if old.name not in keep:
            old.unlink()
    return written


def _boxes(page_dir: Path, n: int) -> list[list[int] | None]:
    """Each article's box on the page image from repair.json, when its articles are the text's."""
    try:
        found = read_json(page_dir / "3-repair" / "repair.json").get("articles") or []
    except (OSError, ValueError):
        found = []
    if len(found) != n:
        return [None] * n
    return [a.get("box") for a in found]
