"""How a morpheme becomes index tokens; shared by indexing and query parsing."""

import re

# Pieces both databases' tokenizers keep together: letters, digits and marks of one word.
_PIECE = re.compile(r"[^\W_]+")


def pieces(term: str) -> list[str]:
    """Split a morpheme into the tokens stored and searched (``3.5`` → ``3``, ``5``)."""
    return _PIECE.findall(term)
