"""Word knowledge shared by repair and correct: a frequency lexicon plus the user's own words.

Frequencies come from the `wordfreq` package on the Zipf scale (log10 of occurrences per
billion words: `the` is 7.7, a word seen once in a million is 3). Web-derived lists carry OCR
errors of their own (`tbe` 2.6, `thc` 3.3), so "known" needs a floor, and callers that
replace words ask for more than bare membership.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import langcodes
import wordfreq

KNOWN_FLOOR = 1.5  # Zipf value under which a word-list entry is not trusted as a word
LOAN_LANGUAGES = ("fr", "de", "es", "it")  # where an English page's accented words come from
LOAN_ZIPF = 3.0  # wordfreq's small lists go down to 3 (15 MB for all four, against 180 MB)
USER_ZIPF = 6.0  # what a user-lexicon word counts as: always known, never replaced
ZIPF_MEMO = 50_000  # words whose Zipf value a lexicon remembers (see `Lexicon.__init__`)


def wordfreq_lang(tesseract_lang: str) -> str:
    """Map a Tesseract language code (`eng`, `deu`, `eng+fra`) to wordfreq's (`en`)."""
    first = tesseract_lang.split("+")[0]
    try:
        return langcodes.Language.get(first).language or "en"
    except (ValueError, LookupError):
        return "en"


_EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation around a printed word


class Lexicon:
    def __init__(self, freqs: dict[str, float], user_words: set[str], lang: str = "en"):
        self.lang = lang
        self._freqs = freqs  # lower-case word -> frequency (fraction of all words)
        self.user_words = {w.lower() for w in user_words}
        self.page_words: frozenset[str] = frozenset()  # see `on_page`
        # asked hundreds of thousands of times a batch, mostly about the same words; shared
        # with the `on_page` copies, which know the same words; emptied at ZIPF_MEMO words, so
        # a long batch's one-off misreadings cannot grow it without end
        self._zipf: dict[str, float] = {}

    def zipf(self, word: str) -> float:
        z = self._zipf.get(word)
        if z is None:
            w = word.lower()
            f = self._freqs.get(w)
            z = USER_ZIPF if w in self.user_words else round(math.log10(f) + 9, 2) if f else 0.0
            if len(self._zipf) >= ZIPF_MEMO:
                self._zipf.clear()
            self._zipf[word] = z
        return z

    def known(self, word: str, floor: float = KNOWN_FLOOR) -> bool:
        return bool(word) and self.zipf(word) >= floor

    def on_page(self, words: Iterable[str]) -> Lexicon:
        """This lexicon knowing also the words one page prints whole: a page's own spelling is
        evidence no word list has (`Bin-` / `stock` split at a line end where `Binstock`
        stands whole three times). Line-end halves (`Bin-`) are left out; shares the lists."""
        page = copy.copy(self)
        page.page_words = frozenset(
            core.lower() for w in words if not w.endswith("-") and (core := _EDGES.sub("", w))
        )
        return page

    def printed(self, word: str) -> bool:
        """Does the page (`on_page`) print this word whole, in any case?"""
        return word.lower() in self.page_words

    def is_user(self, word: str) -> bool:
        return word.lower() in self.user_words

    def words(self, floor: float = KNOWN_FLOOR) -> list[str]:
        """Lexicon words at or above `floor`, most frequent first, user words first of all."""
        cut = 10 ** (floor - 9)
        ranked = sorted(
            (w for w, f in self._freqs.items() if f >= cut),
            key=self._freqs.__getitem__,
            reverse=True,
        )
        users = sorted(self.user_words)
        seen = set(users)
        return users + [w for w in ranked if w not in seen]


@lru_cache(maxsize=20_000)
def is_loanword(word: str) -> bool:
    """An accented word another language prints (`débris`, `dépôt`): a spelling to keep, not
    an accent OCR put on a plain letter (`stréet`), though the English list may lack it."""
    w = word.lower()
    if w.isascii() or not w.isalpha():  # `dollar«`: a misread letter, not an accent
        return False
    return any(_foreign_zipf(w, lang) >= LOAN_ZIPF for lang in LOAN_LANGUAGES)


FOREIGN_ZIPF = 4.5


@lru_cache(maxsize=20_000)
def common_abroad(word: str) -> bool:
    """A word other languages print often (`und`, `bis`, `ail`): on an English page, a
    German or French passage, not an English misreading however often it recurs."""
    w = word.lower()
    return any(_foreign_zipf(w, lang) >= FOREIGN_ZIPF for lang in LOAN_LANGUAGES)


def _foreign_zipf(word: str, lang: str) -> float:
    return wordfreq.zipf_frequency(word, lang, wordlist="small")


def read_word_list(path: Path) -> set[str]:
    """One word a line; blank lines and lines starting with # are ignored. Read in any encoding
    a `.txt` input may have (UTF-16 from Windows, Latin-1); ValueError, naming the file, for
    binary data."""
    from pipeline.repair.textinput import decode_lines  # repair imports this module

    lines = decode_lines(Path(path).read_bytes())
    binary = sum(1 for ln in lines for c in ln if ord(c) < 32 and c != "\t")
    if binary > 0.01 * max(1, sum(len(ln) for ln in lines)) or any("\x00" in ln for ln in lines):
        raise ValueError(
            f"{path}: not a word list (binary data); give a text file with one word a line"
        )
    words = set()
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line)
    return words


@lru_cache(maxsize=8)
def _frequencies(lang: str) -> dict[str, float]:
    return wordfreq.get_frequency_dict(lang, wordlist="best")


@lru_cache(maxsize=32)
def load(tesseract_lang: str = "eng", user_files: tuple[Path, ...] = ()) -> Lexicon:
    """The lexicon for a language plus user word lists; cached, as every page asks for it."""
    lang = wordfreq_lang(tesseract_lang)
    user: set[str] = set()
    for f in user_files:
        user |= read_word_list(f)
    return Lexicon(_frequencies(lang), user, lang)
