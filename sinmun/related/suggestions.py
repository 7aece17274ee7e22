"""Keyword suggestions for the desk: the proper nouns and telling terms of an article.

kiwipiepy reads the headline, 부제 and body; each written word that is nouns only (its
particle and punctuation set aside) is a candidate as written (다온반도체, 주4.5일제, AI), and
so are names written as two words side by side, one of them a proper noun (요나스 베르크홀름).
A candidate's score is its field-weighted count times its idf in the related engine's sample
(a word every article has, like 정부 or 관계자, scores little), three times for a proper noun or
a Latin word (people, companies, places: what a desk files keywords under); idf counts by its square
root, since desks file under common words too (measured, docs/decisions/0022). The byline's
names and the outlet's are never proposed; one-syllable words and bare numbers neither.
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sinmun.korean import analyzer
from sinmun.newsroom.models import Article

from . import terms, vocabulary

SIZE = 5
# Titles and roles said with every name (회장 몬테로): never a keyword on their own.
GENERIC = frozenset(
    "기자 특파원 회장 부회장 사장 대표 대표이사 장관 차관 의원 위원장 교수 연구원 관계자 "
    "씨 측 등 당국 정부 올해 지난해 내년 이날 오전 오후 당시 최근 현재 이번".split()
)
FIELD_WEIGHTS = {"headline": 3.0, "subheadlines": 2.0, "body": 1.0}
NAME_BONUS = 3.0
# A keyword other articles already carry (the story's earlier articles): measured, 0022.
KNOWN_BONUS = 20.0
# idf's weight: its square root (a desk files keywords under common words too: 국회, 물가).
IDF_POWER = 0.5
_NAME_TAGS = {"NNP", "SL"}
# A place written before a place (경북 구미) is two keywords, not one name.
REGIONS = frozenset(
    "서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주".split()
)


# What a number is measured in: 200MW, 35°C, 550km are facts of the story, not what it is filed
# under (5G, 3D stay: a capital letter alone is no unit here).
_UNITS = re.compile(
    r"^[\d.,·]+(?:km|cm|mm|m|kg|g|t|MW|kW|GW|kWh|°C|℃|㎿|㎾|㎞|㎝|㎜|㎏|%|년물|달째|배)?$"
)


@dataclass(frozen=True)
class Suggestion:
    word: str
    score: float
    name: bool


def _tag(token) -> str:
    return token.tag.split("-", 1)[0]


def candidates(text: str) -> list[tuple[str, bool]]:
    """Return the candidate keywords of ``text`` in reading order, with whether each is a name."""
    text = analyzer.normalize(text)
    tokens = analyzer.tokens(text)
    out: list[tuple[str, bool]] = []
    before: tuple[str, int] | None = None  # the previous word, when a bare proper noun
    for written in analyzer.written_words(tokens, text):
        for word in _segments(written):
            before = _add(word, text, out, before)
    return out


def _segments(written: list) -> list[list]:
    """Split a written word at punctuation inside it (공장…요나스 → 공장, 요나스)."""
    parts: list[list] = [[]]
    for n, token in enumerate(written):
        inside = 0 < n < len(written) - 1
        if inside and _tag(token) in analyzer.PUNCTUATION_TAGS and _tag(token) != "SN":
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _add(word: list, text: str, out: list, before: tuple[str, int] | None):
    """Add one word's candidate (and a two-word name ending in it); return the new ``before``."""
    kept = analyzer.core(word)
    if not kept or not analyzer.plain_nouns(kept):
        return None
    surface = text[kept[0].start : kept[-1].start + kept[-1].len]
    tags = {_tag(t) for t in kept}
    name = bool(tags & _NAME_TAGS)
    if tags <= {"SN", "NNB", "NR"} or len(surface) < 2 or _UNITS.match(surface):
        return None
    out.append((surface, name))
    if before is not None and name and kept[0].start == before[1] + 1:
        out.append((f"{before[0]} {surface}", True))
    ends_bare = kept[-1] is word[-1] and tags <= {"NNP", "NNG"} and "NNP" in tags
    return (surface, kept[-1].start + kept[-1].len) if ends_bare else None


def pairs(text: str) -> list[str]:
    """Return every two neighbouring candidate words of ``text`` as one phrase (가온샛 2호,
    노후 하수관): what a keyword of two words could be, looked up among the known ones."""
    text = analyzer.normalize(text)
    words = [w for w in text.split() if w]
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]


def suggest(
    *,
    headline: str,
    subheadlines: list[str],
    body: str,
    exclude: set[str] = frozenset(),
    size: int = SIZE,
    known: Callable[[Iterable[str]], set[str]] | None = None,
) -> list[Suggestion]:
    """Return the ``size`` best keyword candidates of an article, best first.

    ``known(words)``: which of ``words`` (keyword terms) other articles already carry (by
    default ``known_keywords``); a desk files a story's follow-ups under its keywords, so a
    known keyword weighs ``KNOWN_BONUS`` times more, and a known keyword of two words found in
    the text is a candidate too.
    """
    skip = {terms.keyword_term(w) for w in exclude}
    weights: Counter = Counter()
    names: dict[str, bool] = {}
    shown: dict[str, str] = {}
    fields = {"headline": headline, "subheadlines": "\n".join(subheadlines), "body": body}
    phrases: dict[str, tuple[str, str]] = {}
    for field, text in fields.items():
        for surface, name in candidates(text):
            key = terms.keyword_term(surface)
            if key in skip or surface in GENERIC:
                continue
            weights[key] += FIELD_WEIGHTS[field]
            names[key] = names.get(key, False) or name
            shown.setdefault(key, surface)
        for phrase in pairs(text):
            phrases.setdefault(terms.keyword_term(_strip(phrase)), (_strip(phrase), field))
    known_terms = (known or known_keywords)(
        set(shown.values()) | {phrase for phrase, _ in phrases.values()}
    )
    for key, (phrase, _) in phrases.items():
        if key in known_terms and key not in skip and key not in weights:
            for field, text in fields.items():
                count = terms.keyword_term(text).count(key)
                weights[key] += FIELD_WEIGHTS[field] * count
            names[key], shown[key] = False, phrase
    frequencies = vocabulary.frequencies(set(weights))
    sample = vocabulary.sample_size()
    scored = [
        Suggestion(
            shown[key],
            weight
            * _idf(frequencies.get(key, 0), sample) ** IDF_POWER
            * (NAME_BONUS if names[key] else 1)
            * (KNOWN_BONUS if key in known_terms else 1),
            names[key],
        )
        for key, weight in weights.items()
        if weight
    ]
    scored.sort(key=lambda s: (-s.score, s.word))
    # A name's part alone (베르크홀름) after the whole name (요나스 베르크홀름) adds nothing.
    chosen: list[Suggestion] = []
    for item in scored:
        if any(item.word in c.word.split() for c in chosen):
            continue
        chosen.append(item)
        if len(chosen) == size:
            break
    return chosen


_EDGE = re.compile(r"^[^\w]+|(?:[^\w]+|(?<=\w)(?:은|는|이|가|을|를|의|에|과|와|도|로|으로))$")


def _strip(phrase: str) -> str:
    """Return a two-word phrase without the punctuation and the particle at its ends."""
    return _EDGE.sub("", _EDGE.sub("", phrase))


def _idf(documents: int, sample: int) -> float:
    """Return idf over the sample as it is (``terms.idf`` reads a small sample as a thousand
    articles, which for suggestions made a word in a tenth of a small site's articles weigh
    almost as much as a word in one)."""
    sample = max(sample, documents, 1)
    return math.log((sample - documents + 0.5) / (documents + 0.5) + 1.0)


def known_keywords(
    words: Iterable[str], *, before: datetime | None = None, besides: int | None = None
) -> set[str]:
    """Return which of ``words`` (as written) are the keywords of a published article, as
    keyword terms; ``before``: of an article published before then, ``besides``: of an
    article other than that one."""
    wanted = set(words)
    if not wanted:
        return set()
    rows = Article.keywords.through.objects.filter(
        article__status=Article.Status.PUBLISHED, keyword__name__in=wanted
    )
    if before is not None:
        rows = rows.filter(article__first_published_at__lt=before)
    if besides is not None:
        rows = rows.exclude(article_id=besides)
    return {terms.keyword_term(name) for name in rows.values_list("keyword__name", flat=True)}
