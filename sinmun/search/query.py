"""Parse what a reader types into the search box.

Supported: words (all must match, particles and endings ignored), "quoted phrases" (the words
in that order), and -exclusions (-word or -"phrase"). Anything else — FTS operators, brackets,
stars, control characters, a 10 KB paste — is just text: it goes through the analyzer, and only
the analyzer's morphemes ever reach the database, as bound parameters.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from sinmun.korean import analyzer

from .dictionary import ensure_user_dictionary
from .query_terms import pieces, word_terms

MAX_QUERY_CHARS = 200
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class ParsedQuery:
    text: str = ""
    words: list[list[str]] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    highlight: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing positive is left to search for (empty, only particles, only -)."""
        return not self.words and not self.phrases


def clean(raw: str) -> str:
    """Return the query NFKC-normalised, without control characters, at most 200 characters."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def _tokens(morphemes: list[str]) -> list[str]:
    """Return the tokens of a quoted phrase or an excluded word: a lone number whole
    (3.5 → 3p5), several morphemes as their pieces in order (the index keeps those adjacent)."""
    if len(morphemes) == 1:
        return word_terms(morphemes[0])
    return [p for term in morphemes for p in pieces(term)]


def parse(raw: str) -> ParsedQuery:
    """Return the parsed query; never raises on any input."""
    ensure_user_dictionary()
    text = clean(raw)
    query = ParsedQuery(text=text)
    for match in _TOKEN.finditer(text):
        negated_phrase, phrase, negated_word, word = match.groups()
        if phrase is not None:
            terms = _tokens(analyzer.terms(phrase, compounds=False))
            if not terms:
                continue
            if negated_phrase:
                query.excluded.append(terms)
            elif len(terms) == 1:
                query.words.append(terms)
            else:
                query.phrases.append(terms)
            if not negated_phrase:
                query.highlight.extend(phrase.split())
            continue
        negated = bool(negated_word) and len(word) > 0
        morphemes = analyzer.terms(word, compounds=False)
        terms = _tokens(morphemes)
        if not terms:
            continue
        if negated:
            query.excluded.append(terms)
            continue
        # A morpheme the databases split (R&D → r, d) must keep its pieces together; a number
        # is searched whole (3.5 → 3p5, see query_terms.number_token).
        single = []
        for term in morphemes:
            split = word_terms(term)
            if len(split) > 1:
                query.phrases.append(split)
            elif split:
                single.extend(split)
        if single:
            query.words.append(single)
        query.highlight.extend(morphemes)
        query.highlight.append(word)
    return query
