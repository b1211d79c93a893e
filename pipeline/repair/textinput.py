"""Raw OCR text (an archive's full-text file) as lines of words with ids, so repair can treat
it like OCR output without geometry."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from pipeline.errors import PageError
from pipeline.model import Line, Word

BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
FALLBACK = (
    "cp1252",
    "latin-1",
)  # what a file that is not UTF-8 is taken to be; latin-1 never fails
MAX_TEXT_BYTES = 1 << 20  # a broadsheet page's full text is under 100 KB; 1 MB took 17 s, 450 MB
MAX_CONTROL_SHARE = 0.01  # text has next to no control characters; random bytes have ~20 %
LAYOUT_CONTROLS = set("\t\n\r\f\v\x1c\x1d\x1e\x85")


def _bom(data: bytes) -> str | None:
    return next((enc for mark, enc in BOMS if data.startswith(mark)), None)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a mark: mostly Latin text has a zero byte in every other place."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """Bytes to text: a byte-order mark says the encoding; else UTF-16 by its zero bytes, UTF-8,
    then the Windows code page archives use (FALLBACK). ValueError when a marked file is not
    in its encoding."""
    enc = _bom(data) or _utf16_without_bom(data)
    if enc:
        mark = next((m for m, e in BOMS if e == enc and data.startswith(m)), b"")
        return data[len(mark) :].decode(enc)
    for enc in ("utf-8", *FALLBACK):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 cannot fail")


def decode_lines(data: bytes) -> list[str]:
    """A list of names, one a line, each line decoded alone: a list saved on Windows mixes
    UTF-8 lines with Windows-1252 ones (`café` typed in Notepad)."""
    if _bom(data) or _utf16_without_bom(data):
        return _lenient(data).splitlines()
    return [decode(line) for line in data.splitlines()]


def read_any(path: Path) -> str:
    """A text file in any encoding `decode` knows, line ends made `\\n` (ground truth)."""
    return _lenient(Path(path).read_bytes()).replace("\r\n", "\n").replace("\r", "\n")


def _lenient(data: bytes) -> str:
    """`decode`, with a damaged character of a marked file replaced instead of an error."""
    try:
        return decode(data)
    except UnicodeDecodeError as e:
        return data.decode(e.encoding, errors="replace").lstrip("\ufeff")


def _control_share(text: str) -> float:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in LAYOUT_CONTROLS)
    return controls / max(1, len(text))


def read_text(path: Path) -> str:
    """The text of a raw OCR file; PageError, naming the file and the fix, for one that is too
    large, empty, in a broken encoding, or not text at all (the repair stage would call
    anything "done")."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise PageError(
            f"{path}: text file is {size / 1e6:.1f} MB, over the {MAX_TEXT_BYTES / 1e6:.0f} MB "
            "a page's text can be; split it into one file a page"
        )
    if size == 0:
        raise PageError(f"{path}: file is empty (0 bytes); re-copy or re-export it")
    data = path.read_bytes()
    try:
        text = decode(data)
    except UnicodeDecodeError as e:
        raise PageError(
            f"{path}: not valid {e.encoding} though it starts like it; re-save it as UTF-8"
        ) from e
    if _control_share(text) > MAX_CONTROL_SHARE or "\x00" in text:
        raise PageError(f"{path}: not a text file (binary data); give the plain-text OCR file")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.split():
        raise PageError(f"{path}: has no text (only blank lines); re-copy or re-export it")
    return text


def text_lines(raw: str) -> list[Line | None]:
    """One Line a text line (ids `t{n}`, words `t{n}.{k}`, 1-based); None for a blank line.

    A line holding only a form feed (a page break in some archive files) counts as blank.
    """
    out: list[Line | None] = []
    for n, row in enumerate(raw.split("\n"), start=1):
        parts = row.split()
        if not parts:
            out.append(None)
            continue
        words = [Word(f"t{n}.{k}", w) for k, w in enumerate(parts, start=1)]
        out.append(Line(f"t{n}", words))
    return out
