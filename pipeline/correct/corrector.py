"""Deciding, word by word, whether an OCR word is an error and what was printed instead.

The decision is a small noisy-channel model in log10 units (the Zipf scale of the lexicon):

    score = zipf(candidate) - zipf_or_prior(original) - COST_WEIGHT * ocr_distance

i.e. the log10 odds that the page printed the candidate and OCR garbled it, against the page
printing the original as read. A word changes only when the score clears a threshold that
rises with the OCR confidence, when the runner-up is clearly worse, and when the guards of
`wordshape` allow it (the numbers in capitals are in `constants`). Two kinds of word are
tried:

- unknown words (under the lexicon's floor): any close candidate under the OCR distance;
  the unknown word counts as Zipf OOV_PRIOR, less for long words (`oov_prior`: real words
  are sparse around a long string, so `dofendant` is `defendant`);
- suspect lexicon words: web word lists carry OCR errors (`tbe`, `thc`, `tlie`), so a rare
  known word one listed confusion away from a word at least SUSPECT_GAP Zipf more frequent
  is treated as that word misread. The likeliest look-alike wins (`ond` is `and`, not
  `end`); one dearer than SUSPECT_MAX_DISTANCE must keep the whole gap after its cost, and
  a short word may be two strong slips from a very common word (`tbo` -> `the`).

On a page in period spelling (`period`) spelling-modernising changes are vetoed.

After this word-by-word pass, a second pass uses word-pair counts (`context`) for real-word
errors (`tho`, `arc`, `bo` for the, are, be), and `spacing` mends lost and extra spaces. Words
the user listed or the batch repeats (`batchlex`) are trusted: never replaced. Each unique
(word, confidence band, position) and (neighbours, word) is decided once per Corrector, which
holds what every decision consults (`Sources`); what is known of the page as a whole (names,
period spelling, over-used look-alikes) is worked out once per page (`PageFacts`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from pipeline.correct import (
    bigrams,
    capitals,
    context,
    fullstop,
    learned,
    pagewords,
    period,
    spacing,
    wordshape,
)
from pipeline.correct.batchlex import Knowledge
from pipeline.correct.bigrams import Bigrams
from pipeline.correct.candidates import CandidateIndex, index_for
from pipeline.correct.constants import (
    CAPITAL_SLIP_ZIPF,
    CONFIDENCE_EXTRA_MAX,
    COST_WEIGHT,
    HALF_MIN_ZIPF,
    MISREAD_RELIEF,
    NONWORD_THRESHOLD,
    OOV_LONG_FROM,
    OOV_LONG_STEP,
    OOV_PRIOR,
    OOV_PRIOR_MIN,
    QUIET_MIN_WORDS,
    QUIET_NOISE,
    RARE_MAX_ZIPF,
    RUNNER_UP_MARGIN,
    STRICT_EXTRA,
    STRICT_MAX_DISTANCE,
    STRICT_SUSPECT_GAP,
    SUSPECT_GAP,
    SUSPECT_MAX_DISTANCE,
    SUSPECT_MIN_LENGTH,
    TWO_SLIP_MAX_LENGTH,
    TWO_SLIP_ZIPF,
)
from pipeline.correct.ocrdistance import CHEAP, confusion_variants, ocr_distance
from pipeline.lexicon import KNOWN_FLOOR, Lexicon, is_loanword
from pipeline.model import Paragraph, Token

PLAIN_PUNCTUATION = ".,;:!?'\"’”)]"
MARK_SCORE = 2.0  # log10 odds logged for a mark read for a space (`spacing.split_at_mark`)
FULL_STOP_SCORE = 2.0  # log10 odds logged for a mended full stop (`fullstop`)


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
    arbitrary: bool = False  # needs a full edit, not only look-alikes: wants a neighbour's support


def confidence_extra(conf: float | None) -> float:
    """Extra score a change needs when OCR was sure of the word: 0 up to 60, linear to
    CONFIDENCE_EXTRA_MAX at 100.

    Small, because Tesseract is sure of its misreads too: on the newspaper benchmark's pages
    (stage 3 words with confidences, judged against the ground truth) 69 changes of words read
    at 90+ were 68 right. With 3.0 at 100, 100 changes were made, all right (heavy pages'
    median CER 1.28 %); with 0.5, 168 changes, 165 right (1.14 %); with none, 182, 179 right.
    """
    if conf is None:
        return 0.0
    return max(0.0, (min(conf, 100.0) - 60.0) / 40.0) * CONFIDENCE_EXTRA_MAX


def oov_prior(length: int, period_page: bool = False) -> float:
    """The Zipf an unknown word of this length is counted as (see OOV_PRIOR). Period print
    spells real words a letter away from their modern form (`marveilous`), so long words
    there stay more likely as printed (`period.OOV_PRIOR_MIN`)."""
    floor = period.OOV_PRIOR_MIN if period_page else OOV_PRIOR_MIN
    return max(floor, OOV_PRIOR - OOV_LONG_STEP * max(0, length - OOV_LONG_FROM))


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


@dataclass(frozen=True)
class Sources:
    """What every decision consults: the lexicon, its candidate index, the word-pair counts
    and what the batch teaches (`batchlex.Knowledge`: trusted words, letter slips, the
    batch's misreadings), built once per `Corrector`."""

    lex: Lexicon
    index: CandidateIndex
    bigrams: Bigrams
    batch: Knowledge

    @classmethod
    def build(cls, lex: Lexicon, batch: Knowledge | None = None) -> Sources:
        """Sources for `lex`; trusted words lower-cased, misreadings the batch trusts dropped."""
        batch = batch or Knowledge()
        trusted = frozenset(w.lower() for w in batch.trusted)
        misread = {w: v for w, v in batch.misread.items() if w not in trusted}
        return cls(lex, index_for(lex), bigrams.load(), Knowledge(trusted, batch.slips, misread))


def decide(
    core: str,
    sources: Sources,
    conf: float | None,
    strict: bool,
    period_page: bool = False,
    page_slips: frozenset[tuple[str, str]] = frozenset(),
) -> Verdict | None:
    """The lexicon word `core` should become, or None to leave it as read.

    The batch's letter slips and the page's own (`learned.py`) are cheap for unknown words
    only. A word the batch shows this rare word misreading (`batchlex.misread`: `waa` for
    `was`) needs MISREAD_RELIEF less of a frequency gap.
    """
    lex, index = sources.lex, sources.index
    learned = sources.batch.slips
    if wordshape.skip_reason(core) or "-" in core or lex.is_user(core):
        return None
    if core.lower() in sources.batch.trusted:
        return None
    misread_for = sources.batch.misread.get(core.lower())
    zipf = lex.zipf(core)
    if strict and zipf < KNOWN_FLOOR and _capital_slip(core, lex, learned):
        strict = False  # the capital is the batch's own slip (`a Tepublic`), not a name's
    if zipf >= KNOWN_FLOOR:
        gap = (STRICT_SUSPECT_GAP if strict else SUSPECT_GAP) + confidence_extra(conf)
        return _suspect(core, zipf, lex, index, gap, misread_for)
    if not core.isascii() and is_loanword(core):
        return None
    extra = confidence_extra(conf) + (STRICT_EXTRA if strict else 0.0)
    limit = max_distance(len(core), conf)
    if strict:
        limit = min(limit, STRICT_MAX_DISTANCE)
    scored = []
    # a candidate that could not win nor come within RUNNER_UP_MARGIN of a winner even at distance 0
    # cannot change the outcome: skip it before the (costly) weighted distance
    if wordshape.broken_case(core) and not period_page:
        prior = OOV_PRIOR_MIN  # capitals read partly in lower case: a misread, not a rare word
    else:
        prior = oov_prior(len(core), period_page)
    floor = NONWORD_THRESHOLD + extra - RUNNER_UP_MARGIN + prior
    for cand in index.candidates(core, max_edits(len(core))):
        if lex.zipf(cand) < floor or is_suspect(cand, lex):
            continue
        dist = ocr_distance(core, cand, learned, page_slips)
        if dist <= limit:
            scored.append((lex.zipf(cand) - prior - COST_WEIGHT * dist, dist, cand))
    if not scored:
        return None
    scored.sort(reverse=True)
    score, dist, best = scored[0]
    if score < NONWORD_THRESHOLD + extra:
        return None
    if len(scored) > 1 and scored[1][0] > score - RUNNER_UP_MARGIN:
        return None
    kind = "ocr-confusion" if dist < 1.0 else "unknown word, close frequent candidate"
    if learned and dist < 1.0 and ocr_distance(core, best) >= 1.0:
        kind = "batch-learned look-alike"
    if page_slips and dist < ocr_distance(core, best, learned):
        kind = "the page's own letter slip"
    return Verdict(best, round(score, 2), f"{kind} {describe(core, best)}", dist >= 1.0)


def _capital_slip(core: str, lex: Lexicon, learned: frozenset[tuple[str, str]]) -> bool:
    """`Tepublic`, `Seneral`: a capital the batch is known to read for a lower-case letter,
    the rest of the word lower case and, with that letter, a common word."""
    if len(core) < 4 or not core[0].isupper() or not core[1:].islower():
        return False
    rest = core[1:]
    return any(a == core[0].lower() and lex.zipf(b + rest) >= CAPITAL_SLIP_ZIPF for a, b in learned)


def _suspect(
    core: str,
    zipf: float,
    lex: Lexicon,
    index: CandidateIndex,
    gap_needed: float,
    misread_for: str | None = None,
) -> Verdict | None:
    best: tuple[float, float, str] | None = None
    if len(core) < SUSPECT_MIN_LENGTH or zipf >= RARE_MAX_ZIPF:
        return None
    # the likeliest look-alike wins (`ond`: `and`, o/a, beats `end`, o/e); one dearer than
    # SUSPECT_MAX_DISTANCE needs the whole gap left after its cost (`foi`/`for`)
    top = float("-inf")
    for cand in index.confusable(core):
        dist = ocr_distance(core, cand)
        gap = lex.zipf(cand) - zipf
        score = gap - COST_WEIGHT * dist
        if dist > CHEAP or score <= top:
            continue
        top = score
        cheap = dist <= SUSPECT_MAX_DISTANCE
        need = gap_needed - (MISREAD_RELIEF if cand == misread_for else 0.0)
        best = (gap, dist, cand) if gap >= need and (cheap or score >= need) else None
    if best is None:
        best = _two_slips(core, zipf, lex, gap_needed)
    if best is None:
        return None
    gap, dist, cand = best
    score = round(gap - COST_WEIGHT * dist, 2)
    why = "the batch's recurring misreading" if cand == misread_for else "rare lexicon word"
    return Verdict(cand, score, f"ocr-confusion {describe(core, cand)}, {why}")


def _two_slips(
    core: str, zipf: float, lex: Lexicon, gap_needed: float
) -> tuple[float, float, str] | None:
    """`tbo` -> `the`: two strong look-alikes away from a very common word, with the gap left
    after their cost still at `gap_needed`; None if not exactly one such word."""
    if len(core) > TWO_SLIP_MAX_LENGTH:
        return None
    found = set()
    for v in confusion_variants(core):
        found.update(w for w in confusion_variants(v) if lex.zipf(w) >= TWO_SLIP_ZIPF)
    found.discard(core.lower())
    scored = []
    for cand in found:
        dist = ocr_distance(core, cand)
        gap = lex.zipf(cand) - zipf
        if dist <= 2 * SUSPECT_MAX_DISTANCE and gap - COST_WEIGHT * dist >= gap_needed:
            scored.append((gap, dist, cand))
    return scored[0] if len(scored) == 1 else None


@lru_cache(maxsize=100_000)
def is_suspect(word: str, lex: Lexicon) -> bool:
    """A lexicon word that is itself most likely an OCR error (`tbh`, `thc`): never a target."""
    return _suspect(word, lex.zipf(word), lex, index_for(lex), SUSPECT_GAP) is not None


class Corrector:
    """Holds the per-run caches: each unique token (and token in context) is decided once."""

    def __init__(self, lex: Lexicon, batch: Knowledge | None = None):
        """`batch`: what the batch teaches (`batchlex.knowledge`); none for a page alone."""
        self.sources = Sources.build(lex, batch)
        self.lex = lex
        self.trusted = self.sources.batch.trusted
        self.bigrams = self.sources.bigrams
        self.cache: dict[
            tuple[str, int | None, bool, bool, frozenset[tuple[str, str]]], Verdict | None
        ] = {}
        self.context_cache: dict[
            tuple[str | None, str, str, int | None, float, bool], context.RealWord | None
        ] = {}

    def known(self, word: str) -> bool:
        return self.lex.known(word) or word.lower() in self.trusted

    def common(self, word: str) -> bool:
        """A word in its own right: never the half of a split word.

        Batch-trusted words do not count: a fragment such as `ber` (`Decem ber`, `num ber`)
        recurs across pages precisely because words break the same way.
        """
        return self.lex.zipf(word) >= HALF_MIN_ZIPF or self.lex.is_user(word)

    def protected(self, core: str) -> bool:
        """A word never replaced: the user's or the batch's own."""
        return self.lex.is_user(core) or core.lower() in self.trusted

    def token(
        self,
        text: str,
        conf: float | None,
        sentence_start: bool,
        names: frozenset[str] = frozenset(),
        period_page: bool = False,
        page_slips: frozenset[tuple[str, str]] = frozenset(),
    ) -> tuple[str, Verdict | None]:
        shape = wordshape.split(text)
        core = shape.core
        if not core or shape.trail.endswith("-"):  # a word broken at a line end: half a word
            return text, None
        pattern = wordshape.case_pattern(core)
        strict = _strict(core, sentence_start, names)
        band = _band(conf)
        verdict = None
        tries: tuple[frozenset[tuple[str, str]], ...] = (frozenset(),)
        if page_slips and self.lex.zipf(core) < KNOWN_FLOOR:
            lower = core.lower()
            slips = frozenset(pair for pair in page_slips if pair[0] in lower)
            if slips:  # only for an unknown word holding a letter the page misreads
                tries = (frozenset(), slips)
        for slips in tries:
            # the page's slips only where the rules for any page leave the word as read
            key = (core, band, strict, period_page, slips)
            if key not in self.cache:
                self.cache[key] = decide(core, self.sources, band, strict, period_page, slips)
            verdict = self.cache[key]
            if verdict is not None:
                break
        if verdict is None:
            return text, None
        new = shape.lead + wordshape.apply_case(verdict.word, pattern) + shape.trail
        return (text, None) if new == text else (new, verdict)

    def page_word(
        self,
        text: str,
        words: dict[str, tuple[int, str]],
        sentence_start: bool,
        names: frozenset[str],
    ) -> tuple[str, Verdict] | None:
        """An unknown token one edit from a word the page prints often, as that word
        (`pagewords`); None for a name, a known word, or no single such page word."""
        shape = wordshape.split(text)
        core = shape.core
        if not core or shape.trail.endswith("-") or "-" in core or self.protected(core):
            return None
        if wordshape.skip_reason(core) or self.lex.zipf(core) >= KNOWN_FLOOR:
            return None
        found = pagewords.page_word(core, words, self.sources.batch.slips)
        if found is None:
            return None
        word, dist = found
        times, form = words[word]
        # a name (capitalised mid-sentence) only as a look-alike of a name the page prints
        # (`Sarah Ilorton` on a page of Hortons), never by an arbitrary edit (`Hurton`)
        if _strict(core, sentence_start, names) and not (
            dist <= CHEAP and form[:1].isupper() and wordshape.is_capitalised(core)
        ):
            return None
        if form.islower():
            form = wordshape.apply_case(word, wordshape.case_pattern(core))
        new = shape.lead + form + shape.trail
        score = round(self.lex.zipf(word) - COST_WEIGHT * dist, 2)
        why = f"a word the page prints {times} times {describe(core, word)}"
        return new, Verdict(word, score, why)

    def merged(
        self, text: str, conf: float | None, sentence_start: bool, names: frozenset[str]
    ) -> tuple[str, str, Verdict] | None:
        """`ofthe,` -> (`of`, `the,`): a token that lost its space, or None."""
        shape = wordshape.split(text)
        core = shape.core
        if not core or _strict(core, sentence_start, names) or self.protected(core):
            return None
        if shape.trail.endswith("-") or wordshape.skip_reason(core):
            return None
        found = spacing.split_merged(core, self.lex, self.bigrams, self.known)
        if found is None:
            return None
        a, b, gap = found
        if gap < confidence_extra(conf):
            return None
        pattern = wordshape.case_pattern(core)
        first = shape.lead + wordshape.apply_case(a, pattern)
        second = (b.upper() if pattern == "upper" else b) + shape.trail
        reason = f"lost space {core}->{a} {b}: pair {gap:+.1f} Zipf over the token"
        return first, second, Verdict(f"{a} {b}", gap, reason)

    def marked(self, text: str) -> tuple[str, str, Verdict] | None:
        """`of.the` -> (`of`, `the`): two words a speck's mark joined (`spacing.split_at_mark`)."""
        shape = wordshape.split(text)
        if not shape.core or wordshape.skip_reason(shape.core) not in (None, "symbols"):
            return None  # a url, a number; `symbols` is the mark itself
        found = spacing.split_at_mark(shape.core, self.lex)
        if found is None:
            return None
        a, b = found
        reason = f"a speck's mark for a space: {shape.core} -> {a} {b}"
        return shape.lead + a, b + shape.trail, Verdict(f"{a} {b}", MARK_SCORE, reason)

    def joined(
        self, left: Token, right: Token, sentence_start: bool, names: frozenset[str]
    ) -> tuple[str, Verdict] | None:
        """`gov` `ernment` -> `government`: two tokens split by a stray space, or None."""
        a, b = wordshape.split(left.text), wordshape.split(right.text)
        hyphen = a.trail == "-"  # `num- ber`: a line-end hyphen left inside a line
        if (a.trail and not hyphen) or b.lead or not a.core or not b.core:
            return None
        if self.lex.is_user(a.core) or self.lex.is_user(b.core) or a.core in names:
            return None
        if wordshape.case_pattern(a.core) == "upper":  # spaced-out capitals: often printed so
            return None
        if b.trail.strip(PLAIN_PUNCTUATION):  # `liant#`: a misread letter left over, unsure
            return None
        if wordshape.skip_reason(a.core + b.core):
            return None
        score = spacing.join_split(a.core, b.core, self.lex, self.common)
        confs = [c for c in (left.conf, right.conf) if c is not None]
        if score is None or score < NONWORD_THRESHOLD + confidence_extra(min(confs, default=None)):
            return None
        text = a.lead + a.core + b.core.lower() + b.trail
        what = "broken word" if hyphen else "extra space"
        reason = f"{what} {a.core}{a.trail} {b.core}->{text.strip()}, not both words"
        return text, Verdict((a.core + b.core).lower(), score, reason)

    def period_veto(self, text: str, verdict: Verdict) -> bool:
        """On a period page: a change that may only modernise the spelling (see `period`)."""
        core = wordshape.split(text).core
        if verdict.arbitrary or period.period_form(core, self.lex):
            return True
        return self.lex.known(core) and period.vowel_only(core, verdict.word)

    def supported(self, prev: str | None, text: str, nxt: str | None, word: str) -> bool:
        """Whether a neighbour forms a listed word pair with `word` (`I would`, `would have`).

        A change that needs a full edit (`woulde` -> `would`, `maske` -> `make`) is as likely a
        period spelling or a name as a misreading; a listed pair with either neighbour (not
        across punctuation) is the evidence it takes.
        """
        shape = wordshape.split(text)
        if prev is not None and not shape.lead:
            before = wordshape.split(prev)
            if not before.trail and before.core and self.bigrams.count(before.core, word):
                return True
        if nxt is not None and not shape.trail:
            after = wordshape.split(nxt)
            if not after.lead and after.core and self.bigrams.count(word, after.core):
                return True
        return False

    def real_word(
        self,
        prev: str | None,
        text: str,
        nxt: str,
        conf: float | None,
        page: PageFacts,
    ) -> tuple[str, Verdict] | None:
        """A word changed because its neighbours want another word, or None.

        `prev` None: the word opens a sentence, and may be Title-case (`Tho visitors`).
        """
        shape = wordshape.split(text)
        core = shape.core
        if not core or not core.isalpha() or core in page.names:
            return None
        pattern = wordshape.case_pattern(core)
        if pattern != "lower" and not (prev is None and pattern == "title"):
            return None
        if wordshape.skip_reason(core) or self.protected(core):
            return None
        band = _band(conf)
        more = page.context_extra
        over = core.lower() in page.overused
        key = (None if prev is None else prev.lower(), core, nxt.lower(), band, more, over)
        if key not in self.context_cache:
            extra = confidence_extra(band) + more
            self.context_cache[key] = context.decide(
                prev, core, nxt, self.bigrams, extra, self.lex.zipf, over
            )
        found = self.context_cache[key]
        if found is None:
            return None
        new = shape.lead + wordshape.apply_case(found.word, pattern) + shape.trail
        return new, Verdict(found.word, found.score, found.reason)


def _band(conf: float | None) -> int | None:
    return None if conf is None else int(round(conf / 5.0) * 5)


def _strict(core: str, sentence_start: bool, names: frozenset[str]) -> bool:
    """Capitalised mid-sentence (a name?), a repeated name, or CAPITALS: needs more evidence."""
    if wordshape.broken_case(core):
        return False
    pattern = wordshape.case_pattern(core)
    return (
        pattern == "upper"
        or core in names
        or (wordshape.is_capitalised(core) and not sentence_start)
    )


@dataclass(frozen=True)
class PageFacts:
    """What the corrector knows of the page as a whole, worked out before its words."""

    names: frozenset[str]  # `repeated_names`: capitalised unknown words the page repeats
    period: bool  # printed in period spelling (`period.is_period_page`)
    overused: frozenset[str]  # `context.overused_words` (none on a period page)
    words: dict[str, tuple[int, str]]  # `pagewords.vocabulary`: words the page prints often
    noise: float  # `page_noise`: the share of the page's longer words that are no word
    slips: frozenset[tuple[str, str]]  # `learned.on_page`: letter slips the page repeats

    @classmethod
    def of(cls, paragraphs: list[Paragraph], lex: Lexicon) -> PageFacts:
        names = repeated_names(paragraphs, lex)
        period_page = period.is_period_page(paragraphs, lex)
        cores = [wordshape.split(t.text).core for p in paragraphs for t in p.tokens]
        noise = page_noise(cores, lex)
        overused = (
            frozenset()
            if period_page or noise < QUIET_NOISE
            else context.overused_words(cores, lex.zipf, KNOWN_FLOOR)
        )
        words = pagewords.vocabulary(paragraphs, lex)
        slips = frozenset() if period_page else learned.on_page(cores, lex)
        return cls(names, period_page, overused, words, noise, slips)

    @property
    def context_extra(self) -> float:
        """Extra log10 odds a real-word change needs on this page (period pages)."""
        return period.CONTEXT_EXTRA if self.period else 0.0


def page_noise(cores: list[str], lex: Lexicon) -> float:
    """The share of the page's lower-case words of four letters or more that no word list
    knows: how much Tesseract misread the page (see QUIET_NOISE)."""
    lowers = [c for c in cores if len(c) >= 4 and c.isalpha() and c.islower()]
    if len(lowers) < QUIET_MIN_WORDS:
        return 1.0  # too few words to tell: not taken for a quiet page
    return sum(lex.zipf(c) < KNOWN_FLOOR for c in lowers) / len(lowers)


def correct_paragraphs(
    paragraphs: list[Paragraph],
    lex: Lexicon,
    corrector: Corrector | None = None,
    trusted: frozenset[str] = frozenset(),
) -> tuple[list[Paragraph], list[Correction]]:
    """Corrected copies of the paragraphs (src ids kept on every token) and the change log.

    A token split in two keeps its src ids on both halves; two tokens joined get both ids.
    """
    corrector = corrector or Corrector(lex, Knowledge(trusted=trusted))
    paragraphs, figures = fullstop.after_figures(paragraphs, lex)
    paragraphs, items = fullstop.item_numbers(paragraphs)
    paragraphs, stops = fullstop.mend(paragraphs, lex)
    paragraphs, capital_t = capitals.t_for_i(paragraphs, lex)
    first_mended: dict[str, list[Correction]] = {}  # by the page-wide rules above
    for found, score, reason in (
        (figures, FULL_STOP_SCORE, fullstop.FIGURE_REASON),
        (items, FULL_STOP_SCORE, fullstop.ITEM_REASON),
        (stops, FULL_STOP_SCORE, fullstop.REASON),
        (capital_t, capitals.SCORE, capitals.T_REASON),
    ):
        for par_id, i, old, new in found:
            first_mended.setdefault(par_id, []).append(
                Correction(par_id, i, old, new, score, reason)
            )
    page = PageFacts.of(paragraphs, lex)
    out: list[Paragraph] = []
    log: list[Correction] = []
    for par in paragraphs:
        par_log: list[Correction] = list(first_mended.get(par.id, []))
        slots, changed = _word_pass(par, corrector, page, par_log)
        tokens = _context_pass(par.id, slots, changed, corrector, page, par_log)
        out.append(replace(par, tokens=tokens, lines=list(par.lines)))
        log.extend(sorted(par_log, key=lambda c: c.token))
    return out, log


def _word_pass(
    par: Paragraph, corrector: Corrector, page: PageFacts, log: list[Correction]
) -> tuple[list[tuple[int, Token]], set[int]]:
    """Tokens after word-by-word correction and space mending, each with its source index.

    On a period page (`period`) spelling-modernising changes and lost-space splits are off.
    """
    names, period_page = page.names, page.period
    slots: list[tuple[int, Token]] = []
    changed: set[int] = set()
    previous: str | None = None
    toks = par.tokens
    i = 0
    while i < len(toks):
        tok = toks[i]
        start = wordshape.starts_sentence(previous)
        if i + 1 < len(toks):
            joined = corrector.joined(tok, toks[i + 1], start, names)
            if joined is not None:
                text, verdict = joined
                right = toks[i + 1]
                original = f"{tok.text} {right.text}"
                log.append(Correction(par.id, i, original, text, verdict.score, verdict.reason))
                confs = [c for c in (tok.conf, right.conf) if c is not None]
                new = Token(text, list(tok.src) + list(right.src), min(confs, default=None))
                slots.append((i, new))
                changed.add(len(slots) - 1)
                previous = right.text
                i += 2
                continue
        marked = corrector.marked(tok.text)
        if marked is not None:
            first, second, verdict = marked
            log.append(
                Correction(par.id, i, tok.text, f"{first} {second}", verdict.score, verdict.reason)
            )
            _two_slots(slots, changed, i, tok, first, second)
            previous = tok.text
            i += 1
            continue
        new_text, verdict = corrector.token(
            tok.text, tok.conf, start, names, period_page, page.slips
        )
        if verdict is not None and verdict.arbitrary:
            nxt = toks[i + 1].text if i + 1 < len(toks) else None
            if not corrector.supported(previous, tok.text, nxt, verdict.word):
                verdict = None
        if verdict is not None and period_page and corrector.period_veto(tok.text, verdict):
            verdict = None
        if verdict is None and not period_page:
            found = corrector.page_word(tok.text, page.words, start, names)
            if found is not None:
                new_text, verdict = found
        if verdict is not None:
            log.append(Correction(par.id, i, tok.text, new_text, verdict.score, verdict.reason))
            slots.append((i, replace(tok, text=new_text, src=list(tok.src))))
            changed.add(len(slots) - 1)
        else:
            merged = None if period_page else corrector.merged(tok.text, tok.conf, start, names)
            if merged is None:
                slots.append((i, replace(tok, src=list(tok.src))))
            else:
                first, second, verdict = merged
                text = f"{first} {second}"
                log.append(Correction(par.id, i, tok.text, text, verdict.score, verdict.reason))
                _two_slots(slots, changed, i, tok, first, second)
        previous = tok.text
        i += 1
    return slots, changed


def _two_slots(
    slots: list[tuple[int, Token]], changed: set[int], i: int, tok: Token, *halves: str
) -> None:
    """Token i split in two (a lost space put back): both halves keep its source ids."""
    for half in halves:
        slots.append((i, replace(tok, text=half, src=list(tok.src))))
        changed.add(len(slots) - 1)


def _context_pass(
    par_id: str,
    slots: list[tuple[int, Token]],
    changed: set[int],
    corrector: Corrector,
    page: PageFacts,
    log: list[Correction],
) -> list[Token]:
    """Real-word errors, judged against the neighbours as corrected by the word pass."""
    tokens = [t for _, t in slots]
    shapes = [wordshape.split(t.text) for t in tokens]
    out = list(tokens)
    for j in range(len(tokens) - 1):
        if j in changed or shapes[j].lead or shapes[j].trail:
            continue
        after = shapes[j + 1]
        if after.lead or not after.core:
            continue
        before = shapes[j - 1] if j > 0 else None
        lowered = capitals.mend(before, shapes[j], after, tokens[j].conf)
        if lowered is not None:
            why = "capital I misread mid-sentence: between lower-case words"
            score = capitals.SCORE
            log.append(Correction(par_id, slots[j][0], tokens[j].text, lowered, score, why))
            out[j] = replace(tokens[j], text=lowered, src=list(tokens[j].src))
            continue
        prev: str | None = None
        after_mark = False  # `granite, bo adopted`: no left pair across a comma, as at a start
        if j > 0 and not wordshape.starts_sentence(tokens[j - 1].text):
            before = shapes[j - 1]
            if before.trail or not before.core:
                after_mark = True
            else:
                prev = before.core
        if after_mark and wordshape.case_pattern(shapes[j].core) != "lower":
            continue
        found = corrector.real_word(prev, tokens[j].text, after.core, tokens[j].conf, page)
        if found is None:
            continue
        text, verdict = found
        index = slots[j][0]
        log.append(Correction(par_id, index, tokens[j].text, text, verdict.score, verdict.reason))
        out[j] = replace(tokens[j], text=text, src=list(tokens[j].src))
    return out


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
