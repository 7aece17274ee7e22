"""Cut article text into short excerpts for lists, cards and meta descriptions.

Written by hand because Django's ``Truncator`` does not fit Korean copy: its
``words()`` mode counts whitespace-separated words, so the length of the result
in characters is unpredictable, and its ``chars()`` mode counts characters but
cuts in the middle of an 어절. :func:`excerpt` counts characters (the unit
Korean layouts and search snippets are budgeted in) and still cuts only between
어절.

Text is NFC-normalised first, so Hangul typed or pasted in decomposed form
(conjoining jamo, as some macOS software produces) becomes one code point per
syllable and is counted and cut like any other text.

The cut never splits a user-perceived character. An excerpt also never ends on
a combining mark or a conjoining Hangul jamo (U+1100–U+11FF and the extended
jamo blocks): such a cluster is dropped whole instead. After NFC that only
happens to unusual sequences (archaic Hangul, stray marks), so nothing real is
lost, and a text-ending mark is what renders as a broken glyph in some fonts.
Compatibility jamo (U+3130–U+318F, as in ``ㅋㅋ``) are standalone letters that
never combine with anything, so they may end an excerpt like any letter.
"""

from __future__ import annotations

import re
import unicodedata

LIMIT_TOO_SMALL = "limit은 2 이상이어야 하고 말줄임표보다 길어야 합니다."

# Punctuation that reads as broken when it directly precedes the ellipsis:
# separators (the sentence goes on after them), opening brackets and quotes
# (their content was cut off) and full stops ("했다.…" looks like a typo).
# Closing brackets, "?" and "!" carry meaning and are kept.
TRAILING_PUNCTUATION = ",.;:·・-–—/…、。，（([{<〈《「『【〔“‘\"'"

_WHITESPACE = re.compile(r"\s+")
_ZWJ = "\u200d"


def excerpt(text: str, limit: int = 120, *, ellipsis: str = "…") -> str:
    """Return ``text`` shortened to at most ``limit`` characters, ellipsis included.

    Whitespace runs (newlines, NBSP, U+3000 ideographic space …) collapse to one
    space. Text that then fits is returned whole, without an ellipsis. Otherwise
    the text is cut after the last whole 어절 that fits, trailing punctuation is
    dropped and ``ellipsis`` is appended. Only when no whole word fits (a single
    giant word such as a URL) is the text cut inside a word, and then still
    between user-perceived characters.
    """
    if limit < 2 or limit <= len(ellipsis):
        raise ValueError(LIMIT_TOO_SMALL)
    normal = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if len(normal) <= limit:
        return normal

    budget = limit - len(ellipsis)
    # Prefer cuts at a space (whole words), longest first; fall back to cuts
    # inside a word only when no whole word survives trimming.
    at_spaces = [i for i in range(budget, 0, -1) if normal[i] == " "]
    anywhere = range(budget, 0, -1)
    for cut in (*at_spaces, *anywhere):
        body = normal[:cut].rstrip(TRAILING_PUNCTUATION + " ")
        if body and _may_end(body[-1]) and _is_boundary(normal, cut):
            return body + ellipsis
    # Nothing but punctuation and stray marks fits: the ellipsis alone still
    # says "there is text here" without showing debris.
    return ellipsis


def _is_conjoining_jamo(char: str) -> bool:
    code = ord(char)
    return 0x1100 <= code <= 0x11FF or 0xA960 <= code <= 0xA97F or 0xD7B0 <= code <= 0xD7FF


def _is_mark(char: str) -> bool:
    return unicodedata.combining(char) != 0 or unicodedata.category(char).startswith("M")


def _may_end(char: str) -> bool:
    """Tell whether an excerpt may end on ``char`` (see the module docstring)."""
    return not (_is_mark(char) or _is_conjoining_jamo(char) or char == _ZWJ)


def _continues_cluster(char: str) -> bool:
    """Tell whether ``char`` belongs to the character before it, per UAX #29 in short."""
    code = ord(char)
    return (
        _is_mark(char)
        or char == _ZWJ
        # Hangul medial vowels and final consonants continue a syllable block.
        or 0x1160 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
        # Emoji skin-tone modifiers belong to the emoji before them.
        or 0x1F3FB <= code <= 0x1F3FF
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _is_boundary(text: str, index: int) -> bool:
    """Tell whether cutting ``text`` before ``index`` keeps every cluster whole."""
    if _continues_cluster(text[index]):
        return False
    if _is_regional_indicator(text[index]):
        # Flags are pairs of regional indicators; an odd run before us means
        # we would split a pair.
        run = 0
        while index - run - 1 >= 0 and _is_regional_indicator(text[index - run - 1]):
            run += 1
        return run % 2 == 0
    return True
