"""Measure the 관련기사 box against the judged set (``judged.JUDGED``) and two baselines.

precision@5: the share of the box's five articles judged related (grade 1 or 2); a box with
fewer than five counts the empty places as misses. nDCG@5: graded gain 2^grade − 1 with the
usual log2 discount, divided by the best box the judgements allow.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from sinmun.newsroom.models import Article

from . import baselines, judged, selectors

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
