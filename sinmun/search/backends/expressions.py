"""How a parsed query is written for each database: an FTS5 MATCH expression, a tsquery.

Every term reaching these strings was made by the analyzer and ``query_terms`` (letters and
digits only), so no reader input is ever read as query syntax. The field weights live here
too: both databases rank with the same ratios.
"""

from ..query import ParsedQuery

# bm25 weights per FTS5 column and ts_rank_cd weights {D, C, B, A}: the same ratios.
HEADLINE_WEIGHT, SUBHEADLINE_WEIGHT, KEYWORD_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 4.0, 1.0


def _fts5_term(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# A one-syllable prefix (은*) would match 은행, 은퇴, 은하…: short terms must match whole.
# Two- and three-syllable terms match as prefixes (국회 finds 국회의원 where the analyzer keeps
# it whole); FTS5 keeps prefix indexes for exactly these lengths (search migration 0006), and
# longer terms are specific enough to match whole. Numbers always match whole: 35 must not
# find 350, nor 3.5 (3p5) find 3.55.
MIN_PREFIX_CHARS, MAX_PREFIX_CHARS = 2, 3


def _prefix(term: str) -> bool:
    return MIN_PREFIX_CHARS <= len(term) <= MAX_PREFIX_CHARS and not any(c.isdigit() for c in term)


def fts5_expression(query: ParsedQuery) -> str:
    """Return the FTS5 MATCH expression: words (as prefixes), phrases, NOT exclusions."""

    def every(word: list[str]) -> str:
        return " AND ".join(_fts5_term(t) + ("*" if _prefix(t) else "") for t in word)

    parts = [every(word) for word in query.words]
    parts += [" OR ".join(f"({every(word)})" for word in either) for either in query.either]
    parts += [
        '"' + " ".join(t.replace('"', '""') for t in phrase) + '"' for phrase in query.phrases
    ]
    expression = " AND ".join(f"({p})" for p in parts)
    for excluded in query.excluded:
        if len(excluded) == 1:
            star = "*" if _prefix(excluded[0]) else ""
            expression += f" NOT {_fts5_term(excluded[0])}{star}"
        else:
            expression += ' NOT "' + " ".join(t.replace('"', '""') for t in excluded) + '"'
    return expression


def _phrase_in_one_field(phrase: list[str]) -> str:
    """Return a phrase that must lie inside one field (tsvector positions run on across the
    concatenated fields; FTS5 phrases never cross columns)."""
    return " | ".join(
        "(" + " <-> ".join(f"'{t}':{weight}" for t in phrase) + ")" for weight in "ABCD"
    )


def tsquery_expression(query: ParsedQuery) -> str:
    """Return the to_tsquery('simple', …) text; terms are letters and digits only."""

    def lexeme(term: str, prefix: bool) -> str:
        return f"'{term}'" + (":*" if prefix else "")

    def every(word: list[str]) -> str:
        return " & ".join(lexeme(t, _prefix(t)) for t in word)

    parts = [every(word) for word in query.words]
    parts += [" | ".join(f"({every(word)})" for word in either) for either in query.either]
    parts += [_phrase_in_one_field(phrase) for phrase in query.phrases]
    expression = " & ".join(f"({p})" for p in parts)
    for excluded in query.excluded:
        if len(excluded) == 1:
            expression += f" & !({lexeme(excluded[0], _prefix(excluded[0]))})"
        else:
            expression += f" & !({_phrase_in_one_field(excluded)})"
    return expression


def match_expression(query: ParsedQuery) -> tuple[str, bool]:
    """Return the tsquery (literal) for PostgreSQL's search_match terms, and whether a match
    must also pass ``tsquery_expression`` on the weighted tsvector.

    search_match holds lexemes without positions or weights, and a term per two- and
    three-character prefix (``정부>``; search migration 0007), so a prefix is one term. A
    phrase matches there as its words (true for every phrase match, and for some non-matches:
    those are told apart by the weighted tsvector); an excluded phrase is left to that check.
    """

    def lexeme(term: str) -> str:
        # Read as a tsquery literal ('…'::tsquery): to_tsquery's parser would drop the '>'.
        # The 'simple' configuration lowercases what it indexes; the literal must too.
        return f"'{term.lower()}>'" if _prefix(term) else f"'{term.lower()}'"

    def every(word: list[str]) -> str:
        return " & ".join(lexeme(t) for t in word)

    parts = [every(word) for word in query.words]
    parts += [" | ".join(f"({every(word)})" for word in either) for either in query.either]
    parts += [" & ".join(f"'{t.lower()}'" for t in phrase) for phrase in query.phrases]
    expression = " & ".join(f"({p})" for p in parts)
    for excluded in query.excluded:
        if len(excluded) == 1:
            expression += f" & !({lexeme(excluded[0])})"
    check = bool(query.phrases) or any(len(excluded) > 1 for excluded in query.excluded)
    return expression, check


def written_expression(query: ParsedQuery) -> str | None:
    """Return a to_tsquery text matching the words read several ways as they were typed, or
    None when there are none. ts_rank_cd knows nothing of how rare a term is, so the 90
    articles that say 경기 outrank the two that say 경기도 for "경기도" unless documents that
    hold a word as it was typed come first (bm25 on SQLite weighs the rarer form by itself)."""

    return " | ".join(f"'{t}'" + (":*" if _prefix(t) else "") for t in query.as_typed) or None
