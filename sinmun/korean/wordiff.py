"""Show what changed between two revisions of Korean text, by 어절.

A diff by character is unreadable in Korean: a particle change (``정부가`` → ``정부는``) shows as
one syllable swapped inside a word, and a rewritten clause as a scatter of matching syllables.
A diff by 어절 — the whitespace-separated unit a reader sees, punctuation kept attached — reads
the way the desk talks about an edit ("'정부가'를 '정부는'으로 고쳤다").

Built on :class:`difflib.SequenceMatcher` from the standard library, and nothing more is
needed: it takes any sequence of hashable items, so a list of 어절 is diffed like a list of
lines, and the texts compared (a headline, a 부제, the paragraphs of one article) are short
enough for its quadratic worst case. ``diff-match-patch`` was considered and rejected: it diffs
characters and reaches words only through a trick that maps each word to a character; its
one real advantage, a semantic cleanup of short coincidental matches, is the few lines of
:func:`_absorb_chaff` here.

The rules:

- Text is NFC-normalised (Hangul pasted in decomposed jamo equals the same Hangul typed) and
  split on any run of whitespace (spaces, newlines, NBSP, U+3000), which also collapses it.
- ``autojunk=False``: with it on, ``SequenceMatcher`` ignores any item that makes up more than
  1% of a sequence longer than 200 items, so in a long paragraph a common 어절 such as
  ``있다.`` or ``이`` would never match and the diff would grow for no visible reason.
- A replaced run becomes a deletion followed by an insertion; runs of one kind are merged.
- A match of fewer 어절 than the changes on both of its sides (``있다.`` shared by two otherwise
  different sentences) is chaff: it is shown as deleted and inserted, so a rewritten sentence
  reads as one replacement rather than a striped one.
- Paragraphs are aligned before words: equal paragraphs match whole; between them, an old and a
  new paragraph sharing at least :data:`PARAGRAPH_SIMILARITY` of their 어절 are one changed
  paragraph and are word-diffed, the rest are removed or added. A moved paragraph is removed
  where it was and added where it is.

The HTML renderers escape every piece of text they are given, so article text containing
``<script>`` is shown, never run; that is why they may return a ``SafeString``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# An old and a new paragraph with at least this share of 어절 in common (SequenceMatcher's
# ratio: 2 × matched 어절 / all 어절 of both) are shown as one paragraph edited in place. Below
# it a word diff is mostly struck-out and inserted text, which reads better as one paragraph
# removed and another added. At 0.5 a four-어절 부제 with two particles changed still counts as
# edited; a paragraph rewritten around a few shared words does not.
PARAGRAPH_SIMILARITY = 0.5

OpKind = Literal["equal", "delete", "insert"]
ParagraphKind = Literal["equal", "changed", "added", "removed"]


@dataclass(frozen=True)
class Op:
    """A run of 어절 that is unchanged, deleted from the old text or inserted into the new."""

    kind: OpKind
    text: str


@dataclass(frozen=True)
class ParagraphDiff:
    """One paragraph of the aligned texts and the word diff that turns ``old`` into ``new``.

    ``old`` is empty for an added paragraph and ``new`` for a removed one; ``ops`` is then a
    single insertion or deletion, so every paragraph renders the same way.
    """

    kind: ParagraphKind
    old: str
    new: str
    ops: tuple[Op, ...]


def words(text: str) -> list[str]:
    """Return the 어절 of ``text``, NFC-normalised, punctuation kept attached."""
    return unicodedata.normalize("NFC", text).split()


def diff_words(old: str, new: str) -> list[Op]:
    """Return the runs of 어절 that turn ``old`` into ``new``."""
    return _diff_tokens(words(old), words(new))


def diff_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[ParagraphDiff]:
    """Align the paragraphs of two revisions, then word-diff each changed pair.

    Paragraphs that are empty once whitespace is collapsed are left out: a blank line added or
    removed is not an edit a reader can see.
    """
    old_words = [w for w in (words(p) for p in old) if w]
    new_words = [w for w in (words(p) for p in new) if w]
    # Tuples, so SequenceMatcher can hash each paragraph and match equal ones whole.
    a = [tuple(w) for w in old_words]
    b = [tuple(w) for w in new_words]
    result: list[ParagraphDiff] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(_equal(p) for p in a[i1:i2])
        else:
            result.extend(_pair_up(a[i1:i2], b[j1:j2]))
    return result


def summary(ops: Iterable[Op]) -> tuple[int, int]:
    """Return (어절 removed, 어절 added), as a history list shows them ("−3 +5 어절")."""
    removed = added = 0
    for op in ops:
        if op.kind == "delete":
            removed += len(op.text.split())
        elif op.kind == "insert":
            added += len(op.text.split())
    return removed, added


def inline_html(ops: Iterable[Op]) -> SafeString:
    """Return the diff as one run of text, deletions in ``<del>``, insertions in ``<ins>``.

    Every 어절 is HTML-escaped, so the result is safe to put in a page as it is.
    """
    return mark_safe(" ".join(_html(op) for op in ops))  # noqa: S308 - every piece is escaped


def side_by_side(ops: Iterable[Op]) -> tuple[SafeString, SafeString]:
    """Return (old, new) as HTML: the old text with deletions marked, the new with insertions.

    Every 어절 is HTML-escaped, so both are safe to put in a page as they are.
    """
    ops = list(ops)
    left = " ".join(_html(op) for op in ops if op.kind != "insert")
    right = " ".join(_html(op) for op in ops if op.kind != "delete")
    return mark_safe(left), mark_safe(right)  # noqa: S308 - every piece is escaped


_TAGS = {"delete": "del", "insert": "ins"}


def _html(op: Op) -> str:
    text = escape(op.text)
    tag = _TAGS.get(op.kind)
    return f"<{tag}>{text}</{tag}>" if tag else text


def _diff_tokens(a: Sequence[str], b: Sequence[str]) -> list[Op]:
    # Each region between two matches as (equal tokens, deleted tokens, inserted tokens).
    regions: list[tuple[list[str], list[str], list[str]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            regions.append((list(a[i1:i2]), [], []))
        else:
            regions.append(([], list(a[i1:i2]), list(b[j1:j2])))
    return _merge(_absorb_chaff(regions))


def _absorb_chaff(regions):
    """Turn short matches between larger changes into a deletion and an insertion.

    diff-match-patch's semantic cleanup, counted in 어절 and stricter: the match must be shorter
    than the largest change on each side, so "가 나 다" → "라 나 마" keeps its shared "나".
    """
    changed = True
    while changed:
        changed = False
        for index in range(1, len(regions) - 1):
            equal, _, _ = regions[index]
            before, after = regions[index - 1], regions[index + 1]
            if (
                equal
                and not before[0]
                and not after[0]
                and len(equal) < max(len(before[1]), len(before[2]))
                and len(equal) < max(len(after[1]), len(after[2]))
            ):
                regions[index - 1 : index + 2] = [
                    ([], before[1] + equal + after[1], before[2] + equal + after[2])
                ]
                changed = True
                break
    return regions


def _merge(regions) -> list[Op]:
    ops: list[Op] = []
    pending: dict[OpKind, list[str]] = {"equal": [], "delete": [], "insert": []}

    def flush(*kinds: OpKind) -> None:
        for kind in kinds:
            if pending[kind]:
                ops.append(Op(kind, " ".join(pending[kind])))
                pending[kind] = []

    for equal, deleted, inserted in regions:
        if equal:
            flush("delete", "insert")
            pending["equal"].extend(equal)
        else:
            flush("equal")
            pending["delete"].extend(deleted)
            pending["insert"].extend(inserted)
    flush("equal", "delete", "insert")
    return ops


def _equal(paragraph: tuple[str, ...]) -> ParagraphDiff:
    text = " ".join(paragraph)
    return ParagraphDiff("equal", text, text, (Op("equal", text),))


def _removed(paragraph: tuple[str, ...]) -> ParagraphDiff:
    text = " ".join(paragraph)
    return ParagraphDiff("removed", text, "", (Op("delete", text),))


def _added(paragraph: tuple[str, ...]) -> ParagraphDiff:
    text = " ".join(paragraph)
    return ParagraphDiff("added", "", text, (Op("insert", text),))


def _similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # The cheap upper bounds first: most pairs in a rewritten stretch share almost nothing.
    if matcher.real_quick_ratio() < PARAGRAPH_SIMILARITY:
        return 0.0
    if matcher.quick_ratio() < PARAGRAPH_SIMILARITY:
        return 0.0
    return matcher.ratio()


def _pair_up(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> list[ParagraphDiff]:
    """Match the old and new paragraphs of one changed stretch, in order, most alike first.

    The pairs are the order-keeping matching with the greatest total similarity (an alignment
    like the longest common subsequence, weighted by ratio), counting only pairs at or above
    :data:`PARAGRAPH_SIMILARITY`; unpaired old paragraphs are removed, unpaired new ones added.
    """
    n, m = len(a), len(b)
    ratio = [[_similarity(a[i], b[j]) for j in range(m)] for i in range(n)]
    # best[i][j]: the greatest total similarity pairing a[i:] with b[j:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if ratio[i][j] >= PARAGRAPH_SIMILARITY:
                options.append(ratio[i][j] + best[i + 1][j + 1])
            best[i][j] = max(options)

    result: list[ParagraphDiff] = []
    removed: list[ParagraphDiff] = []
    added: list[ParagraphDiff] = []
    i = j = 0
    while i < n and j < m:
        if ratio[i][j] >= PARAGRAPH_SIMILARITY and best[i][j] == ratio[i][j] + best[i + 1][j + 1]:
            # Removals and additions before a pair read best grouped: all removed, then added.
            result += removed + added
            removed, added = [], []
            old, new = " ".join(a[i]), " ".join(b[j])
            result.append(ParagraphDiff("changed", old, new, tuple(_diff_tokens(a[i], b[j]))))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            removed.append(_removed(a[i]))
            i += 1
        else:
            added.append(_added(b[j]))
            j += 1
    removed += [_removed(p) for p in a[i:]]
    added += [_added(p) for p in b[j:]]
    return result + removed + added
