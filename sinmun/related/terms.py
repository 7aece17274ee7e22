"""An article's weighted morphemes, read from its search-index row: pure functions.

The search index already holds each published article's morphemes, analysed by kiwipiepy
(``sinmun.search.indexing``), field by field. The engine weighs them again for likeness rather
than for matching a query:

- the keyword field of the index also carries the reporters', section's and series' names (so
  a search for a name finds the articles), which would make any two articles by one reporter
  look alike; it is left out, and the article's keywords are taken whole instead (``ai법안``),
  with the headline's weight, as a desk editor chose them;
- numbers and one-letter terms are left out (``3``, ``5``, a stem like ``하``): every article
  has them and they say nothing of the subject;
- a field's term count is saturated as in bm25 (k1 = 1.2), so a word said ten times in the
  body does not outweigh the headline.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

# Field weights: the headline says what the story is, keywords are the desk's choice, the body
# is mostly background. Measured on the judged set (docs/decisions/0022).
FIELD_WEIGHTS = {"headline": 3.0, "subheadlines": 2.0, "keywords": 3.0, "body": 1.0}
K1 = 1.2
# Terms an article's signature keeps; candidates are read through these only.
SIGNATURE_SIZE = 20
_SKIP = re.compile(r"\d|^.$")


def keyword_term(name: str) -> str:
    """Return a keyword as one term: lower case, spaces removed (``AI 법안`` → ``ai법안``)."""
    return "".join(name.lower().split())


def field_terms(text: str) -> list[str]:
    """Return the kept terms of one field of index text (space-separated morphemes)."""
    return [t for t in text.split() if not _SKIP.search(t) and len(t) <= 64]


def term_counts(fields: Mapping[str, str], keywords: Iterable[str]) -> dict[str, Counter]:
    """Return each field's term counts: index text for headline, 부제 and body; keyword names."""
    counts = {name: Counter(field_terms(fields.get(name, ""))) for name in FIELD_WEIGHTS}
    counts["keywords"] = Counter(keyword_term(k) for k in keywords if keyword_term(k))
    return counts


def distinct_terms(counts: Mapping[str, Counter]) -> set[str]:
    """Return every term of the article once (what a document-frequency count adds up)."""
    return {term for counter in counts.values() for term in counter}


# A sample smaller than this is read as this many articles, the rest holding none of its words:
# on a young site (or in a test) of ten articles on one story, the story's own words would
# otherwise weigh nothing, being in every article there is.
MIN_SAMPLE = 1000


def idf(documents: int, sample: int) -> float:
    """Return bm25's idf of a term held by ``documents`` of ``sample`` articles (never < 0)."""
    sample = max(sample, MIN_SAMPLE)
    return math.log((sample - documents + 0.5) / (documents + 0.5) + 1.0)


def signature(
    counts: Mapping[str, Counter], frequencies: Mapping[str, int], sample: int
) -> dict[str, float]:
    """Return the article's ``SIGNATURE_SIZE`` heaviest terms, weights L2-normalised.

    A term's weight is its idf times the field-weighted, saturated term count; a term absent
    from the sample counts as held by none of it (rare, so telling).
    """
    weights: dict[str, float] = {}
    for name, counter in counts.items():
        field_weight = FIELD_WEIGHTS[name]
        for term, count in counter.items():
            saturated = count * (K1 + 1) / (count + K1)
            weights[term] = weights.get(term, 0.0) + field_weight * saturated
    scored = {t: w * idf(frequencies.get(t, 0), sample) for t, w in weights.items()}
    top = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:SIGNATURE_SIZE]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top if w > 0}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Return the dot product of two normalised signatures (their cosine)."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
