"""Write the binarised page as a 1-bit PNG: a fraction of the size of 8-bit, read directly by
Tesseract, and its DPI recorded (Tesseract sizes its text models by it).

Written by hand because the libraries are slow at it: Pillow spends ~50 ms choosing row
filters and compressing hard, OpenCV cannot record the DPI. Unfiltered rows at zlib level 1
take ~10 ms and come out ~20% bigger (about 200 KB for a newspaper page).
"""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_INCH = 0.0254  # metres; PNG records pixels per metre


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC over type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bilevel_png(page: np.ndarray, dpi: float) -> bytes:
    """A page (0 ink, anything else paper) as a 1-bit greyscale PNG recording `dpi`."""
    h, w = page.shape
    rows = np.packbits(page, axis=1)  # any non-zero (paper) packs as 1 = white, as PNG wants
    raw = np.hstack([np.zeros((h, 1), np.uint8), rows])  # filter byte 0: row stored as is
    ppm = int(dpi / _INCH + 0.5)  # rounded as Pillow does, so it reads back the same DPI
    return b"".join(
        [
            _SIGNATURE,
            _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
            _chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)),
            _chunk(b"IEND", b""),
        ]
    )


def grey_png(page: np.ndarray, dpi: float) -> bytes:
    """An 8-bit greyscale page as PNG recording `dpi`: OpenCV's fast encoder, with the
    resolution chunk Tesseract sizes its models by put in after the header."""
    ok, buf = cv2.imencode(".png", page, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:
        raise ValueError("PNG encoding failed")
    data = buf.tobytes()
    ppm = int(dpi / _INCH + 0.5)
    header_end = len(_SIGNATURE) + 25  # the IHDR chunk: length, type, 13 bytes, CRC
    phys = _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    return data[:header_end] + phys + data[header_end:]
