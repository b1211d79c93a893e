"""CER and WER against ground truth, on NFC text with whitespace runs folded."""

from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(hypothesis: str, reference: str) -> float:
    """Character edits needed to turn the hypothesis into the reference, per reference char."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return Levenshtein.distance(hyp, ref) / max(len(ref), 1)


def wer(hypothesis: str, reference: str) -> float:
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    return Levenshtein.distance(hyp, ref) / max(len(ref), 1)
