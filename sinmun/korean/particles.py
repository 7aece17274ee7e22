"""Particles that follow a word whose ending is known only at run time: 국회를, 예산안을.

Korean picks 을/를 (and 이/가, 은/는) by whether the word, as read aloud, ends in a final
consonant. Written by hand: the rule is a few lines for Hangul; digits and Latin letters are
read the Korean way (3 삼 → 을, 2 이 → 를; L 엘 → 을, I 아이 → 를). Anything else gets the
neutral 을(를).
"""

_DIGIT_ENDS_IN_CONSONANT = {
    "0": True, "1": True, "2": False, "3": True, "4": False,
    "5": False, "6": True, "7": True, "8": True, "9": False,
}  # fmt: skip
# Latin letters whose Korean reading ends in a consonant: 엘 엠 엔 알.
_LATIN_ENDS_IN_CONSONANT = set("LMNRlmnr")


def ends_in_consonant(word: str) -> bool | None:
    """Return whether ``word`` read aloud ends in a final consonant; None if unknown."""
    word = word.rstrip(" \"'’”)]")
    if not word:
        return None
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    if last in _DIGIT_ENDS_IN_CONSONANT:
        return _DIGIT_ENDS_IN_CONSONANT[last]
    if last.isascii() and last.isalpha():
        return last in _LATIN_ENDS_IN_CONSONANT
    return None


def object_particle(word: str) -> str:
    """Return 을 or 를 for ``word`` (을(를) when its reading is unknown)."""
    ending = ends_in_consonant(word)
    if ending is None:
        return "을(를)"
    return "을" if ending else "를"
