"""Word-level diff of two stages' text, for `ocr-pipeline inspect PAGE --diff A B`.

Words, not characters or lines: stages change words (a split word joined, a junk line dropped,
a misread word corrected) and re-flow lines (stage 2 keeps Tesseract's lines, stages 3 and 4
one paragraph a line), so a line diff would mark nearly everything as changed.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

from pipeline.stages import STAGE_DIRS, STAGES

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
RED, GREEN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"
STRIKE = "\x1b[9m"

Op = tuple[str, str]  # (EQUAL | DELETE | INSERT, words joined by single spaces)


def word_diff(a: str, b: str) -> list[Op]:
    """Turn text `a` into text `b` word by word; a replacement is a delete then an insert."""
    wa, wb = a.split(), b.split()
    ops: list[Op] = []
    # autojunk off: in a long page "the" is frequent, and treating it as junk hides real matches
    for tag, i0, i1, j0, j1 in SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append((EQUAL, " ".join(wa[i0:i1])))
            continue
        if i1 > i0:
            ops.append((DELETE, " ".join(wa[i0:i1])))
        if j1 > j0:
            ops.append((INSERT, " ".join(wb[j0:j1])))
    return ops


def _mark(op: str, word: str, color: bool, first: bool, last: bool) -> str:
    """One word of a run: coloured alone, or inside markers that open and close the run."""
    if op == EQUAL:
        return word
    if color:
        return f"{RED}{STRIKE}{word}{RESET}" if op == DELETE else f"{GREEN}{word}{RESET}"
    opening, closing = ("[-", "-]") if op == DELETE else ("{+", "+}")
    return f"{opening if first else ''}{word}{closing if last else ''}"


def render_diff(ops: list[Op], color: bool, width: int = 100) -> str:
    """The diff as text wrapped at `width` visible columns (0: no wrapping).

    With `color`, deletions are red and struck through and insertions green (ANSI codes);
    without, wdiff's `[-old-]` and `{+new+}` markers, which survive pipes and files.
    """
    lines: list[str] = []
    line: list[str] = []
    seen = 0  # visible width of `line`
    for op, text in ops:
        words = text.split(" ")
        for k, word in enumerate(words):
            first, last = k == 0, k == len(words) - 1
            shown = _mark(op, word, color, first, last)
            visible = len(word) if color else len(shown)
            if width and line and seen + 1 + visible > width:
                lines.append(" ".join(line))
                line, seen = [], 0
            seen += visible + (1 if line else 0)
            line.append(shown)
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines)


def stage_dir(name: str) -> str:
    """`2`, `ocr` or `2-ocr` -> `2-ocr`; only stages that write a text.txt are accepted."""
    key = name.strip().lower()
    for i, stage in enumerate(STAGES, start=1):
        if key in (str(i), stage, STAGE_DIRS[stage]):
            if stage == "preprocess":
                break
            return STAGE_DIRS[stage]
    choices = ", ".join(f"{i}/{s}" for i, s in enumerate(STAGES, start=1) if s != "preprocess")
    raise ValueError(f"{name!r} is not a stage with text; choose one of {choices}")


def stage_diff(page_dir: Path, a: str, b: str, color: bool) -> str:
    """The word diff from stage `a`'s text.txt to stage `b`'s in one page folder.

    Raises ValueError for an unknown stage and FileNotFoundError when a stage has no text
    (not run, failed, or a `.txt` input, which has no OCR stage).
    """
    texts = []
    for name in (a, b):
        path = Path(page_dir) / stage_dir(name) / "text.txt"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no text for stage {name} in this page folder")
        texts.append(path.read_text(encoding="utf-8"))
    return render_diff(word_diff(texts[0], texts[1]), color)
