"""Plain text: the final transcription, exactly as 4-correct/text.txt.

Written beside the other exports so a folder of `<name>.txt` files can be collected without
knowing the stage layout; it is the one export every page has, image or raw text.
"""

from __future__ import annotations

from pipeline.export.words import ExportPage


def to_txt(page: ExportPage) -> bytes:
    return page.text.encode("utf-8")
