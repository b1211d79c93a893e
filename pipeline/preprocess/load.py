"""Open one page of a scan safely: refuse bombs, empties and non-images with a clear reason."""

from __future__ import annotations

import os
import re
import warnings
import zlib
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from pipeline.errors import PageError

MAX_PIXELS = 300_000_000  # ~ a 600 dpi A0 sheet; beyond this a "scan" is a decompression bomb
MIN_SIDE = 64  # pixels; smaller than this there is no readable text
EXIF_ORIENTATION = 0x0112  # the EXIF tag saying how a camera or scanner held the page

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)  # one-line reasons only


def page_count(path: Path) -> int:
    """Pages in a file (multi-page TIFF and PDF have several); errors become PageError."""
    if Path(path).suffix.lower() == ".pdf":
        pdf = _open_pdf(path)
        try:
            return len(pdf)
        finally:
            pdf.close()
    with _open(path) as img, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's complaints about a damaged file's tags
        try:
            return int(getattr(img, "n_frames", 1))
        except Exception:  # Pillow raises TypeError, OSError... on damage
            return _reachable_frames(img)


def _reachable_frames(img: Image.Image) -> int:
    """Frames of a damaged multi-page file up to and including the first that breaks: the
    pages before it are read, and that one fails with its reason (none is silently lost)."""
    n = 1
    while True:
        try:
            img.seek(n)
        except EOFError:
            return n
        except Exception:  # whatever the damage, that frame is the last
            return n + 1
        n += 1


def load_page(path: Path, index: int = 0, pdf_dpi: int = 300) -> tuple[np.ndarray, float | None]:
    """The page as an 8-bit greyscale array, and its DPI when the file records one."""
    if Path(path).suffix.lower() == ".pdf":
        grey = _render_pdf_page(path, index, pdf_dpi)
        _check_size(path, grey)
        return grey, float(pdf_dpi)
    with _open(path) as img:
        grey = _fast_decode(path, img) if index == 0 else None
        if grey is None:
            _load_frame(path, img, index)
            dpi = _dpi(img)  # the frame's own: TIFF pages can differ
            img = ImageOps.exif_transpose(img) if index == 0 else img
            grey = _to_grey(img)
        else:
            dpi = _dpi(img)
    _check_size(path, grey)
    return grey, dpi


def _load_frame(path: Path, img: Image.Image, index: int) -> None:
    """Decode one frame with Pillow, turning its failures into a reason naming the file."""
    try:
        img.seek(index)
        img.load()
    except EOFError as e:
        raise PageError(f"{path}: has no page {index + 1}") from e
    except (OSError, SyntaxError, ValueError, TypeError) as e:  # TypeError: a truncated TIFF
        raise PageError(
            f"{path}: image data is corrupt or truncated ({e}); re-scan or re-export it"
        ) from e


def _fast_decode(path: Path, img: Image.Image) -> np.ndarray | None:
    """Decode a plain PNG or JPEG straight to grey, the only decode the page gets.

    Pillow has only read the header, so this saves a whole second decode (half the stage's
    time on an 8 MB RGB scan). libpng refuses every kind of damage Pillow refuses (truncation,
    bad CRC or zlib data) and more, so a None here sends the file to the Pillow path, which
    names the damage or, for harmless quirks like a missing IEND, reads it as before. JPEG is
    decoded by Pillow (`_jpeg_grey`): libjpeg decodes corrupt data with only a warning, so
    Pillow's checks must see it. Anything unusual (alpha, palette, 16-bit) is left to Pillow.
    """
    if img.format not in ("PNG", "JPEG") or img.mode not in ("L", "RGB"):
        return None
    if img.format == "JPEG":
        return _jpeg_grey(path, img)
    data = np.fromfile(path, dtype=np.uint8)
    if img.format == "PNG" and not png_intact(memoryview(data)):
        return None  # libpng would print its complaint to stderr; Pillow names it instead
    grey = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if grey is None or grey.shape != (img.height, img.width):
        return None
    return grey


def _jpeg_grey(path: Path, img: Image.Image) -> np.ndarray | None:
    """A JPEG decoded once, by Pillow (whose checks name corrupt data), straight to libjpeg's
    own luma: byte for byte what OpenCV's grey decode gives (all 21 JPEG development scans),
    in half the time of an RGB decode and a second one by OpenCV. Turned as its EXIF says."""
    img.draft("L", img.size)  # the full size: only the colour space changes
    _load_frame(path, img, 0)
    with open(path, "rb") as fh:
        fh.seek(-2, os.SEEK_END)
        if fh.read(2) != b"\xff\xd9":
            return None  # no end marker: the Pillow path says what it makes of the file
    if img.getexif().get(EXIF_ORIENTATION, 1) != 1:
        img = ImageOps.exif_transpose(img)
    return np.array(img.convert("L") if img.mode != "L" else img, dtype=np.uint8)


def png_intact(data: memoryview) -> bool:
    """Every chunk whole, its CRC right, and the IEND there: ~5 ms for an 8 MB scan.

    Truncation and bit rot break a CRC; such files go to Pillow for a one-line reason, and
    libpng never gets to print its own lines to the console.
    """
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        end = pos + 8 + length
        if end + 4 > len(data):
            return False
        crc = int.from_bytes(data[end : end + 4], "big")
        if zlib.crc32(data[pos + 4 : end]) != crc:
            return False
        if data[pos + 4 : pos + 8] == b"IEND":
            return True
        pos = end + 4
    return False


def _check_size(path: Path, grey: np.ndarray) -> None:
    if min(grey.shape) < MIN_SIDE:
        raise PageError(
            f"{path}: image is only {grey.shape[1]}x{grey.shape[0]} pixels, too small to read; "
            "scan at 200-400 dpi"
        )


def _open_pdf(path: Path):
    import pypdfium2 as pdfium  # only PDF inputs pay for loading PDFium

    path = Path(path)
    if path.is_file() and path.stat().st_size == 0:
        raise PageError(f"{path}: file is empty (0 bytes); re-copy or re-export it")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        # PDFium's own reason is its last error, which it does not reset: after an encrypted
        # PDF the next broken one would also say "password" (or "Success"). Tell by the file.
        if _encrypted(path):
            raise PageError(
                f"{path}: PDF is password-protected (encrypted); "
                "save a copy without the password and give that"
            ) from e
        if _no_pages(path):
            raise PageError(f"{path}: PDF has no pages; re-export it") from e
        raise PageError(
            f"{path}: PDF cannot be opened (damaged, or not a PDF); repair or re-export it"
        ) from e
    except OSError as e:
        raise PageError(f"{path}: cannot be read ({e.strerror or e})") from e


def _no_pages(path: Path) -> bool:
    """A page tree that counts 0 and no page object: PDFium refuses such a file as damaged."""
    try:
        data = Path(path).read_bytes() if Path(path).stat().st_size <= 1 << 20 else b""
    except OSError:
        return False
    return bool(re.search(rb"/Count\s*0\b", data)) and not re.search(rb"/Type\s*/Page\b", data)


def _encrypted(path: Path) -> bool:
    """An /Encrypt entry in a trailer (at the end; linearised files repeat it at the start)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
            fh.seek(max(0, Path(path).stat().st_size - (1 << 20)))
            tail = fh.read()
    except OSError:
        return False
    return b"/Encrypt" in head or b"/Encrypt" in tail


def _render_pdf_page(path: Path, index: int, dpi: int) -> np.ndarray:
    pdf = _open_pdf(path)
    try:
        if len(pdf) == 0:
            raise PageError(f"{path}: PDF has no pages; re-export it")
        if index >= len(pdf):
            raise PageError(f"{path}: has no page {index + 1}")
        page = pdf[index]
        w, h = page.get_size()
        scale = dpi / 72.0
        if w * h * scale * scale > MAX_PIXELS:
            raise PageError(
                f"{path}: page {index + 1} at {dpi} dpi would exceed {MAX_PIXELS:,} pixels; "
                "use a lower --dpi"
            )
        bitmap = page.render(scale=scale, grayscale=True)
        return np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8).copy()
    finally:
        pdf.close()


def _open(path: Path) -> Image.Image:
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise PageError(f"{path}: file is empty (0 bytes); re-copy or re-scan it")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except PageError:
        raise
    except PermissionError as e:
        raise PageError(f"{path}: cannot be read (permission denied); check its permissions") from e
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise PageError(
            f"{path}: image is too large to be safe (over {MAX_PIXELS:,} pixels); "
            "split or downscale it"
        ) from e
    except UnidentifiedImageError as e:
        raise PageError(f"{path}: not a readable image (unknown or damaged format)") from e
    except OSError as e:
        raise PageError(f"{path}: cannot be read ({e.strerror or e})") from e


def _dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        return None
    return (
        round(value, 1) if 50 <= value <= 2400 else None
    )  # 1 or 72 "dpi" is a placeholder, not a scan


def _to_grey(img: Image.Image) -> np.ndarray:
    if img.mode in ("RGBA", "LA", "P", "PA"):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)
    if img.mode == "I;16" or img.mode.startswith("I"):
        arr = np.asarray(img, dtype=np.float64)
        top = arr.max() or 1.0
        return (arr * (255.0 / top)).astype(np.uint8)
    return np.asarray(img.convert("L"), dtype=np.uint8).copy()
