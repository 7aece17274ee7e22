""" "Did you mean…?" for a search that found nothing: jamo-level typo correction.

Hangul syllables are decomposed into jamo (한 → ㅎㅏㄴ), so 국휘 is one jamo away from 국회
where it is a whole character away as syllables. Candidates come from the headline and keyword
vocabulary of published articles (cached); the closest, then most frequent, wins.
"""

from collections import Counter

from django.core.cache import cache

from sinmun.newsroom import selectors as newsroom
from sinmun.newsroom.models import Keyword

from .query import ParsedQuery

VOCABULARY_CACHE_KEY = "search:vocabulary"
VOCABULARY_SECONDS = 3600
_BASE, _CHO, _JUNG = 0xAC00, 588, 28
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def jamo(text: str) -> str:
    """Return ``text`` with Hangul syllables decomposed into jamo."""
    out = []
    for ch in text:
        code = ord(ch) - _BASE
        if 0 <= code < 11172:
            out.append(CHOSEONG[code // _CHO])
            out.append(JUNGSEONG[(code % _CHO) // _JUNG])
            if code % _JUNG:
                out.append(JONGSEONG[code % _JUNG])
        else:
            out.append(ch)
    return "".join(out)


def distance(a: str, b: str, limit: int) -> int:
    """Return the Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once past it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def vocabulary() -> Counter:
    """Return words of published headlines and keywords with how often they occur (cached)."""
    value = cache.get(VOCABULARY_CACHE_KEY)
    if value is None:
        value = Counter()
        visible = newsroom.published_articles()
        headlines = visible.values_list("headline", flat=True)
        for headline in headlines.iterator(chunk_size=2000):
            for word in headline.split():
                word = word.strip("‘’“”\"'…·,.()[]")
                if len(word) >= 2:
                    value[word] += 1
        keywords = Keyword.objects.filter(articles__in=visible).distinct()
        for name in keywords.values_list("name", flat=True):
            value[name] += 3
        cache.set(VOCABULARY_CACHE_KEY, value, VOCABULARY_SECONDS)
    return value


def correct(word: str) -> str | None:
    """Return the vocabulary word closest to ``word`` in jamo (at most 2 jamo off), if any."""
    # Only Hangul words get jamo corrections; Latin, numbers and operators stay as typed.
    if len(word) < 2 or not any("가" <= ch <= "힣" for ch in word):
        return None
    target = jamo(word)
    # Two-syllable words (up to 6 jamo) may be one jamo off, longer ones two.
    limit = 1 if len(target) <= 6 else 2
    best: tuple[int, int, str] | None = None
    for candidate, count in vocabulary().items():
        if candidate == word or abs(len(candidate) - len(word)) > 1:
            continue
        d = distance(target, jamo(candidate), limit)
        if d <= limit and (best is None or (d, -count) < (best[0], -best[1])):
            best = (d, count, candidate)
    return best[2] if best else None


def suggestion(query: ParsedQuery) -> str | None:
    """Return the query text with each unknown Hangul word corrected, or None.

    Quotes and the exclusion minus stay where the reader put them.
    """
    known = vocabulary()
    out, changed = [], False
    for token in query.text.split():
        core = token.lstrip('-"').rstrip('"')
        fixed = None if not core or core in known else correct(core)
        if fixed:
            out.append(token.replace(core, fixed, 1))
            changed = True
        else:
            out.append(token)
    return " ".join(out) if changed else None
