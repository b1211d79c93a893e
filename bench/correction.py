"""Measure stage 4 (correct) on the real development set and on synthetic OCR noise.

    .venv/bin/python -m bench.correction [--set smh|icdar2017|tesseract|synthetic|all]
        [--no-batch-lexicon] [--show-wrong] [--oracle]

For each article: raw OCR -> repair (`pipeline.repair.repair_text`) -> correction. On the
development sets (smh, icdar2017), whose ground truth keeps the printed line breaks and
line-end hyphens, texts are compared after joining `word-<newline>word` in both and folding
whitespace, as the data README asks; the tesseract and synthetic sets' ground truth is
running text, so their raw OCR is scored as it is (a word split at a line end is an error).
A change is right when its new word(s) equal the ground-truth word(s) it aligns to (word
alignment on lower-case letters and digits, so punctuation and case differences are not
counted); recall is right changes over erroneous words after repair.
A damaged name is a GT word capitalised mid-sentence that repair left right and correction
changed. The data lives outside the repo (../shared/data/ocr-text-dev, or $OCR_DEV_DATA).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from pipeline import lexicon
from pipeline.correct import batchlex, learned, wordshape
from pipeline.correct.corrector import Correction, Corrector, correct_paragraphs
from pipeline.correct.ocrdistance import ocr_distance
from pipeline.metrics import cer, wer
from pipeline.model import Paragraph, Token, page_text

try:
    from pipeline.repair import repair_text
except ImportError:  # repair not there yet: each file is one paragraph
    repair_text = None

CORPUS = Path(__file__).resolve().parent / "corpus"
SETS = ("smh", "icdar2017", "tesseract", "synthetic")
# `con-<newline>stitution`; icdar2017 passages lost their line breaks: `con- stitution`
_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u00ac](?:[ \t]*\n\s*(\w)| +([a-z])|(?<=[A-Z]-) +([A-Z]))")
_SENTENCE_END = (".", "!", "?", ":", ";")
_MARKS = ".,;:!?'\"()[]“”‘’"


def data_dir() -> Path:
    env = os.environ.get("OCR_DEV_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "ocr-text-dev"


def join_hyphens(text: str) -> str:
    return _HYPHEN_BREAK.sub(lambda m: m.group(1) + (m.group(2) or m.group(3) or m.group(4)), text)


def key(word: str) -> str:
    return re.sub(r"[^\w]", "", unicodedata.normalize("NFKC", word).lower())


# --- synthetic OCR noise -------------------------------------------------------------------

_REAL_WORD = {"the": "tho", "and": "aud", "are": "arc", "be": "bo", "of": "ot", "but": "hut"}
_LOOKALIKE = (("o", "e"), ("e", "c"), ("rn", "m"), ("m", "rn"), ("li", "h"), ("l", "1"))


def corrupt(words: list[str], rng: random.Random, rate: float = 0.07) -> list[str]:
    """Seeded OCR-like damage: look-alikes, real-word slips, lost and extra spaces."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if rng.random() >= rate:
            out.append(w)
            i += 1
            continue
        kind = rng.choice(("lookalike", "lookalike", "real", "lost", "split"))
        if kind == "real" and w in _REAL_WORD:
            out.append(_REAL_WORD[w])
        elif kind == "lost" and i + 1 < len(words) and w.isalpha():
            out.append(w + words[i + 1])
            i += 1
        elif kind == "split" and len(w) >= 7 and w.isalpha():
            cut = rng.randrange(3, len(w) - 2)
            out += [w[:cut], w[cut:]]
        else:
            options = [(a, b) for a, b in _LOOKALIKE if a in w[1:]]
            if options:
                a, b = rng.choice(options)
                pos = w.index(a, 1)
                w = w[:pos] + b + w[pos + len(a) :]
            out.append(w)
        i += 1
    return out


def synthetic_set(seed: int = 7, words_per_article: int = 150) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        words = path.read_text(encoding="utf-8").split()
        for n, start in enumerate(range(0, len(words), words_per_article)):
            clean = words[start : start + words_per_article]
            noisy = corrupt(clean, rng)
            lines = [" ".join(noisy[k : k + 10]) for k in range(0, len(noisy), 10)]
            out.append((f"{path.stem}-{n}", "\n".join(lines) + "\n", " ".join(clean) + "\n"))
    return out


def tesseract_set() -> list[tuple[str, str, str]]:
    """Plain `tesseract page.png -` text of the newspaper benchmark's pages, as raw OCR input.

    The pages, their ground truth and the Tesseract text (`baseline.txt`) are those written
    by `python -m bench.newspapers`; run that first.
    """
    work = Path(__file__).resolve().parent / "work" / "newspapers"
    out = []
    for gt in sorted((work / "pages").glob("*.gt.txt")):
        name = gt.name.removesuffix(".gt.txt")
        base = work / "run" / name / "baseline.txt"
        if base.is_file():
            out.append((name, base.read_text(encoding="utf-8"), gt.read_text(encoding="utf-8")))
    return out


def real_set(name: str) -> list[tuple[str, str, str]]:
    folder = data_dir() / name
    out = []
    for ocr in sorted(folder.glob("*.ocr.txt")):
        gt = ocr.with_name(ocr.name.replace(".ocr.txt", ".gt.txt"))
        out.append(
            (
                ocr.name.removesuffix(".ocr.txt"),
                ocr.read_text(encoding="utf-8"),
                gt.read_text(encoding="utf-8"),
            )
        )
    return out


# --- scoring -------------------------------------------------------------------------------


@dataclass
class Totals:
    articles: int = 0
    words: int = 0
    raw: list[float] = field(default_factory=lambda: [0.0, 0.0])  # summed wer, cer
    rep: list[float] = field(default_factory=lambda: [0.0, 0.0])
    cor: list[float] = field(default_factory=lambda: [0.0, 0.0])
    changes: int = 0
    right: int = 0
    erroneous: int = 0
    good_damaged: int = 0
    names_damaged: int = 0
    worse_than_raw: int = 0
    worse_than_repair: int = 0
    seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [changes, right]
    slips: str = ""  # the letter slips learned from the set (`learned.py`)


def score_changes(before: list[Paragraph], log: list[Correction], gt: str, t: Totals) -> None:
    flat: list[str] = []
    where: dict[tuple[str, int], int] = {}
    for par in before:
        for i, tok in enumerate(par.tokens):
            where[(par.id, i)] = len(flat)
            flat.append(tok.text)
    gt_words = gt.split()
    a = [key(w) for w in flat]
    b = [key(w) for w in gt_words]
    block_of = {}
    for op in _blocks(a, b):
        for pos in range(op.src_start, op.src_end):
            block_of[pos] = op
        if op.tag != "equal":
            t.erroneous += sum(1 for pos in range(op.src_start, op.src_end) if a[pos])
    substituted = {}  # rapidfuzz's own replace runs are one word for one word
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "replace":
            for k in range(op.src_end - op.src_start):
                substituted[op.src_start + k] = op.dest_start + k
    for c in log:
        pos = where[(c.paragraph, c.token)]
        op = block_of.get(pos)
        new = [key(w) for w in c.replacement.split()]
        t.changes += 1
        if op is None:
            continue
        if op.tag == "equal" or pos in substituted:
            g = op.dest_start + (pos - op.src_start) if op.tag == "equal" else substituted[pos]
            target = b[g : g + len(new)]
        else:
            target = b[op.dest_start : op.dest_end]
        if len(new) > 1:  # a split token: its halves may have been aligned to the neighbours
            target = b[max(op.dest_start - 1, 0) : op.dest_end + 1]
        # fallback: the GT words of the whole unequal region (positions in it are unreliable)
        region = b[op.dest_start : op.dest_end] if op.tag != "equal" else []
        ok = _contains(target, new) or _contains(region, new)
        if not ok and op.tag != "equal":
            ok = _in_context(a, pos, new, b, op.dest_start)
        if key(c.original) == key(c.replacement) and op.tag == "equal":
            # a change of case only: right when the GT word has exactly the new case
            g = op.dest_start + (pos - op.src_start)
            ok = gt_words[g].strip(_MARKS) == c.replacement.strip(_MARKS)
        tally = t.by_kind.setdefault(_kind(c.reason), [0, 0])
        tally[0] += 1
        tally[1] += ok
        if ok:
            t.right += 1
            continue
        context = " ".join(gt_words[op.dest_start : op.dest_end][:4])
        t.wrong.append(f"{c.original} -> {c.replacement}  (gt: {context})  [{c.reason}]")
        if op.tag == "equal":
            t.good_damaged += 1
            g = op.dest_start + (pos - op.src_start)
            word = gt_words[g]
            prev = gt_words[g - 1] if g else "."
            was_right = key(c.original) == key(word) and c.original.strip(".,;:'\"") == word.strip(
                ".,;:'\""
            )
            mid = not prev.endswith(_SENTENCE_END)
            if was_right and word[:1].isupper() and not word.isupper() and mid:
                t.names_damaged += 1


@dataclass
class Block:
    tag: str
    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


def _blocks(a: list[str], b: list[str]) -> list[Block]:
    """Word alignment with neighbouring replace/insert/delete runs merged into one block."""
    out: list[Block] = []
    for op in Levenshtein.opcodes(a, b):
        tag = "equal" if op.tag == "equal" else "replace"
        if out and tag == "replace" and out[-1].tag == "replace":
            out[-1].src_end, out[-1].dest_end = op.src_end, op.dest_end
        else:
            out.append(Block(tag, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return out


def _kind(reason: str) -> str:
    kinds = (
        "batch-learned",
        "recurring misreading",
        "real-word",
        "lost space",
        "extra space",
        "broken word",
        "rare lexicon word",
        "capital",
    )
    for kind in kinds:
        if kind in reason:
            return kind
    return "non-word"


CONTEXT_WINDOW = 40  # GT words either side of an unequal region searched by `_in_context`


def _in_context(a: list[str], pos: int, new: list[str], b: list[str], at: int) -> bool:
    """Whether the GT near `at` prints the new word beside the same neighbour as the text.

    Where OCR lost or moved words, the word alignment can pair a word with the wrong GT
    word (`Jength of 420 feet` against `presence of`, when the GT has `total length of 420
    feet` a few words on): the new word with its unchanged neighbour, found in the GT close
    by, is the evidence the alignment missed.
    """
    window = b[max(0, at - CONTEXT_WINDOW) : at + CONTEXT_WINDOW]
    before = a[pos - 1] if pos > 0 else ""
    after = a[pos + 1] if pos + 1 < len(a) else ""
    return bool(before and _contains(window, [before, *new])) or bool(
        after and _contains(window, [*new, after])
    )


def _contains(target: list[str], new: list[str]) -> bool:
    if not new:
        return False
    for i in range(len(target) - len(new) + 1):
        if target[i : i + len(new)] == new:
            return True
    return False


def prepare(
    name: str, lex: lexicon.Lexicon, use_batch: bool = True
) -> tuple[list[tuple[str, str, str, list[Paragraph]]], Corrector, batchlex.Knowledge]:
    """The set's articles repaired (name, raw, GT, paragraphs), and the Corrector the
    pipeline's second pass would hand them: the set is the batch."""
    repaired = []
    for art, raw, gt in _items(name):
        if repair_text is not None:
            pars = repair_text(raw, lex).paragraphs
        else:
            pars = [Paragraph("p1", [Token(w) for w in raw.split()])]
        repaired.append((art, raw, gt, pars))
    known = batchlex.Knowledge()
    if use_batch:
        known = batchlex.knowledge(batchlex.learn((p for *_, p in repaired), min_pages=1), lex)
    return repaired, Corrector(lex, known), known


def printed_breaks(name: str) -> bool:
    """Whether the set's GT keeps the printed line breaks (`con-<newline>stitution`)."""
    return name in ("smh", "icdar2017")


def run_set(name: str, lex: lexicon.Lexicon, use_batch: bool) -> Totals:
    repaired, corrector, known = prepare(name, lex, use_batch)
    t = Totals(slips=learned.describe(known.slips))
    for _art, raw, gt, pars in repaired:
        gt_j = join_hyphens(gt) if printed_breaks(name) else gt
        start = time.perf_counter()
        corrected, log = correct_paragraphs(pars, lex, corrector)
        t.seconds += time.perf_counter() - start
        t.words += sum(len(p.tokens) for p in pars)
        texts = (
            join_hyphens(raw) if printed_breaks(name) else raw,
            page_text(pars),
            page_text(corrected),
        )
        for acc, text in zip((t.raw, t.rep, t.cor), texts, strict=True):
            acc[0] += wer(text, gt_j)
            acc[1] += cer(text, gt_j)
        c_raw, c_rep, c_cor = (cer(x, gt_j) for x in texts)
        t.worse_than_raw += c_cor > c_raw + 1e-9
        t.worse_than_repair += c_cor > c_rep + 1e-9
        t.articles += 1
        score_changes(pars, log, " ".join(gt_j.split()), t)
    return t


ORACLE_DISTANCES = (0.5, 1.0, 1.5, 2.0)


def oracle_bound(name: str, lex: lexicon.Lexicon) -> str:
    """How far a perfect word-by-word corrector could still go on a set, after ours.

    Every remaining one-for-one word error whose OCR word is within a weighted OCR distance
    of its GT word is replaced by that GT word (case and punctuation of the word included),
    and the mean WER scored again; an upper bound for any corrector that changes words one
    at a time, not a method.
    """
    repaired, corrector, _ = prepare(name, lex)
    texts = []
    for _, raw, gt, pars in repaired:
        corrected, _ = correct_paragraphs(pars, lex, corrector)
        gt_j = join_hyphens(gt) if printed_breaks(name) else gt
        raw_j = join_hyphens(raw) if printed_breaks(name) else raw
        texts.append((raw_j, page_text(corrected).split(), gt_j.split()))
    n = max(len(texts), 1)
    raw_wer = sum(wer(r, " ".join(g)) for r, _, g in texts) / n
    rows = [f"### oracle bound, {name}: raw WER {raw_wer:.4f}", ""]
    rows += ["| one-for-one errors fixed | mean WER | x raw |", "|---|---|---|"]
    for limit in (-1.0, *ORACLE_DISTANCES, float("inf")):
        w = sum(wer(" ".join(_oracle(a, g, limit)), " ".join(g)) for _, a, g in texts) / n
        what = (
            "none (our output)"
            if limit < 0
            else "all"
            if limit == float("inf")
            else f"within distance {limit}"
        )
        rows.append(f"| {what} | {w:.4f} | {w / max(raw_wer, 1e-9):.3f} |")
    return "\n".join(rows) + "\n"


def _oracle(words: list[str], gt: list[str], limit: float) -> list[str]:
    out = list(words)
    for op in Levenshtein.opcodes([key(w) for w in words], [key(w) for w in gt]):
        if op.tag != "replace" or op.src_end - op.src_start != op.dest_end - op.dest_start:
            continue
        for k in range(op.src_end - op.src_start):
            i, j = op.src_start + k, op.dest_start + k
            a, b = wordshape.split(words[i]).core, wordshape.split(gt[j]).core
            if a and b and ocr_distance(a, b.lower()) <= limit:
                out[i] = gt[j]
    return out


def _items(name: str) -> list[tuple[str, str, str]]:
    if name == "synthetic":
        return synthetic_set()
    if name == "tesseract":
        return tesseract_set()
    return real_set(name)


def report(name: str, t: Totals) -> str:
    n = max(t.articles, 1)
    rows = [
        f"### {name} ({t.articles} articles, {t.words} words)",
        "",
        "| measure | raw OCR | after repair | after correction |",
        "|---|---|---|---|",
        f"| mean WER | {t.raw[0] / n:.4f} | {t.rep[0] / n:.4f} | {t.cor[0] / n:.4f} |",
        f"| mean CER | {t.raw[1] / n:.4f} | {t.rep[1] / n:.4f} | {t.cor[1] / n:.4f} |",
        "",
        f"- changes: {t.changes}, right: {t.right}, precision: {t.right / max(t.changes, 1):.3f}",
        f"- erroneous words after repair: {t.erroneous}, recall: "
        f"{t.right / max(t.erroneous, 1):.3f}",
        "- by kind (changes/right): "
        + ", ".join(f"{k} {n}/{r}" for k, (n, r) in sorted(t.by_kind.items())),
        f"- right words damaged: {t.good_damaged}, of them names: {t.names_damaged}",
        f"- letter slips learned from the set: {t.slips}",
        f"- articles with CER after correction > raw: {t.worse_than_raw}; > after repair: "
        f"{t.worse_than_repair}",
        f"- correction speed: {t.words / max(t.seconds, 1e-9):,.0f} words/s "
        f"({t.seconds:.2f} s, caches warm across the set)",
        f"- WER after repair+correction / raw WER: {t.cor[0] / max(t.raw[0], 1e-9):.3f}",
    ]
    return "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=(*SETS, "all"), default="all")
    ap.add_argument("--no-batch-lexicon", action="store_true")
    ap.add_argument("--show-wrong", action="store_true", help="list the wrong changes")
    ap.add_argument(
        "--oracle", action="store_true", help="also the bound a perfect word corrector reaches"
    )
    args = ap.parse_args()
    if repair_text is None:
        print("pipeline.repair.repair_text not importable: each file is one paragraph\n")
    lex = lexicon.load("eng")
    start = time.perf_counter()
    Corrector(lex).token("warm", None, False)  # load word list, candidate index, bigrams
    print(
        f"one-time load (lexicon, candidate index, bigrams): {time.perf_counter() - start:.1f} s\n"
    )
    for name in SETS if args.set == "all" else (args.set,):
        t = run_set(name, lex, not args.no_batch_lexicon)
        if not t.articles:
            print(f"### {name}: no articles (for `tesseract`, run `python -m bench.newspapers`)\n")
            continue
        print(report(name, t))
        if args.show_wrong:
            print("\n".join(t.wrong) + "\n")
        if args.oracle:
            print(oracle_bound(name, lex))


if __name__ == "__main__":
    main()
