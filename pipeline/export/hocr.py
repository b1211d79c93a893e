"""hOCR (XHTML) of the final words, in the same shape Tesseract writes it.

One `ocr_carea`/`ocr_par` a paragraph in reading order, one line span a run of the paragraph on
one OCR line (`ocr_header` for headlines and `ocr_caption` for captions, as Tesseract marks
them, else `ocr_line`), one `ocrx_word` a final word. hOCR has no markup for a word broken
across lines, so such a word is one `ocrx_word` on the line where it starts, with the box of
its first half and its whole corrected text.
"""

from __future__ import annotations

from lxml import etree

from pipeline import __version__
from pipeline.export.words import ExportPage, blocks
from pipeline.model import Box

XHTML = "http://www.w3.org/1999/xhtml"
DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
LINE_CLASS = {"headline": "ocr_header", "caption": "ocr_caption"}


def element(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{XHTML}}}{tag}", attrs)


def bbox_title(box: Box) -> str:
    return "bbox {} {} {} {}".format(*box)


def hocr_document(
    title: str, width: int, height: int, dpi: float, image_name: str, capabilities: str
) -> tuple[etree._Element, etree._Element]:
    """An hOCR page skeleton: the root element and its `ocr_page` div to fill."""
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    root.set("lang", "en")
    head = element(root, "head")
    element(head, "title").text = title
    element(head, "meta", **{"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    element(head, "meta", name="ocr-system", content=f"ocr-pipeline {__version__}")
    element(head, "meta", name="ocr-capabilities", content=capabilities)
    body = element(root, "body")
    dpi = round(dpi)
    div = element(
        body,
        "div",
        **{
            "class": "ocr_page",
            "id": "page_1",
            "title": f'image "{image_name}"; {bbox_title((0, 0, width, height))}; '
            f"ppageno 0; scan_res {dpi} {dpi}",
        },
    )
    return root, div


def word_span(
    line: etree._Element, word_id: str, text: str, box: Box | None, conf: float | None
) -> etree._Element:
    """One `ocrx_word`: its box and, when OCR gave one, its confidence."""
    title = bbox_title(box) if box else ""
    if conf is not None:
        title += f"; x_wconf {round(conf)}"
    w = element(line, "span", **{"class": "ocrx_word", "id": word_id, "title": title})
    w.text = text
    return w


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE, pretty_print=True
    )


def to_hocr(page: ExportPage, image_name: str = "1-preprocess/image.png") -> bytes:
    """The page as hOCR bytes (UTF-8 XHTML)."""
    root, div = hocr_document(
        page.name,
        page.width,
        page.height,
        page.dpi,
        image_name,
        "ocr_page ocr_carea ocr_par ocr_line ocr_header ocr_caption ocrx_word",
    )
    for n, p, line_runs, block_box in blocks(page, whole_words=True):
        box = bbox_title(block_box)
        area = element(div, "div", **{"class": "ocr_carea", "id": f"block_{n}", "title": box})
        par = element(area, "p", **{"class": "ocr_par", "id": f"par_{n}", "title": box})
        for k, run in enumerate(line_runs):
            line_id = f"line_{n}_{k + 1}"
            span = element(
                par,
                "span",
                **{"class": LINE_CLASS.get(p.kind, "ocr_line"), "id": line_id},
            )
            span.set("title", bbox_title(run.box))
            for m, (word, i) in enumerate(run.items):
                word_span(
                    span, f"word_{n}_{k + 1}_{m + 1}", word.text, word.parts[i].box, word.conf
                )
    return serialize(root)
