""" "Did you mean…?" for a search that found nothing: jamo-level typo correction.

Hangul syllables are decomposed into jamo (한 → ㅎㅏㄴ), so 국휘 is one jamo away from 국회
where it is a whole character away as syllables. Candidates are the Hangul terms of published
headlines and keywords (``SuggestionWord``), kept in step by the indexer and looked up by
their first or last syllable, so a search with no result reads a few hundred words, never the
archive; the closest, then most frequent, wins.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Least
from django.utils import timezone

from sinmun.korean import analyzer

from .models import SearchDocument, SuggestionWord
from .query import ParsedQuery

_BASE, _CHO, _JUNG = 0xAC00, 588, 28
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
MAX_WORD = SuggestionWord._meta.get_field("word").max_length
# The most frequent candidates of one lookup that are compared; rarer ones are never the
# answer when a frequent word is as close.
MAX_CANDIDATES = 500


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


def _hangul(word: str) -> bool:
    return any("가" <= ch <= "힣" for ch in word)


def index_words(headline: str, keywords: str) -> set[str]:
    """Return the candidate words of one index row (its morpheme text)."""
    return {w for w in f"{headline} {keywords}".split() if 2 <= len(w) <= MAX_WORD and _hangul(w)}


def _word(word: str, frequency: int, visible_from: datetime, model=SuggestionWord):
    return model(
        word=word,
        frequency=frequency,
        syllables=len(word),
        first=word[0],
        last=word[-1],
        visible_from=visible_from,
    )


# --- Upkeep ---------------------------------------------------------------------------------


def document_changed(
    before: tuple[str, str] | None, after: tuple[str, str] | None, visible_from: datetime | None
) -> None:
    """Count the words of an index row that was written, changed or removed.

    ``before``/``after`` are the row's (headline, keywords) morpheme text or None; the caller
    runs this in the transaction that writes the row.
    """
    old = index_words(*before) if before else set()
    new = index_words(*after) if after else set()
    if old - new:
        gone = SuggestionWord.objects.filter(word__in=old - new)
        gone.update(frequency=F("frequency") - 1)
        gone.filter(frequency__lte=0).delete()
    if new and visible_from is not None:
        # A word shown earlier by another article stays shown; a new embargo waits.
        SuggestionWord.objects.filter(word__in=new).update(
            visible_from=Least("visible_from", Value(visible_from))
        )
    if new - old:
        SuggestionWord.objects.filter(word__in=new - old).update(frequency=F("frequency") + 1)
        known = set(
            SuggestionWord.objects.filter(word__in=new - old).values_list("word", flat=True)
        )
        SuggestionWord.objects.bulk_create(
            [_word(w, 1, visible_from or timezone.now()) for w in sorted(new - old - known)],
            ignore_conflicts=True,
        )


def rebuild(documents=SearchDocument, words=SuggestionWord) -> int:
    """Count every word of the index again (``sinmun reindex``, migration 0004); return how
    many there are. The models are parameters so that a migration can pass its own."""
    counts: Counter = Counter()
    visible: dict[str, datetime] = {}
    # Only rows of published articles count (an index row of anything else is an orphan that
    # `sinmun reindex` removes).
    rows = documents.objects.filter(
        article__status="published", article__first_published_at__isnull=False
    ).values_list("headline", "keywords", "article__first_published_at")
    for headline, keywords, published in rows.iterator(chunk_size=5000):
        for word in index_words(headline, keywords):
            counts[word] += 1
            if word not in visible or published < visible[word]:
                visible[word] = published
    with transaction.atomic():
        words.objects.all().delete()
        words.objects.bulk_create(
            [_word(w, n, visible[w], words) for w, n in counts.items()],
            batch_size=2000,
        )
    return len(counts)


# --- Lookup ---------------------------------------------------------------------------------


def _visible():
    return SuggestionWord.objects.filter(visible_from__lte=timezone.now())


def known_words(words: Iterable[str]) -> set[str]:
    """Return which of ``words`` readers can find in published headlines and keywords."""
    return set(_visible().filter(word__in=set(words)).values_list("word", flat=True))


def correct(word: str) -> str | None:
    """Return the word closest to ``word`` in jamo (at most 2 jamo off), if any."""
    # Only Hangul words get jamo corrections; Latin, numbers and operators stay as typed.
    if len(word) < 2 or not _hangul(word):
        return None
    target = jamo(word)
    # Two-syllable words (up to 6 jamo) may be one jamo off, longer ones two.
    limit = 1 if len(target) <= 6 else 2
    n = len(word)
    candidates = (
        _visible()
        .filter(Q(first=word[0]) | Q(last=word[-1]), syllables__range=(n - 1, n + 1))
        .exclude(word=word)
        .order_by("-frequency", "word")
        .values_list("word", "frequency")[:MAX_CANDIDATES]
    )
    best: tuple[int, int, str] | None = None
    for candidate, count in candidates:
        d = distance(target, jamo(candidate), limit)
        if d <= limit and (best is None or (d, -count) < (best[0], -best[1])):
            best = (d, count, candidate)
    return best[2] if best else None


def _fix(core: str, terms: list[str], known: set[str]) -> str | None:
    """Return ``core`` corrected, or None: whole if it is one jamo-typo away from a word,
    else term by term (국휘에서 → 국회에서)."""
    if core in known or (terms and all(t in known for t in terms)):
        return None
    whole = correct(core)
    if whole:
        return whole
    fixed = core
    for term in terms:
        if term not in known and term in fixed and (better := correct(term)):
            fixed = fixed.replace(term, better, 1)
    return fixed if fixed != core else None


def suggestion(query: ParsedQuery) -> str | None:
    """Return the query text with each unknown Hangul word corrected, or None.

    Quotes and the exclusion minus stay where the reader put them.
    """
    tokens = query.text.split()
    cores = [token.lstrip('-"').rstrip('"') for token in tokens]
    terms = {
        core: [t for t in analyzer.terms(core, compounds=False) if len(t) >= 2 and _hangul(t)]
        for core in set(cores)
        if _hangul(core)
    }
    known = known_words([*terms, *(t for ts in terms.values() for t in ts)])
    out, changed = [], False
    for token, core in zip(tokens, cores, strict=True):
        fixed = _fix(core, terms[core], known) if core in terms else None
        if fixed:
            out.append(token.replace(core, fixed, 1))
            changed = True
        else:
            out.append(token)
    return " ".join(out) if changed else None
