"""Every tuned number of the correction stage, in one place.

Scores are log10 odds and frequencies Zipf (log10 per billion words), the lexicon's scale
(`pipeline.lexicon`), so a score and a frequency gap add up. OCR distances are those of
`ocrdistance` (a listed look-alike costs 0.1-0.5, any other edit 1.0). Each value says where
it comes from: a measurement on the development sets (`bench/correction.py`, `bench/RESULTS.md`
section 2) or on the newspaper benchmark (section 1), or the reasoning behind it.

The batch's *misreadings* (`batchlex.misread`: `waa` for `was`, worked out over a whole batch)
are distinct from a page's *over-used* words (`context.overused_words`: `tho` five times on one
page); each has its own constants below.
"""

from __future__ import annotations

# --- the noisy-channel score shared by every decision (`corrector`, `context`, `spacing`) ---

# Zipf units per OCR-distance unit: one arbitrary edit makes a word ~300x less likely.
COST_WEIGHT = 2.5
# An unknown word may still be a rare real word or a name: it counts as this Zipf...
OOV_PRIOR = 2.0
# ...less the longer it is, since real words are sparse around a long string (`dofendant`,
# `decoratod`): OOV_LONG_STEP Zipf off per letter beyond OOV_LONG_FROM, down to OOV_PRIOR_MIN.
OOV_LONG_FROM = 5
OOV_LONG_STEP = 0.3
# 0.5, not 1.0 (session 11): long misreads one plain edit from a common word (`separeation`)
# were left; at 0.5 the archive sets make 13 more changes, 12 right (smh precision 0.959 ->
# 0.960, icdar2017 0.945 -> 0.944), and 4 real scans read better, none worse.
OOV_PRIOR_MIN = 0.5
# The best candidate must beat the runner-up by this much (non-words and real words alike).
RUNNER_UP_MARGIN = 1.0
# Extra log10 odds a change needs at OCR confidence 100 (0 up to 60, linear between): small,
# because Tesseract is sure of its misreads too (measured on the newspaper benchmark, see
# `corrector.confidence_extra`).
CONFIDENCE_EXTRA_MAX = 0.5
# A word more frequent than this (10 per million: `tho`, `arc`, `bo`) is a real word, not noise
# of the web word lists: never a suspect, never one of the batch's misreadings; it changes only
# when its neighbours ask for it (the context pass).
RARE_MAX_ZIPF = 4.0

# --- non-words and suspect lexicon words (`corrector`) ---

# Minimum score for changing a non-word; 1.5 keeps dev-set precision over 0.97.
NONWORD_THRESHOLD = 1.5
# Zipf gap that makes a known (rare) word suspect when one confusion from a frequent word...
SUSPECT_GAP = 3.0
# ...through only the strongest confusions (b/h, c/e, o/e, li/h, U/ll)...
SUSPECT_MAX_DISTANCE = 0.3
# ...and never a two-letter word (`bo`, `ot`, `te` are real-word errors: they need context).
SUSPECT_MIN_LENGTH = 3
# A suspect two look-alikes away: only from words this common, and only short words (`tbo`,
# `tbc`): the search grows with the square of the length.
TWO_SLIP_ZIPF = 6.0
TWO_SLIP_MAX_LENGTH = 5
# Gap relief for the batch's own misreading (`waa` page after page is `was`: a/s leaves 2.97
# of the 3.0 gap).
MISREAD_RELIEF = 1.0
# Capitalised words mid-sentence (names) and CAPITALS: more evidence, at most two cheap
# confusions, a wider suspect gap.
STRICT_EXTRA = 1.5
STRICT_MAX_DISTANCE = 0.6
STRICT_SUSPECT_GAP = 4.5
# `Tepublic` is not guarded as a name when the batch reads T for r and `republic` is this common.
CAPITAL_SLIP_ZIPF = 3.0

# --- real-word errors from word-pair counts (`context`) ---

# Each neighbour must make the candidate 10x likelier than the word as read.
REAL_WORD_SIDE_MIN = 1.0
# Total score for a real-word change: 1000:1 (against NONWORD_THRESHOLD for a non-word).
REAL_WORD_THRESHOLD = 3.0
# Only one cheap look-alike away: o/e, c/e, b/h, n/u, t/f, li/h, rn/m.
REAL_WORD_MAX_DISTANCE = 0.4
# A silent (unlisted) left neighbour counts only for words this long: two-letter words (`af`,
# `oi`) have too many look-alike readings.
SILENT_MIN_LENGTH = 3
# Cap on the unigram odds standing in for a silent side: at a sentence start the right side
# must then give >= 2.25 for an o/e slip.
START_PRIOR_CAP = 1.5
# A page's over-used look-alike (`tho` x 5): each side need only not disfavour the candidate
# (`of tho wharf`: `the wharf` is listed at 7.8M, barely over the unlisted floor, +0.4); a
# two-letter word (`er`, `af`, `te`) has too many readings: there a side must give something;
# and the score need only clear the non-word threshold (dev set: smh +82 right changes at
# precision 0.961, icdar2017 0.952 -> 0.953; see the `context` docstring).
OVERUSED_SIDE_MIN = 0.0
OVERUSED_SHORT_SIDE_MIN = 0.2
OVERUSED_THRESHOLD = NONWORD_THRESHOLD
# A word is over-used on a page when printed PAGE_OVERUSE_RATIO times more often than the
# lexicon predicts, at least PAGE_OVERUSE_MIN times, and one cheap look-alike of a word
# PAGE_OVERUSE_GAP Zipf more frequent.
PAGE_OVERUSE_RATIO = 20.0
PAGE_OVERUSE_MIN = 2
PAGE_OVERUSE_GAP = 2.0
# A quiet page: under this share of its longer lower-case words are no word
# (`corrector.page_noise`; clean book pages 0.3-1 %, the archive OCR sets 4-18 %, median 8 %),
# counted over at least QUIET_MIN_WORDS of them (a paragraph or two is no page). Tesseract
# misreads little there, so a word printed twice is the page's own vocabulary, not a recurring
# misreading: a quiet page has no over-used words. On the 125 real scans this drops one change,
# a wrong one (a book page: `The youngest wore a tunic` -> `were`); on the archive sets one
# right change of smh's 851 (precision 0.964 either way). Asking real-word changes on quiet
# pages for more evidence as well (+1.0) also stopped that page's `They wore
# gold-embroidered slippers` -> `were`, but cost a right `arid that` -> `and that` on a
# synthetic heavy page and another right smh change: not adopted.
QUIET_NOISE = 0.01
QUIET_MIN_WORDS = 50

# --- lost and extra spaces (`spacing`) ---

# Lost space, unknown token: the word pair must be 30x more frequent than the token's prior.
MERGED_GAP = 1.5
# Lost space, known token (web lists carry `ofthe`): 1000x more frequent than the token...
KNOWN_MERGED_GAP = 3.0
# ...and the token must be rare (`cannot`, `into`, `maybe` are never split).
KNOWN_MERGED_MAX = 3.5
# Each half of a lost-space token must be a common word (also what makes a half "a word in its
# own right" that is never joined)...
HALF_MIN_ZIPF = 3.0
# ...and the second more than a letter (`placea` is `placed`).
LAST_HALF_MIN_LENGTH = 2
# Extra space: the joined word must be a common word.
JOINED_MIN_ZIPF = 3.0

# --- what the batch teaches (`batchlex`) ---

# A word on this many pages of a batch is trusted (unless it looks like a misreading).
TRUST_MIN_PAGES = 2
# Look-alikes of the commonest words (`the`, `and`, `are`, `be`, `but`) are never trusted.
COMMON_LOOKALIKE_ZIPF = 6.0
COMMON_LOOKALIKE_DISTANCE = 0.4
# An unknown word one cheap slip from a word this frequent is a misreading (`moming`), however
# often it recurs.
UNKNOWN_MISREAD_ZIPF = 3.5
UNKNOWN_MISREAD_DISTANCE = 0.4
# Nor is a rare word trusted that is one slip (OUTNUMBER_DISTANCE: a listed look-alike pair or
# two, or one arbitrary edit) from a word of Zipf OUTNUMBER_TARGET_ZIPF the batch prints on
# OUTNUMBER times as many pages (`mado` beside `made`).
OUTNUMBER_TARGET_ZIPF = 5.0
OUTNUMBER = 3
OUTNUMBER_DISTANCE = 1.0
# The batch's misreadings (`batchlex.misread`): rare known words on MISREAD_MIN_PAGES pages or
# more, printed MISREAD_RATIO times more often than their look-alike predicts (as
# PAGE_OVERUSE_RATIO, on pages instead of tokens), the look-alike MISREAD_GAP Zipf more
# frequent and one listed look-alike (MISREAD_DISTANCE) away.
MISREAD_MIN_PAGES = 3
MISREAD_RATIO = PAGE_OVERUSE_RATIO
MISREAD_GAP = 2.0
MISREAD_DISTANCE = 0.5

# --- letter slips learned from the batch (`learned`) ---

# A slip is learned when this many different (misreading, word) pairs show it...
SLIP_MIN_PAIRS = 3
# ...this many times more than chance would (see `learned.evidence`)...
SLIP_EXCESS = 10.0
# ...in unknown words this long or longer...
SLIP_MIN_LENGTH = 4
# ...one letter from a batch word this common.
SLIP_TARGET_ZIPF = 3.0
# A page's own slip (`learned.on_page`): this many different unknown words of the page show it.
PAGE_SLIP_MIN_WORDS = 3
# ...and at least this share of the page's unknown words one letter pair from a common word: on
# the development pages and archive texts a page's slip has 25-80 % of them, while chance
# spreads them over dozens of pairs.
PAGE_SLIP_MIN_SHARE = 0.2

# --- the page's own vocabulary (`pagewords`) ---

# A common word (Zipf >= PAGE_WORD_MIN_ZIPF, PAGE_WORD_MIN_LENGTH letters or more) the page
# prints PAGE_WORD_MIN times, read at PAGE_WORD_CONF or surer, is what an unknown token one
# edit from it (PAGE_WORD_MAX_DISTANCE: one arbitrary edit or two look-alikes) stands for.
PAGE_WORD_MIN = 3
PAGE_WORD_CONF = 80.0
PAGE_WORD_MIN_ZIPF = 3.0
PAGE_WORD_MIN_LENGTH = 4
PAGE_TOKEN_MIN_LENGTH = 5
PAGE_WORD_MAX_DISTANCE = 1.0
