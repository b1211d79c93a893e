"""CER and WER against ground truth, on NFC text with whitespace runs folded."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

from rapidfuzz.distance import Levenshtein

from pipeline.model import ARTICLE_SEP, FURNITURE_SEP


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(hypothesis: str, reference: str) -> float:
    """Character edits needed to turn the hypothesis into the reference, per reference char."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return Levenshtein.distance(hyp, ref) / max(len(ref), 1)


def wer(hypothesis: str, reference: str) -> float:
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    return Levenshtein.distance(hyp, ref) / max(len(ref), 1)


# Real-page measures (see ../shared/data/scans-dev/README.md): ground truth keeps the printed
# line breaks, and a valid placement of whole blocks elsewhere should cost little.
_SPLIT = re.compile(r"(\w)-[ \t]*\n\s*(?=\w)")


def join_split_words(text: str) -> str:
    """`word-⏎word` -> `wordword`: the same convention on both sides before CER/WER."""
    return _SPLIT.sub(r"\1", text)


def words_of(text: str) -> list[str]:
    """Lower-cased words without punctuation, in order (for F1 measures)."""
    out = []
    for token in join_split_words(unicodedata.normalize("NFC", text)).split():
        w = "".join(ch for ch in token.lower() if ch.isalnum())
        if w:
            out.append(w)
    return out


def _f1(hyp: Counter, ref: Counter) -> float:
    if not hyp and not ref:
        return 1.0
    common = sum((hyp & ref).values())
    if common == 0:
        return 0.0
    p, r = common / sum(hyp.values()), common / sum(ref.values())
    return 2 * p * r / (p + r)


def word_f1(hypothesis: str, reference: str) -> float:
    """What was read, order ignored: F1 of the two multisets of words."""
    return _f1(Counter(words_of(hypothesis)), Counter(words_of(reference)))


def trigram_f1(hypothesis: str, reference: str) -> float:
    """Local order: F1 of the multisets of word triples. A block placed elsewhere costs only
    its edges; interleaved columns cost nearly every triple."""
    return _f1(_trigrams(words_of(hypothesis)), _trigrams(words_of(reference)))


def _trigrams(w: list[str]) -> Counter:
    return Counter(zip(w, w[1:], w[2:], strict=False))


def drop_separators(text: str) -> str:
    """The text without the article separator lines stage 3 writes on a page of several
    articles (`---`, `===`, `model.ARTICLE_SEP`): they are layout, not text a plain ground
    truth holds, and would count as inserted characters."""
    marks = (ARTICLE_SEP, FURNITURE_SEP)
    paras = re.split(r"\n\s*\n", text)
    if not any(p.strip() in marks for p in paras):
        return text
    return "\n\n".join(p for p in paras if p.strip() not in marks)


def page_scores(hypothesis: str, reference: str) -> dict[str, float]:
    """CER/WER after joining split words, word F1 and word-trigram F1 of one text; article
    separators dropped from the hypothesis first."""
    hypothesis = drop_separators(hypothesis)
    hyp, ref = join_split_words(hypothesis), join_split_words(reference)
    return {
        "cer": round(cer(hyp, ref), 6),
        "wer": round(wer(hyp, ref), 6),
        "word_f1": round(word_f1(hypothesis, reference), 6),
        "trigram_f1": round(trigram_f1(hypothesis, reference), 6),
    }


# How a text marks its paragraphs: our output and plain Tesseract's separate them by blank
# lines; some ground truths give a paragraph a line, others start one with a blank line or an
# indented line (../shared/data/scans-dev/README.md).
_PARAGRAPH_SPLIT = {
    "blank": re.compile(r"\n\s*\n"),
    "line": re.compile(r"\n"),
    "indent": re.compile(r"\n\s*\n|\n(?=[ \t]+\S)"),
}


def _words_and_breaks(text: str, style: str) -> tuple[list[str], set[int]]:
    """The text's words (as `words_of`) and the word indexes a paragraph starts at (not 0)."""
    words: list[str] = []
    starts: set[int] = set()
    for para in _PARAGRAPH_SPLIT[style].split(join_split_words(text)):
        ws = words_of(para)
        if ws and words:
            starts.add(len(words))
        words += ws
    return words, starts


def paragraph_breaks(hypothesis: str, reference: str, style: str = "blank") -> dict[str, int]:
    """Paragraph breaks the hypothesis has where the reference has them (`found`), lacks
    (`missed`) and has where the reference runs on (`extra`). The texts' words are aligned;
    a break is judged only where the words on both sides of it are read and aligned in
    both, so misread or misplaced text costs nothing here (word F1 and CER see it)."""
    ref, ref_starts = _words_and_breaks(reference, style)
    hyp, hyp_starts = _words_and_breaks(drop_separators(hypothesis), "blank")
    match = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    to_hyp: dict[int, int] = {}
    for block in match.get_matching_blocks():
        for k in range(block.size):
            to_hyp[block.a + k] = block.b + k
    to_ref = {b: a for a, b in to_hyp.items()}
    found = missed = extra = 0
    for i in ref_starts:
        if i in to_hyp and to_hyp.get(i - 1) == to_hyp[i] - 1:
            found += to_hyp[i] in hyp_starts
            missed += to_hyp[i] not in hyp_starts
    for j in hyp_starts:
        if j in to_ref and to_ref.get(j - 1) == to_ref[j] - 1:
            extra += to_ref[j] not in ref_starts
    return {"found": found, "missed": missed, "extra": extra}
