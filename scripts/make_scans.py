"""Write the sample inputs the README runs on (scans/) and their ground truth (bench/scans-gt/).

Run from anywhere: `.venv/bin/python scripts/make_scans.py`. Output is deterministic.
The ground truth lives outside scans/ because every .txt in scans/ is treated as an input.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from bench.pagegen import PageSpec, render_page, save_page  # noqa: E402

SCANS = ROOT / "scans"
GT_DIR = ROOT / "bench" / "scans-gt"

# A hand-written imitation of an archive's raw full-text file (an original text, not copied from
# any archive): split hyphens, junk lines, OCR misspellings, a split across a blank line.
RAW_OCR = """\
SOVIET DELEGATES AT GENEVA.

TREATY NEGOTIATIONS RESUMED.

(From Our Own Correspondent.)

GENEVA, Tuesday.

The delegates of the So- viets arrived here
this morning, and were met at the station by
tbe Secretary-General of the League and by
representatives of the Swiss Govemment.
§gsmmm
It is understood that the chief object of
their visit is to secure the restoration of
the clauses which were elimi-
nated from last year's agreement at the in-
stance of the British and French members
of the commission.
:S3s'=!«S

The leader of the delegation, M. Petrov,
said to-day that his Government regarded the
question as a matter of national self-
esteem, and that it could not accept any
settlement which left the frontier question
open. He added that the negotia-

tions would be conducted in a spirit of
co-operation, and that he had every hope of
a satisfactory result before the end of tbe
month.
■Si'ssb isfflffittsa-- 2
v

The first meeting of the commission will be
held on Thursday at the Palais des Nations,
when the report of the sub-committee on
transit dues will be considered. It is ex-
pected that the sittings will last for at
least ten days, and that 14 nations will be
represented.
"""

RAW_OCR_GT = """\
SOVIET DELEGATES AT GENEVA.

TREATY NEGOTIATIONS RESUMED.

(From Our Own Correspondent.)

GENEVA, Tuesday.

The delegates of the Soviets arrived here this morning, and were met at the station by \
the Secretary-General of the League and by representatives of the Swiss Government. \
It is understood that the chief object of their visit is to secure the restoration of \
the clauses which were eliminated from last year's agreement at the instance of the \
British and French members of the commission.

The leader of the delegation, M. Petrov, said to-day that his Government regarded the \
question as a matter of national self-esteem, and that it could not accept any settlement \
which left the frontier question open. He added that the negotiations would be conducted \
in a spirit of co-operation, and that he had every hope of a satisfactory result before \
the end of the month.

The first meeting of the commission will be held on Thursday at the Palais des Nations, \
when the report of the sub-committee on transit dues will be considered. It is expected \
that the sittings will last for at least ten days, and that 14 nations will be represented.
"""


def heavy_spec_near(angle: float, base: int, **kw) -> PageSpec:
    """First seed from `base` whose heavy degradation skews within 0.25 deg of `angle`."""
    for seed in range(base, base + 200):
        spec = PageSpec(seed=seed, level="heavy", **kw)
        _, _, info = render_page(spec)
        if abs(abs(info["skew_deg"]) - angle) <= 0.25:
            return spec
    raise RuntimeError("no seed with the wanted skew")


def main() -> None:
    SCANS.mkdir(exist_ok=True)
    GT_DIR.mkdir(parents=True, exist_ok=True)
    pages = {
        "news-page.png": PageSpec(
            seed=11,
            columns=4,
            headline_lines=2,
            rules=True,
            photo=True,
            width_in=7.0,
            height_in=9.5,
        ),
        "news-degraded.jpg": heavy_spec_near(
            2.0, 20, columns=3, headline_lines=2, rules=True, width_in=7.0, height_in=9.5
        ),
        "book-page.png": PageSpec(
            seed=5, layout="book", columns=1, level="mild", width_in=5.0, height_in=7.0
        ),
    }
    for name, spec in pages.items():
        t0 = time.perf_counter()
        img, gt, info = render_page(spec)
        secs = time.perf_counter() - t0
        path = SCANS / name
        if name.endswith(".jpg"):
            save_page(img, path, quality=80)
        else:
            if img.mode == "RGB":  # a tinted grey page needs few colours; keeps the PNG small
                dpi = img.info["dpi"]
                img = img.quantize(128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
                img.info["dpi"] = dpi
            save_page(img, path, optimize=True)
        stem = path.stem
        (GT_DIR / f"{stem}.gt.txt").write_text(gt, encoding="utf-8")
        info["spec"] = spec.__dict__
        (GT_DIR / f"{stem}.info.json").write_text(json.dumps(info, indent=1) + "\n")
        kb = path.stat().st_size / 1024
        print(f"{name}: {img.size[0]}x{img.size[1]} {img.mode}, {kb:.0f} KiB, render {secs:.2f} s")
    (SCANS / "raw-ocr-sample.txt").write_text(RAW_OCR, encoding="utf-8")
    (GT_DIR / "raw-ocr-sample.gt.txt").write_text(RAW_OCR_GT, encoding="utf-8")
    print("raw-ocr-sample.txt written")


if __name__ == "__main__":
    main()
