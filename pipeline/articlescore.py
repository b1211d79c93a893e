"""Score the articles found on a page against its ground-truth articles (`ocr-pipeline eval`,
and the pages of `bench.articlegen`).

Words are `pipeline.metrics.words_of`: lower-cased, punctuation dropped, a word split by a
hyphen at a line end joined; each text is a multiset (Counter) of its words. For a ground-truth
article G, its match is the output article O with the largest overlap |G & O| (multiset
intersection; ties go to the earlier output article; no overlap at all: no match, G is
missing). Several GT articles may match one output article — that is how a merge shows.

- purity = |G & O| / |O|: the share of the output article's words that belong to G (two
  stories merged into O: each is only part of O, so purity drops);
- completeness = |G & O| / |G|: the share of G's words that O holds (a story split over two
  output articles: its match holds only part of it);
- cer = `pipeline.metrics.cer` of O's text against G's (split words joined first, as in
  `page_scores`); a missing article scores purity 0, completeness 0, cer 1;
- found: matched with purity >= 0.98 and completeness >= 0.98 (`THRESHOLD`).

Misread words count against purity and completeness too, so on degraded pages these mix OCR
errors with grouping errors: with every word put in its right article (plain Tesseract's
words assigned by the ground-truth quads) on the pages of `python -m bench.articlegen --pages
36`, 98 % of the 55 clean articles are found, 98 % of the mild, but only 40 % of the heavy
(words run together, `upona`, cost a 30-word story its 0.98 alone). For the grouping alone,
words the page's OCR got wrong are left out of the denominators:

- grouping_purity = |G & O| / (|O| - |O & S|), S = U - T the words the page's output (U, all
  output articles) has beyond its ground truth (T, all GT articles): misreadings and words
  run together are not another story's words;
- grouping_completeness = |G & O| / (|G| - |G & L|), L = T - U the words the page's output
  lacks: lost or misread by the OCR, not put in another article (a word the page is short of
  is charged to every article holding it, so this errs towards leniency);
- grouped: matched with both >= `THRESHOLD` (the same oracle grouping: 100 % at every level).

Text missing from the output altogether counts as lost by the OCR in these, whoever dropped
it: `completeness` (and the page's CER) are what show a stage that drops text.

`score_page(gt_articles, out_articles)` gives these per GT article and the page's count found;
`split_articles(text)` reads a `---`/`===` separated text (NAME.gt.txt, or an output in the
same form) into its articles and furniture.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.metrics import cer, join_split_words, words_of
from pipeline.model import split_article_text as split_articles

__all__ = ["ArticleScore", "PageScore", "score_page", "split_articles"]

THRESHOLD = 0.98


@dataclass
class ArticleScore:
    """One GT article: the output article it matched (index, or None) and how well."""

    gt: int
    match: int | None
    purity: float
    completeness: float
    cer: float
    grouping_purity: float = 0.0
    grouping_completeness: float = 0.0

    @property
    def found(self) -> bool:
        return self.purity >= THRESHOLD and self.completeness >= THRESHOLD

    @property
    def grouped(self) -> bool:
        return self.grouping_purity >= THRESHOLD and self.grouping_completeness >= THRESHOLD


@dataclass
class PageScore:
    articles: list[ArticleScore] = field(default_factory=list)

    @property
    def found(self) -> int:
        return sum(a.found for a in self.articles)

    @property
    def total(self) -> int:
        return len(self.articles)

    @property
    def found_share(self) -> float:
        return self.found / self.total if self.total else 1.0

    @property
    def grouped(self) -> int:
        return sum(a.grouped for a in self.articles)


def _bag(text: str) -> Counter:
    return Counter(words_of(text))


def score_page(gt_articles: list[str], out_articles: list[str]) -> PageScore:
    """Match each GT article to the output article sharing most of its words; score each."""
    outs = [_bag(o) for o in out_articles]
    gt_all, out_all = Counter(), Counter()
    for text in gt_articles:
        gt_all += _bag(text)
    for bag in outs:
        out_all += bag
    surplus, deficit = out_all - gt_all, gt_all - out_all
    page = PageScore()
    for g, text in enumerate(gt_articles):
        want = _bag(text)
        best, overlap = None, 0
        for o, bag in enumerate(outs):
            common = sum((want & bag).values())
            if common > overlap:
                best, overlap = o, common
        if best is None:
            page.articles.append(ArticleScore(g, None, 0.0, 0.0, 1.0))
            continue
        purity = overlap / max(sum(outs[best].values()), 1)
        completeness = overlap / max(sum(want.values()), 1)
        c = cer(join_split_words(out_articles[best]), join_split_words(text))
        misread = sum((outs[best] & surplus).values())
        lost = sum((want & deficit).values())
        g_purity = overlap / max(sum(outs[best].values()) - misread, 1)
        g_complete = overlap / max(sum(want.values()) - lost, 1)
        page.articles.append(ArticleScore(g, best, purity, completeness, c, g_purity, g_complete))
    return page
