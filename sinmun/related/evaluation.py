"""Measure the 관련기사 box against the judged set (``judged.JUDGED``) and two baselines; the
keyword suggestions against the demo desk's keywords; the summaries against its 부제.

precision@5: the share of the box's five articles judged related (grade 1 or 2); a box with
fewer than five counts the empty places as misses. nDCG@5: graded gain 2^grade − 1 with the
usual log2 discount, divided by the best box the judgements allow.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from sinmun.korean import analyzer
from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Article

from . import baselines, judged, selectors, suggestions, summaries, terms

K = 5


def precision_at(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    return sum(1 for uri in ranked[:k] if grades.get(uri, 0) > 0) / k


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(n + 2) for n, g in enumerate(gains))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(uri, 0) for uri in ranked[:k]]) / ideal if ideal else 0.0


@dataclass
class Score:
    name: str
    precision: float = 0.0
    ndcg: float = 0.0
    per_article: dict[str, tuple[float, float]] = field(default_factory=dict)


def _short(uri: str) -> str:
    return uri.removeprefix(judged.URI_PREFIX)


def sinmun_box(article: Article) -> list[Article]:
    return selectors.box(article=article, limit=K)[0]


SYSTEMS: dict[str, Callable[[Article], list[Article]]] = {
    "Sinmun (관련기사 엔진)": sinmun_box,
    "기존 계층형 박스 (키워드→연재→섹션, 최신순)": lambda a: list(baselines.tiered(a)[:K]),
    "같은 섹션 최신순": lambda a: list(baselines.same_section_newest(a)[:K]),
}


def evaluate(systems: dict[str, Callable[[Article], list[Article]]] = SYSTEMS) -> list[Score]:
    """Return each system's mean precision@5 and nDCG@5 over the judged demo articles.

    Raises ``LookupError`` when the demo's judged articles are not all in the database.
    """
    uris = [judged.URI_PREFIX + short for short in judged.JUDGED]
    articles = {a.uri: a for a in Article.objects.select_related("section").filter(uri__in=uris)}
    missing = sorted(set(uris) - set(articles))
    if missing:
        raise LookupError(missing)
    scores = []
    for name, system in systems.items():
        score = Score(name)
        for short, grades in judged.JUDGED.items():
            ranked = [_short(a.uri) for a in system(articles[judged.URI_PREFIX + short])]
            score.per_article[short] = (precision_at(ranked, grades), ndcg_at(ranked, grades))
        score.precision = sum(p for p, _ in score.per_article.values()) / len(judged.JUDGED)
        score.ndcg = sum(n for _, n in score.per_article.values()) / len(judged.JUDGED)
        scores.append(score)
    return scores


def ceiling() -> Score:
    """Return the best box the judgements allow (the most related, best graded first)."""
    score = Score("ceiling")
    for short, grades in judged.JUDGED.items():
        ranked = sorted(grades, key=lambda uri: -grades[uri])
        score.per_article[short] = (precision_at(ranked, grades), ndcg_at(ranked, grades))
    score.precision = sum(p for p, _ in score.per_article.values()) / len(judged.JUDGED)
    score.ndcg = sum(n for _, n in score.per_article.values()) / len(judged.JUDGED)
    return score


# -- keyword suggestions -------------------------------------------------------------------------


@dataclass
class KeywordScore:
    name: str
    precision: float
    recall: float


def _desk_keywords(article: Article) -> set[str]:
    return {terms.keyword_term(k.name) for k in article.keywords.all()}


def _excluded(article: Article) -> set[str]:
    return {b.reporter.name for b in article.bylines.all()} | {newsroom.outlet().name}


def frequent_nouns(article: Article, size: int = K) -> list[str]:
    """The keyword baseline: the article's most frequent candidate words, no idf."""
    counts: dict[str, int] = {}
    text = "\n".join([article.headline, *article.subheadlines, article.body_text])
    for surface, _ in suggestions.candidates(text):
        if surface not in suggestions.GENERIC and surface not in _excluded(article):
            counts[surface] = counts.get(surface, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))[:size]


def sinmun_keywords(article: Article) -> list[str]:
    """Sinmun's suggestions for ``article`` as the desk saw them when it was filed: the known
    keywords are those of the articles published before it (never its own)."""
    return [
        s.word
        for s in suggestions.suggest(
            headline=article.headline,
            subheadlines=article.subheadlines,
            body=article.body_text,
            exclude=_excluded(article),
            known=lambda words: suggestions.known_keywords(
                words, before=article.first_published_at
            ),
        )
    ]


KEYWORD_SYSTEMS: dict[str, Callable[[Article], list[str]]] = {
    "Sinmun (고유명사·tf-idf·기존 키워드)": sinmun_keywords,
    "빈도순 명사 (기준선)": frequent_nouns,
}


def halves(articles: list[Article]) -> tuple[list[Article], list[Article]]:
    """Split the articles in two by their order of address: the half the weights were tuned
    on and the half kept out of the tuning (held out), to tell fitting from improving."""
    ordered = sorted(articles, key=lambda a: a.uri)
    return ordered[0::2], ordered[1::2]


def keyword_scores(
    articles: list[Article], systems: dict[str, Callable[[Article], list[str]]] = KEYWORD_SYSTEMS
) -> list[KeywordScore]:
    """Return precision@5 and recall@5 of each system against the desk's keywords."""
    out = []
    for name, system in systems.items():
        precision = recall = 0.0
        for article in articles:
            gold = _desk_keywords(article)
            got = {terms.keyword_term(w) for w in system(article)[:K]}
            precision += len(got & gold) / K
            recall += len(got & gold) / len(gold) if gold else 0.0
        out.append(KeywordScore(name, precision / len(articles), recall / len(articles)))
    return out


# -- summaries -----------------------------------------------------------------------------------


@dataclass
class SummaryScore:
    name: str
    rouge1: float
    rouge2: float


def morphemes(text: str) -> list[str]:
    """Return the morphemes ROUGE counts: every one but punctuation and symbols."""
    kept = []
    for token in analyzer.tokens(analyzer.normalize(text)):
        tag = token.tag.split("-")[0]
        if not tag.startswith("S") or tag in {"SL", "SN", "SH"}:
            kept.append(token.form)
    return kept


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    """Return ROUGE-n's F1 of two morpheme lists."""

    def grams(items: list[str]) -> dict[tuple, int]:
        out: dict[tuple, int] = {}
        for i in range(len(items) - n + 1):
            gram = tuple(items[i : i + n])
            out[gram] = out.get(gram, 0) + 1
        return out

    c, r = grams(candidate), grams(reference)
    overlap = sum(min(count, r.get(gram, 0)) for gram, count in c.items())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * precision * recall / (precision + recall)


def summary_scores(articles: list[Article]) -> list[SummaryScore]:
    """Return ROUGE-1/2 (F1, over morphemes) of TextRank and lead-3 against the desk's 부제."""
    systems = {
        "TextRank + 리드 가중": summaries.textrank,
        "리드 3문장 (기준선, 데스크에 제안하는 방식)": summaries.lead,
    }
    out = []
    judged_articles = [a for a in articles if a.subheadlines]
    for name, system in systems.items():
        r1 = r2 = 0.0
        for article in judged_articles:
            candidate = morphemes(" ".join(system(article.body)))
            reference = morphemes(" ".join(article.subheadlines))
            r1 += rouge_n(candidate, reference, 1)
            r2 += rouge_n(candidate, reference, 2)
        out.append(SummaryScore(name, r1 / len(judged_articles), r2 / len(judged_articles)))
    return out


def demo_articles() -> list[Article]:
    """Return the demo's published articles (what the keyword and summary scores read)."""
    return list(
        Article.objects.filter(uri__startswith=judged.URI_PREFIX, status=Article.Status.PUBLISHED)
        .prefetch_related("keywords", "bylines__reporter")
        .order_by("uri")
    )
