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
publish pays for a large move. On PostgreSQL the tier is a partial GIN index over search_match
from ``search_match_floor.floor`` up, moved whole by ``advance`` when the tier spans more than
twice ``RECENT_IDS`` ids (docs/decisions/0019).
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
    table = "search_match_floor" if connection.vendor == "postgresql" else "search_recent_floor"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT floor FROM {table}")
        return cursor.fetchone()[0]


# PostgreSQL's tier is a partial GIN index over search_match (search migration 0008); its
# bound is written into the index, so moving it builds the index anew (a few seconds for
# 50,000 documents, once per RECENT_IDS new articles; searches go on meanwhile, index writes
# wait).
POSTGRES_INDEX = (
    "CREATE INDEX {name} ON search_match USING GIN (terms) WITH (fastupdate = off)"
    " WHERE article_id >= {floor:d}"
)


# Below the tier, search_match is also indexed in blocks of BLOCK_IDS ids, one partial GIN
# index each (search migration 0010): search reads them newest first and stops once the window
# is full, so a word common enough to need several reads but not in the tier, or a filter that
# keeps few of its matches, reads the postings of a few blocks instead of the whole archive's.
BLOCK_IDS = 100_000
POSTGRES_BLOCK = (
    "CREATE INDEX IF NOT EXISTS search_match_block_{k:d} ON search_match USING GIN (terms)"
    " WITH (fastupdate = off) WHERE article_id >= {start:d} AND article_id < {end:d}"
)


def ensure_postgres_blocks(cursor, below: int) -> None:
    """Create the block indexes that hold ids below ``below`` where they are missing."""
    for k in range((below + BLOCK_IDS - 1) // BLOCK_IDS):
        cursor.execute(POSTGRES_BLOCK.format(k=k, start=k * BLOCK_IDS, end=(k + 1) * BLOCK_IDS))


def move_postgres_tier(cursor, start: int) -> None:
    """Make the PostgreSQL tier hold the documents of article ids ``start`` and up."""
    ensure_postgres_blocks(cursor, start)
    cursor.execute(POSTGRES_INDEX.format(name="search_match_recent_next", floor=start))
    cursor.execute("DROP INDEX search_match_recent")
    cursor.execute("ALTER INDEX search_match_recent_next RENAME TO search_match_recent")
    cursor.execute("UPDATE search_match_floor SET floor = %s", [start])


def _advance_postgres() -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        # The newest id through search_searchdocument's primary key (search_match has no
        # ordered index), the floor locked so that one process moves it at a time.
        cursor.execute("SELECT MAX(article_id) FROM search_searchdocument")
        newest = cursor.fetchone()[0] or 0
        if newest - floor() < 2 * RECENT_IDS:
            return 0
        cursor.execute("SELECT floor FROM search_match_floor FOR UPDATE")
        current = cursor.fetchone()[0]
        if newest - current < 2 * RECENT_IDS:
            return 0
        target = newest - RECENT_IDS
        cursor.execute(
            "SELECT COUNT(*) FROM search_searchdocument WHERE article_id >= %s AND article_id < %s",
            [current, target],
        )
        leaving = cursor.fetchone()[0]
        move_postgres_tier(cursor, target)
        return leaving


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
    if connection.vendor == "postgresql":
        return _advance_postgres()
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
