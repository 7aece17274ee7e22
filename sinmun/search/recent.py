# ruff: noqa: S608 - SQL built from this module's constant column list; values are bound.
"""The recent tier of the SQLite index: a second FTS5 index over the newest articles only.

FTS5's bm25 reads the whole posting list of every query term to weigh it (its IDF), and a
prefix query (국회*) gathers every matching posting before the first row comes out: both cost
time in proportion to the archive, ~100 ms for a word in most articles of a million. Search
ranks among the newest matches anyway (``backends.RANK_WINDOW``), so common words are served
from this tier, whose size does not grow with the archive; words too rare to fill the window
there are rare in the whole index too, and cheap to read from it.

The tier holds the documents whose article id is at or above ``search_recent_floor.floor``
(triggers in migrations/_fts5.py copy them in and out). ``advance`` raises the floor once the
tier spans more than twice ``RECENT_IDS`` ids, a few hundred documents per call, so no single
publish pays for a large move. PostgreSQL needs none of this (no tier there).
"""

from django.db import connection, transaction

# The tier holds the documents of the newest RECENT_IDS to 2 × RECENT_IDS article ids.
RECENT_IDS = 50_000
# Documents removed from the tier per call of ``advance`` from the indexer.
STEP = 500
FIELDS = "headline, subheadlines, keywords, body"


def enabled() -> bool:
    return connection.vendor == "sqlite"


def floor() -> int:
    """Return the lowest article id the tier holds (0 when it holds everything)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT floor FROM search_recent_floor")
        return cursor.fetchone()[0]


def _set_floor(cursor, value: int) -> None:
    cursor.execute("UPDATE search_recent_floor SET floor = %s", [value])


def fill(cursor, start: int) -> None:
    """Empty the tier and fill it with the documents of article ids ``start`` and up."""
    cursor.execute("INSERT INTO search_recent(search_recent) VALUES ('delete-all')")
    _set_floor(cursor, start)
    cursor.execute(
        f"INSERT INTO search_recent(rowid, {FIELDS})"
        f" SELECT article_id, {FIELDS} FROM search_searchdocument WHERE article_id >= %s",
        [start],
    )


def advance(*, step: int | None = STEP) -> int:
    """Raise the floor if the tier spans more than 2 × RECENT_IDS ids; return how many
    documents left the tier. ``step=None`` moves it all the way at once (batch commands)."""
    if not enabled():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        current = floor()
        cursor.execute("SELECT MAX(article_id) FROM search_searchdocument")
        newest = cursor.fetchone()[0] or 0
        if newest - current < 2 * RECENT_IDS:
            return 0
        target = newest - RECENT_IDS
        cursor.execute(
            "SELECT COUNT(*) FROM search_searchdocument WHERE article_id >= %s AND article_id < %s",
            [current, target],
        )
        leaving = cursor.fetchone()[0]
        if step is None and leaving > RECENT_IDS:
            # Cheaper to refill the tier than to take most of it out document by document.
            fill(cursor, target)
            return leaving
        cursor.execute(
            "SELECT article_id FROM search_searchdocument WHERE article_id >= %s"
            " AND article_id < %s ORDER BY article_id LIMIT 1 OFFSET %s",
            [current, target, step or leaving],
        )
        row = cursor.fetchone()
        new_floor = row[0] if row else target
        # FTS5 takes a document out of an external-content index given its indexed text.
        cursor.execute(
            f"INSERT INTO search_recent(search_recent, rowid, {FIELDS})"
            f" SELECT 'delete', article_id, {FIELDS} FROM search_searchdocument"
            " WHERE article_id >= %s AND article_id < %s",
            [current, new_floor],
        )
        _set_floor(cursor, new_floor)
        return min(leaving, step or leaving)
