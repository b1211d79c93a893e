"""Stage 2: one Tesseract run per page, kept as words with boxes and confidences (a second
only where the page's edges are soft, `soft`, the first ran columns together, `columns`, and
still did so read again, a strip at a time, `strips`, read a sideways line unsure,
`sideways`, or left letters unread, `unread`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.figures import OcrFigures
from pipeline.fileio import read_json, write_bytes, write_json, write_text
from pipeline.model import OcrPage
from pipeline.ocr import columns, sideways, soft, strips, unread
from pipeline.ocr.render import ocr_hocr, ocr_text
from pipeline.ocr.tesseract import check_tesseract, run_tesseract, tesseract_version
from pipeline.ocr.tsv import parse_tsv
from pipeline.options import Options

__all__ = ["run", "check_tesseract", "tesseract_version"]


def run(preprocess_dir: Path, out_dir: Path, options: Options) -> OcrFigures:
    image = preprocess_dir / "image.png"
    dpi, sharpness, letter_px = _figures(preprocess_dir)

    def read_image(
        source: Path, config: tuple[str, ...] = (), at_dpi: int | None = None
    ) -> OcrPage:
        told = (f"user_defined_dpi={at_dpi}",) if at_dpi else ()
        return parse_tsv(
            run_tesseract(source, options.lang, options.psm, options.timeout, told + config)
        )

    page, image, config, sharpened = soft.reread(
        image, read_image(image), sharpness, dpi, out_dir, read_image
    )
    for stale in out_dir.glob(strips.STRIP.format("*")):  # from an earlier run of this page
        stale.unlink()
    page, ran_together = columns.reread(
        page,
        dpi,
        lambda at_dpi: read_image(image, config, at_dpi),
        lambda cuts: strips.read_strips(
            image, cuts, out_dir, dpi, lambda strip: read_image(strip, config)
        ),
    )
    page, reread = sideways.reread(image, page, out_dir, options.lang, options.timeout, dpi)
    page, recovered = unread.reread(
        image, page, out_dir, options.lang, options.timeout, dpi, letter_px
    )
    words = page.words()
    confs = [w.conf for w in words if w.conf is not None and w.conf >= 0]
    stats: OcrFigures = {
        "words": len(words),
        "lines": len(page.lines()),
        "blocks": len(page.blocks),
        "mean_conf": round(sum(confs) / len(confs), 1) if confs else None,
        "low_conf_words": sum(1 for c in confs if c < 60),
        "sideways_reread": len(reread),
        "columns_reread": ran_together["kept"] if ran_together else "",
        "sharpened_reread": sharpened["kept"] if sharpened else "",
        "unread_lines": recovered.get("lines", 0),
    }
    record = {"columns_reread": ran_together} if ran_together else {}
    if sharpened:
        record["sharpened_reread"] = sharpened
    if recovered:
        record["unread_reread"] = recovered
    write_json(out_dir / "ocr.json", {"stats": stats, **record, **page.to_json()})
    write_bytes(out_dir / "page.hocr", ocr_hocr(page, dpi))
    write_text(out_dir / "text.txt", ocr_text(page))
    return stats


def _figures(preprocess_dir: Path) -> tuple[float, float | None, float | None]:
    """Stage 1's resolution, edge sharpness and letter height of the page (300, None and
    None for an image given without stage 1's record; None for a figure it lacks)."""
    try:
        stats = read_json(preprocess_dir / "preprocess.json")
        dpi = float(stats["dpi_out"])
    except (OSError, ValueError, KeyError, TypeError):
        return 300.0, None, None
    sharpness, letter = stats.get("edge_sharpness"), stats.get("letter_px_out")
    return (
        dpi,
        float(sharpness) if isinstance(sharpness, (int, float)) else None,
        float(letter) if isinstance(letter, (int, float)) else None,
    )
