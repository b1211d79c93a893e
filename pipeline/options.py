"""One immutable model of the options every stage reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pipeline.stages import STAGE_DIRS, STAGES, stage

__all__ = ["Options", "STAGES", "STAGE_DIRS"]


@dataclass(frozen=True)
class Options:
    lang: str = "eng"  # Tesseract language; also picks the lexicon language
    lexicons: tuple[Path, ...] = field(default_factory=tuple)  # user word lists, one word a line
    psm: int = 3  # Tesseract page segmentation mode (3 = fully automatic, finds columns)
    timeout: float = 300.0  # seconds Tesseract may take on one page
    target_xheight: int = 20  # median letter height, px (small text is upsampled towards it)
    pdf_dpi: int = 300  # resolution PDF pages are rendered at

    def for_stage(self, name: str) -> dict[str, Any]:
        """The options that can change a stage's output: part of its fingerprint."""
        d = self.to_json()
        return {k: d[k] for k in stage(name).option_keys}

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["lexicons"] = [str(p) for p in self.lexicons]
        return d

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Options:
        """Known fields only (a file written by another version may have more or fewer)."""
        known = {f.name for f in fields(cls)}
        d = {k: v for k, v in data.items() if k in known}
        if "lexicons" in d:
            d["lexicons"] = tuple(Path(p) for p in d["lexicons"])
        return cls(**d)
