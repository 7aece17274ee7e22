"""Highlighted result snippets: the part of the body where the query's words appear."""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from sinmun.korean.excerpts import excerpt

WINDOW = 110


def _pattern(words: list[str]) -> re.Pattern | None:
    """Return a case-insensitive pattern of ``words``, longest first (반도체 before 반도)."""
    words = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def window_start(text: str, pattern: re.Pattern | None, length: int = WINDOW) -> int:
    """Return where the window opens: at a word boundary a little before the first match."""
    found = pattern.search(text) if pattern else None
    first = found.start() if found else -1
    if first <= length // 3:
        return 0
    boundary = text.rfind(" ", 0, first - length // 4)
    return boundary + 1 if boundary >= 0 else first


def snippet(text: str, words: list[str], *, length: int = WINDOW) -> SafeString:
    """Return escaped ``text`` around the first match of ``words``, each match in ``<mark>``.

    The window starts at a word boundary a little before the first match; with no match the
    opening of the text is shown. Matching runs on the text itself (not a lowercased copy,
    whose offsets differ when a letter lowercases to two: İ).
    """
    pattern = _pattern(words)
    start = window_start(text, pattern, length)
    rest = text[start:]
    # excerpt normalises all it is given; a window needs only its opening (20 snippets a page
    # of 2,000-character bodies). Whitespace collapsing can shrink the opening under the
    # window, so then the whole rest is used.
    head = rest[: 4 * length]
    window = excerpt(head, length)
    if len(rest) > len(head) and not window.endswith("…"):
        window = excerpt(rest, length)
    prefix = "…" if start else ""
    return mark_safe(prefix + _mark(window, pattern))  # noqa: S308 - every part escaped in _mark


def _mark(text: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return html.escape(text)
    out, i = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[i : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        i = match.end()
    out.append(html.escape(text[i:]))
    return "".join(out)
