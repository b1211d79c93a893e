"""A searchable PDF: the page image with the final words as an invisible text layer.

The page is the size of the image at its dpi (pixels * 72 / dpi points). Each word is drawn in
text render mode 3 (invisible) on its box: the font size from its line's height, so a line
shares one baseline and a reader selects it as a line, and the horizontal scale fitted to the
word's box width, so a search hit highlights the word on the image. Words are written in
reading order with a space after each, so the extracted text is the final text. A word broken
across lines is written whole on its first half (PDF text has no hyphenation markup). A word
box that runs over the next word's is cut where the next begins: readers drop overlapping
letters as duplicates. One reader heuristic remains: pdfium (Chrome) joins a token that itself
ends in a hyphen at a line end (a word cut off at a column foot) to the next line's text.

Built with reportlab; the font is a TrueType sans (DejaVu or Liberation, embedded as a subset
with a ToUnicode map) so any Unicode letter extracts right, Helvetica when none is installed.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline import __version__
from pipeline.export.words import ExportPage, runs

FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
)
ASCENT, DESCENT = 0.93, 0.24  # of the font size: the highlight spans baseline-0.24..+0.93


@lru_cache(maxsize=1)
def text_font() -> str:
    """Register the first TrueType font found; Helvetica (Latin-1 only) otherwise."""
    for f in FONT_FILES:
        if f.exists():
            pdfmetrics.registerFont(TTFont("OcrText", str(f)))
            return "OcrText"
    return "Helvetica"


def to_pdf(page: ExportPage) -> bytes:
    """The page as PDF bytes; needs page.image."""
    if page.image is None:
        raise ValueError(f"{page.name}: no page image to make a PDF from")
    k = 72.0 / page.dpi
    pw, ph = page.width * k, page.height * k
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(pw, ph), invariant=1, pageCompression=1)
    c.setTitle(page.name)
    c.setCreator(f"ocr-pipeline {__version__}")
    with Image.open(page.image) as im:
        # reportlab turns 1-bit images into RGB; grey is a third of that and compresses alike
        gray = im.convert("L")
    c.drawImage(ImageReader(gray), 0, 0, width=pw, height=ph)
    font = text_font()
    text = c.beginText()
    text.setTextRenderMode(3)
    for p in page.paragraphs:
        for run in runs(p, whole_words=True):
            x0, y0, x1, y1 = run.box
            size = max(1.0, (y1 - y0) * k / (ASCENT + DESCENT))
            baseline = ph - y1 * k + DESCENT * size
            for n, (word, i) in enumerate(run.items):
                box = word.parts[i].box
                right = box[2]
                if n + 1 < len(run.items):
                    nxt = run.items[n + 1]
                    # a box running over the next word's (OCR noise) would make readers drop
                    # the overlapping letters as duplicates: stop it where the next begins
                    next_x0 = nxt[0].parts[nxt[1]].box[0]
                    if box[0] < next_x0 < right:
                        right = next_x0 - 1
                natural = pdfmetrics.stringWidth(word.text, font, size)
                width = max(1, right - box[0]) * k
                scale = 100.0 * width / natural if natural > 0 else 100.0
                text.setFont(font, size)
                text.setHorizScale(scale)
                text.setTextOrigin(box[0] * k, baseline)
                text.textOut(word.text + " ")
    c.drawText(text)
    c.showPage()
    c.save()
    return buf.getvalue()
