"""How a morpheme becomes index tokens; shared by indexing, query parsing and the benchmark."""

import re

# Pieces both databases' tokenizers keep together: letters, digits and marks of one word.
_PIECE = re.compile(r"[^\W_]+")
# A number written with separators (3.5, 2,163, 1,234.5): one morpheme (SN) to the analyzer.
_SEPARATED_NUMBER = r"\d+(?:[.,]\d+)+"
_NUMBER = re.compile(_SEPARATED_NUMBER)
# The same, as a whole space-separated term inside a field's joined terms.
_NUMBER_TERM = re.compile(rf"(?<!\S){_SEPARATED_NUMBER}(?!\S)")


def pieces(term: str) -> list[str]:
    """Split a morpheme into the tokens stored and searched (``3.5`` → ``3``, ``5``)."""
    return _PIECE.findall(term)


def number_token(term: str) -> str | None:
    """Return a separated number as one token both tokenizers keep whole, else None.

    The pieces of 3.5 are two of the commonest tokens in news (every article has digits), so
    searching 3.5% as the phrase "3 5" walks nearly every article (~77 ms at a million). The
    number is also indexed whole: thousands separators dropped (2,163 and 2163 are the same
    number), the decimal point written as ``p`` (3.5 → ``3p5``: a letter, so FTS5's unicode61
    and PostgreSQL's parser both read one word, and 35 stays a different number).
    """
    if not _NUMBER.fullmatch(term):
        return None
    return _whole(term)


def _whole(number: str) -> str:
    return number.replace(",", "").replace(".", "p")


def word_terms(term: str) -> list[str]:
    """Return the tokens a query word searches for: the whole number, or the pieces."""
    whole = number_token(term)
    return [whole] if whole else pieces(term)


def index_text(terms: list[str]) -> str:
    """Return a field's terms as index text, split exactly as queries split them.

    PostgreSQL's parser would keep 3.5 whole and FTS5's split it; storing the pieces gives both
    databases the same tokens. Whole numbers go last, like compounds (sinmun.korean.analyzer),
    so a quoted phrase's pieces stay adjacent: "금리 3.5" still matches 금리 3 5.
    """
    # Terms hold no spaces, so the joined text splits and scans in one pass each (the
    # benchmark writes a million articles through here).
    joined = " ".join(terms)
    wholes = [_whole(number) for number in _NUMBER_TERM.findall(joined)]
    return " ".join(_PIECE.findall(joined) + wholes)
