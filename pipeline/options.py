"""One immutable model of the options every stage reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STAGES = ("preprocess", "ocr", "repair", "correct")
STAGE_DIRS = {name: f"{i}-{name}" for i, name in enumerate(STAGES, start=1)}


@dataclass(frozen=True)
class Options:
    lang: str = "eng"  # Tesseract language; also picks the lexicon language
    lexicons: tuple[Path, ...] = field(default_factory=tuple)  # user word lists, one word a line
    psm: int = 3  # Tesseract page segmentation mode (3 = fully automatic, finds columns)
    timeout: float = 300.0  # seconds Tesseract may take on one page
    target_xheight: int = 20  # median letter height, px; smaller text is upsampled to it
    pdf_dpi: int = 300  # resolution PDF pages are rendered at

    def for_stage(self, stage: str) -> dict[str, Any]:
        """The options that can change a stage's output: part of its fingerprint."""
        d = asdict(self)
        d["lexicons"] = [str(p) for p in self.lexicons]
        keys = {
            "preprocess": ["target_xheight", "pdf_dpi"],
            "ocr": ["lang", "psm"],
            "repair": ["lang", "lexicons"],
            "correct": ["lang", "lexicons"],
        }[stage]
        return {k: d[k] for k in keys}
