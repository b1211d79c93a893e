"""The headline figures a stage returns and the manifest stores, as typed shapes.

`TypedDict`s, not dataclasses: the figures travel as JSON in manifest.json and are read back
by inspect and the report as plain dicts; the types say what keys a stage promises.
"""

from __future__ import annotations

from typing import TypedDict


class OcrFigures(TypedDict):
    words: int
    lines: int
    blocks: int
    mean_conf: float | None  # None when Tesseract found no word
    low_conf_words: int  # confidence under 60
    sideways_reread: int  # lines set sideways read again turned upright (ocr/sideways.py)
    # the reading kept (ocr/columns.py): "" (read once), "reread", "estimated", "cut" or "first"
    columns_reread: str
    sharpened_reread: str  # "" (not soft), or which reading was kept (ocr/soft.py READINGS)
    unread_lines: int  # lines of text Tesseract left unread, read again blurred (ocr/unread.py)


class CorrectFigures(TypedDict):
    tokens: int
    corrections: int
    unknown_left: int
    hand_edited: bool  # 3-repair/text.txt was edited: word ids are lost for this page
    batch_slips: str  # the batch's learned letter slips, `r->t, ...` or `none`
