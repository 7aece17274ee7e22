"""Two versions of an article side by side: headline, 부제 and body, by 어절.

Used by the revision diff and by the stale-save page, which shows the version someone else
saved beside the text the writer sent (``korean.wordiff`` does the word diff).
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from sinmun.korean import wordiff
from sinmun.newsroom import bodyhtml


@dataclass(frozen=True)
class Row:
    label: str
    left: SafeString
    right: SafeString
    changed: bool


@dataclass(frozen=True)
class Comparison:
    rows: list[Row]
    removed: int
    added: int


def _paragraphs(body: str) -> list[str]:
    return [p for p in bodyhtml.to_text(body or "").split("\n") if p.strip()]


def compare(old: dict, new: dict) -> Comparison:
    """Compare two snapshots (``headline``, ``subheadlines``, ``body``) for the desk."""
    rows: list[Row] = []
    removed = added = 0

    def add(label: str, ops: list[wordiff.Op]) -> None:
        nonlocal removed, added
        left, right = wordiff.side_by_side(ops)
        minus, plus = wordiff.summary(ops)
        removed, added = removed + minus, added + plus
        rows.append(Row(label, left, right, bool(minus or plus)))

    add("제목", wordiff.diff_words(old.get("headline", ""), new.get("headline", "")))
    add(
        "부제",
        wordiff.diff_words(
            " / ".join(old.get("subheadlines") or []), " / ".join(new.get("subheadlines") or [])
        ),
    )
    for number, paragraph in enumerate(
        wordiff.diff_paragraphs(_paragraphs(old.get("body", "")), _paragraphs(new.get("body", ""))),
        start=1,
    ):
        add(f"본문 {number}", list(paragraph.ops))
    return Comparison(rows, removed, added)
