"""Highlighted result snippets: the part of the body where the query's words appear."""

import html

from django.utils.safestring import SafeString, mark_safe

from sinmun.korean.excerpts import excerpt

WINDOW = 110


def snippet(text: str, words: list[str], *, length: int = WINDOW) -> SafeString:
    """Return escaped ``text`` around the first match of ``words``, each match in ``<mark>``.

    The window starts at a word boundary a little before the first match; with no match the
    opening of the text is shown.
    """
    words = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    lowered = text.lower()
    first = min((i for w in words if (i := lowered.find(w.lower())) >= 0), default=-1)
    start = 0
    if first > length // 3:
        boundary = text.rfind(" ", 0, first - length // 4)
        start = boundary + 1 if boundary >= 0 else first
    window = excerpt(text[start:], length)
    prefix = "…" if start else ""
    return mark_safe(prefix + _mark(window, words))  # noqa: S308 - every part escaped in _mark


def _mark(text: str, words: list[str]) -> str:
    lowered = text.lower()
    out, i = [], 0
    while i < len(text):
        hit = next((w for w in words if lowered.startswith(w.lower(), i)), None)
        if hit:
            out.append(f"<mark>{html.escape(text[i : i + len(hit)])}</mark>")
            i += len(hit)
        else:
            out.append(html.escape(text[i]))
            i += 1
    return "".join(out)
