"""Deciding, word by word, whether an OCR word is an error and what was printed instead.

The decision is a small noisy-channel model in log10 units (the Zipf scale of the lexicon):

    score = zipf(candidate) - zipf_or_prior(original) - COST_WEIGHT * ocr_distance

i.e. the log10 odds that the page printed the candidate and OCR garbled it, against the page
printing the original as read. A word changes only when the score clears a threshold that
rises with the OCR confidence, when the runner-up is clearly worse, and when the guards of
`wordshape` allow it. Two kinds of word are tried:

- unknown words (under the lexicon's floor): any close candidate under the OCR distance;
- suspect lexicon words: web word lists carry OCR errors (`tbe`, `thc`, `tlie`), so a rare
  known word one listed confusion away from a word at least SUSPECT_GAP Zipf more frequent
  is treated as that word misread.

Real-word errors (`tho`, `arc`, `bo` for the, are, be) need word context; see the module
`__init__` docstring. Each unique (word, confidence band, position) is decided once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from pipeline.correct import wordshape
from pipeline.correct.candidates import CandidateIndex, index_for
from pipeline.correct.ocrdistance import CHEAP, ocr_distance
from pipeline.lexicon import KNOWN_FLOOR, Lexicon
from pipeline.model import Paragraph, Token

COST_WEIGHT = 2.5  # Zipf units per edit unit: one arbitrary edit makes a word ~300x less likely
OOV_PRIOR = 2.0  # an unknown word may still be a rare real word or a name: count it as Zipf 2
THRESHOLD = 1.5  # minimum score (log10 odds) for a change; 1.5 keeps dev precision > 0.97
MARGIN = 1.0  # the best candidate must beat the runner-up by this much
SUSPECT_GAP = 3.0  # Zipf gap that makes a known word suspect when one confusion away
SUSPECT_MAX_DISTANCE = 0.3  # ...and only the strongest confusions (b/h, c/e, o/e, li/h, U/ll)
SUSPECT_MIN_LENGTH = 3  # two-letter words (`bo`, `ot`, `te`) are real-word errors: need context
STRICT_EXTRA = 1.5  # more evidence for capitalised words mid-sentence (names) and CAPITALS
STRICT_MAX_DISTANCE = 0.6  # names: at most two cheap confusions
STRICT_SUSPECT_GAP = 4.5


@dataclass(frozen=True)
class Correction:
    paragraph: str
    token: int  # index of the token in its paragraph
    original: str
    replacement: str
    score: float  # log10 odds for the replacement (see module docstring); higher is surer
    reason: str


@dataclass(frozen=True)
class Verdict:
    word: str  # lower-case lexicon word
    score: float
    reason: str


def confidence_extra(conf: float | None) -> float:
    """Extra score a change needs when OCR was sure of the word: 0 up to 60, 3 at 100."""
    if conf is None:
        return 0.0
    return max(0.0, (min(conf, 100.0) - 60.0) / 40.0) * 3.0


def max_distance(length: int, conf: float | None) -> float:
    if conf is not None and conf >= 90:
        return CHEAP
    if length <= 3:
        return CHEAP
    if length <= 5:
        return 1.0
    if length <= 8:
        return 1.5
    return 2.0


def max_edits(length: int) -> int:
    """Plain Levenshtein radius for the bulk search: covers max_distance plus cheap splits."""
    if length <= 3:
        return 1
    if length <= 8:
        return 2
    return 3


def describe(original: str, word: str) -> str:
    """`Govemment`/`government` -> `m->rn`: adjacent edits merged into one look-alike pair."""
    spans: list[list[int]] = []
    for op in Levenshtein.opcodes(original.lower(), word):
        if op.tag == "equal":
            continue
        if spans and spans[-1][1] == op.src_start and spans[-1][3] == op.dest_start:
            spans[-1][1], spans[-1][3] = op.src_end, op.dest_end
        else:
            spans.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return " ".join(f"{original[a:b]}->{word[c:d]}" for a, b, c, d in spans)


def decide(
    core: str, lex: Lexicon, index: CandidateIndex, conf: float | None, strict: bool
) -> Verdict | None:
    """The lexicon word `core` should become, or None to leave it as read."""
    if wordshape.skip_reason(core) or "-" in core or lex.is_user(core):
        return None
    zipf = lex.zipf(core)
    if zipf >= KNOWN_FLOOR:
        gap = (STRICT_SUSPECT_GAP if strict else SUSPECT_GAP) + confidence_extra(conf)
        return _suspect(core, zipf, lex, index, gap)
    extra = confidence_extra(conf) + (STRICT_EXTRA if strict else 0.0)
    limit = max_distance(len(core), conf)
    if strict:
        limit = min(limit, STRICT_MAX_DISTANCE)
    scored = []
    for cand in index.candidates(core, max_edits(len(core))):
        if is_suspect(cand, lex):
            continue
        dist = ocr_distance(core, cand)
        if dist <= limit:
            scored.append((lex.zipf(cand) - OOV_PRIOR - COST_WEIGHT * dist, dist, cand))
    if not scored:
        return None
    scored.sort(reverse=True)
    score, dist, best = scored[0]
    if score < THRESHOLD + extra:
        return None
    if len(scored) > 1 and scored[1][0] > score - MARGIN:
        return None
    kind = "ocr-confusion" if dist < 1.0 else "unknown word, close frequent candidate"
    return Verdict(best, round(score, 2), f"{kind} {describe(core, best)}")


def _suspect(
    core: str, zipf: float, lex: Lexicon, index: CandidateIndex, gap_needed: float
) -> Verdict | None:
    best: tuple[float, float, str] | None = None
    if len(core) < SUSPECT_MIN_LENGTH:
        return None
    for cand in index.confusable(core):
        dist = ocr_distance(core, cand)
        if dist > SUSPECT_MAX_DISTANCE:
            continue
        gap = lex.zipf(cand) - zipf
        if gap >= gap_needed and (best is None or gap > best[0]):
            best = (gap, dist, cand)
    if best is None:
        return None
    gap, dist, cand = best
    score = round(gap - COST_WEIGHT * dist, 2)
    return Verdict(cand, score, f"ocr-confusion {describe(core, cand)}, rare lexicon word")


@lru_cache(maxsize=100_000)
def is_suspect(word: str, lex: Lexicon) -> bool:
    """A lexicon word that is itself most likely an OCR error (`tbh`, `thc`): never a target."""
    return _suspect(word, lex.zipf(word), lex, index_for(lex), SUSPECT_GAP) is not None


class Corrector:
    """Holds the per-run cache: each unique token is decided once."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.index = index_for(lex)
        self.cache: dict[tuple[str, int | None, bool], Verdict | None] = {}

    def token(
        self,
        text: str,
        conf: float | None,
        sentence_start: bool,
        names: frozenset[str] = frozenset(),
    ) -> tuple[str, Verdict | None]:
        shape = wordshape.split(text)
        core = shape.core
        if not core or shape.trail.endswith("-"):  # a word broken at a line end: half a word
            return text, None
        pattern = wordshape.case_pattern(core)
        strict = (
            pattern == "upper"
            or core in names
            or (wordshape.is_capitalised(core) and not sentence_start)
        )
        band = None if conf is None else int(round(conf / 5.0) * 5)
        key = (core, band, strict)
        if key not in self.cache:
            self.cache[key] = decide(core, self.lex, self.index, band, strict)
        verdict = self.cache[key]
        if verdict is None:
            return text, None
        new = shape.lead + wordshape.apply_case(verdict.word, pattern) + shape.trail
        return (text, None) if new == text else (new, verdict)


def correct_paragraphs(
    paragraphs: list[Paragraph], lex: Lexicon, corrector: Corrector | None = None
) -> tuple[list[Paragraph], list[Correction]]:
    """Corrected copies of the paragraphs (src ids kept on every token) and the change log."""
    corrector = corrector or Corrector(lex)
    names = repeated_names(paragraphs, lex)
    out: list[Paragraph] = []
    log: list[Correction] = []
    for par in paragraphs:
        tokens: list[Token] = []
        previous: str | None = None
        for i, tok in enumerate(par.tokens):
            start = wordshape.starts_sentence(previous)
            new, verdict = corrector.token(tok.text, tok.conf, start, names)
            if verdict is not None:
                log.append(Correction(par.id, i, tok.text, new, verdict.score, verdict.reason))
            tokens.append(replace(tok, text=new, src=list(tok.src)))
            previous = tok.text
        out.append(replace(par, tokens=tokens, lines=list(par.lines)))
    return out, log


def repeated_names(paragraphs: list[Paragraph], lex: Lexicon, times: int = 2) -> frozenset[str]:
    """Capitalised unknown words the page repeats: names (`Chave`), not misreadings of a word."""
    counts: Counter[str] = Counter()
    for par in paragraphs:
        for tok in par.tokens:
            core = wordshape.split(tok.text).core
            if wordshape.is_capitalised(core) and not lex.known(core):
                counts[core] += 1
    return frozenset(w for w, n in counts.items() if n >= times)


def unknown_left(paragraphs: list[Paragraph], lex: Lexicon) -> int:
    """Tokens that still look like words but are unknown to the lexicon."""
    count = 0
    for par in paragraphs:
        for tok in par.tokens:
            core = wordshape.split(tok.text).core
            if core and not wordshape.skip_reason(core) and not lex.known(core):
                count += 1
    return count
