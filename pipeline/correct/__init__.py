"""Stage 4, correct: fix OCR misreadings against the frequency lexicon, logging every change.

Reads `3-repair/repair.json` and `3-repair/text.txt`. If the text file no longer matches the
paragraphs of repair.json, a person edited it by hand: its paragraphs (blank-line separated)
are corrected instead, with no source ids. A page of several articles keeps them: the
separator lines (`---` between articles, `===` before the page furniture) are never words to
correct, and `text.txt` is written article by article as stage 3 wrote it. Writes
`text.txt`, `corrections.tsv` (one row per change; `score` is the log10 odds for the
replacement, see `corrector`) and `correct.json`.

Besides non-words, it fixes real-word errors (`tho`, `arc`, `bo`, `ot` for the, are, be, of)
from word-pair counts (`context`, `bigrams`), lost and extra spaces (`spacing`), and trusts the
words a batch repeats (`batchlex`, given as `batch_lexicon`) and the user's lexicons.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pipeline import fileio, lexicon
from pipeline.correct import batchlex, learned
from pipeline.correct.batchlex import Knowledge
from pipeline.correct.corrector import (
    Correction,
    Corrector,
    correct_paragraphs,
    unknown_left,
)
from pipeline.figures import CorrectFigures
from pipeline.model import (
    ARTICLE_SEP,
    FURNITURE_SEP,
    Article,
    Paragraph,
    RepairedPage,
    Token,
    article_text,
)
from pipeline.options import Options

__all__ = [
    "Correction",
    "Corrector",
    "batchlex",
    "correct_paragraphs",
    "paragraphs_from_text",
    "sections_from_text",
    "run",
]

TSV_HEADER = ("paragraph", "token", "original", "replacement", "score", "reason")


def paragraphs_from_text(text: str) -> list[Paragraph]:
    """Paragraphs of a hand-edited text.txt: blank lines part paragraphs, whitespace words."""
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return [
        Paragraph(f"t{i}", [Token(w) for w in block.split()]) for i, block in enumerate(blocks, 1)
    ]


def sections_from_text(text: str) -> tuple[list[Paragraph], list[Article], list[str]]:
    """Paragraphs of a hand-edited text.txt with its articles and furniture: a paragraph that
    is a separator line alone (`---`, `===`) is a boundary, not text. No separator: no articles."""
    paragraphs = paragraphs_from_text(text)
    marks = {ARTICLE_SEP, FURNITURE_SEP}
    if not any(p.text in marks for p in paragraphs):
        return paragraphs, [], []
    kept: list[Paragraph] = []
    groups: list[list[str]] = [[]]
    furniture: list[str] = []
    in_furniture = False
    for p in paragraphs:
        if p.text == FURNITURE_SEP:
            in_furniture = True
        elif p.text == ARTICLE_SEP and not in_furniture:
            groups.append([])
        elif p.text not in marks:
            kept.append(p)
            (furniture if in_furniture else groups[-1]).append(p.id)
    articles = [Article(f"a{i}", ids) for i, ids in enumerate((g for g in groups if g), 1)]
    if not articles and furniture:
        articles = [Article("a1", [])]
    return kept, articles, furniture


def _tsv_field(value: object) -> str:
    return str(value).replace("\t", " ").replace("\n", " ")


def corrections_tsv(corrections: list[Correction]) -> str:
    rows = ["\t".join(TSV_HEADER)]
    for c in corrections:
        fields = (c.paragraph, c.token, c.original, c.replacement, f"{c.score:.2f}", c.reason)
        rows.append("\t".join(_tsv_field(f) for f in fields))
    return "\n".join(rows) + "\n"


@lru_cache(maxsize=4)
def _from_batch(path: str, _mtime_ns: int, _size: int, lex: lexicon.Lexicon) -> Knowledge:
    """What the batch teaches, worked out once per worker for the whole batch, not once a page."""
    return batchlex.knowledge(batchlex.load(Path(path)), lex)


def run(
    repair_dir: Path, out_dir: Path, options: Options, batch_lexicon: Path | None = None
) -> CorrectFigures:
    """Correct one page's repaired text; returns stats (tokens, corrections, unknown_left, ...).

    `batch_lexicon` is a `batchlex.save` file learned over the whole batch: its words seen on
    two pages or more are trusted (never replaced, counted as known), the letter slips its
    words repeat (`learned`) are look-alikes for this batch's unknown words, and rare words
    it prints far too often (`waa`, `batchlex.misread`) are taken for its misreadings.
    """
    repair_dir, out_dir = Path(repair_dir), Path(out_dir)
    page = RepairedPage.from_json(fileio.read_json(repair_dir / "repair.json"))
    paragraphs, articles, furniture = page.paragraphs, page.articles, page.furniture
    text_file = repair_dir / "text.txt"
    hand_edited = False
    if text_file.exists():
        text = text_file.read_text(encoding="utf-8")
        if text != page.text:
            hand_edited = True
            paragraphs, articles, furniture = sections_from_text(text)
    lex = lexicon.load(options.lang, tuple(options.lexicons))
    known = Knowledge()
    if batch_lexicon is not None:
        st = Path(batch_lexicon).stat()
        known = _from_batch(str(batch_lexicon), st.st_mtime_ns, st.st_size, lex)
    corrector = Corrector(lex, known)
    corrected, corrections = correct_paragraphs(paragraphs, lex, corrector)
    fileio.write_text(out_dir / "text.txt", article_text(corrected, articles, furniture))
    fileio.write_text(out_dir / "corrections.tsv", corrections_tsv(corrections))
    result: dict = {"paragraphs": [p.to_json() for p in corrected]}
    if articles:  # the article structure, for `edits.written_text` and readers of the JSON
        result["articles"] = [a.to_json() for a in articles]
        result["furniture"] = furniture
    fileio.write_json(out_dir / "correct.json", result)
    return {
        "tokens": sum(len(p.tokens) for p in corrected),
        "corrections": len(corrections),
        "unknown_left": unknown_left(corrected, lex),
        "hand_edited": hand_edited,
        "batch_slips": learned.describe(known.slips),
    }
