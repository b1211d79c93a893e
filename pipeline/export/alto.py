"""ALTO XML v4 (valid against ALTO 4.4), the format newspaper archives load.

One TextBlock a paragraph in reading order (its kind as a StructureTag; on a page of several
articles also its article's, and `IDNEXT` naming the next block of the same article, so each
article is one chain of blocks from its headline on), one TextLine a run of
the paragraph on one OCR line, one String a word piece with its box in pixels of
`1-preprocess/image.png`. A word broken at a line end is written the ALTO way: `String
CONTENT="So" SUBS_TYPE="HypPart1" SUBS_CONTENT="Soviets"`, `HYP CONTENT="-"` closing the line,
then `String CONTENT="viets" SUBS_TYPE="HypPart2" SUBS_CONTENT="Soviets"` on the next.
"""

from __future__ import annotations

from lxml import etree

from pipeline import __version__
from pipeline.export.words import ExportPage, LineRun, blocks
from pipeline.model import Box

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/alto/v4/alto-4-4.xsd"


def _el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def _pos(box: Box) -> dict[str, str]:
    x0, y0, x1, y1 = box
    return {"HPOS": str(x0), "VPOS": str(y0), "WIDTH": str(x1 - x0), "HEIGHT": str(y1 - y0)}


def _wc(conf: float | None) -> dict[str, str]:
    if conf is None:
        return {}
    return {"WC": f"{min(1.0, max(0.0, conf / 100)):.2f}"}


def _line(block: etree._Element, run: LineRun, line_id: str) -> None:
    el = _el(block, "TextLine", ID=line_id, **_pos(run.box))
    last = len(run.items) - 1
    hyp: tuple[str, Box | None] | None = None
    for k, (word, i) in enumerate(run.items):
        part = word.parts[i]
        attrs = {"ID": f"{line_id}_S{k + 1}", "CONTENT": part.text, **_pos(part.box)}
        if word.hyphenated:
            attrs["SUBS_TYPE"] = "HypPart1" if i < len(word.parts) - 1 else "HypPart2"
            attrs["SUBS_CONTENT"] = word.text
        attrs.update(_wc(word.conf))
        _el(el, "String", **attrs)
        if k < last:
            nxt = run.items[k + 1]
            gap_x0, gap_x1 = part.box[2], nxt[0].parts[nxt[1]].box[0]
            sp = {"HPOS": str(gap_x0), "VPOS": str(part.box[1])} if gap_x1 > gap_x0 else {}
            if sp:
                sp["WIDTH"] = str(gap_x1 - gap_x0)
            _el(el, "SP", **sp)
        elif i < len(word.parts) - 1:
            hyp = (part.hyphen, part.hyphen_box)  # ALTO allows HYP only at a line end
    if hyp and hyp[0]:
        pos = _pos(hyp[1]) if hyp[1] else {}
        _el(el, "HYP", CONTENT=hyp[0], **pos)


def to_alto(page: ExportPage, image_name: str = "1-preprocess/image.png") -> bytes:
    """The page as ALTO 4.4 bytes (UTF-8, with XML declaration)."""
    root = etree.Element(f"{{{NS}}}alto", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("SCHEMAVERSION", "4.4")
    desc = _el(root, "Description")
    _el(desc, "MeasurementUnit").text = "pixel"
    _el(_el(desc, "sourceImageInformation"), "fileName").text = image_name
    proc = _el(desc, "Processing", ID="PROC1")
    _el(proc, "processingCategory").text = "contentGeneration"
    _el(
        proc, "processingStepDescription"
    ).text = "Tesseract OCR, reading-order and hyphenation repair, lexicon correction"
    soft = _el(proc, "processingSoftware")
    _el(soft, "softwareName").text = "ocr-pipeline"
    _el(soft, "softwareVersion").text = __version__

    kinds = sorted({p.kind for p in page.paragraphs if any(w.parts for w in p.words)})
    placed = list(blocks(page, whole_words=False))
    block_of = {p.id: f"TB{n}" for n, p, _, _ in placed}
    article_of: dict[str, str] = {}  # paragraph id -> its article's tag
    next_of: dict[str, str] = {}  # block id -> the next block of its article
    for k, (_, ids) in enumerate(page.articles, 1):
        chain = [block_of[i] for i in ids if i in block_of]
        article_of.update({i: f"ART{k}" for i in ids})
        next_of.update(zip(chain, chain[1:], strict=False))
    if kinds:
        tags = _el(root, "Tags")
        for kind in kinds:
            _el(tags, "StructureTag", ID=f"KIND_{kind}", TYPE="paragraph", LABEL=kind)
        for k, (head, _) in enumerate(page.articles, 1):
            _el(tags, "StructureTag", ID=f"ART{k}", TYPE="article", LABEL=head or f"article {k}")

    layout = _el(root, "Layout")
    whole = (0, 0, page.width, page.height)
    pg = _el(
        layout,
        "Page",
        ID="PAGE1",
        PHYSICAL_IMG_NR="1",
        WIDTH=str(page.width),
        HEIGHT=str(page.height),
        PROCESSING="PROC1",
    )
    space = _el(pg, "PrintSpace", **_pos(whole))
    for n, p, line_runs, box in placed:
        block_id = f"TB{n}"
        refs = " ".join(filter(None, (f"KIND_{p.kind}", article_of.get(p.id))))
        chain = {"IDNEXT": next_of[block_id]} if block_id in next_of else {}
        block = _el(space, "TextBlock", ID=block_id, TAGREFS=refs, **chain, **_pos(box))
        for k, run in enumerate(line_runs):
            _line(block, run, f"{block_id}_L{k + 1}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
