# ruff: noqa: S608 - SQL built from constants only.
"""SQLite: the recent tier, a second FTS5 index over the newest articles (search/recent.py).

Filled here with the newest RECENT_IDS article ids already indexed; nothing on PostgreSQL.
"""

from django.db import migrations

from . import _fts5

# As in sinmun/search/recent.py at the time of this migration.
RECENT_IDS = 50_000

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_recent USING fts5(
        headline, subheadlines, keywords, body,
        content='search_searchdocument', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TABLE search_recent_floor (
        id INTEGER PRIMARY KEY CHECK (id = 1), floor INTEGER NOT NULL
    )""",
    f"""INSERT INTO search_recent_floor (id, floor)
        SELECT 1, MAX(COALESCE(MAX(article_id), 0) - {RECENT_IDS}, 0) FROM search_searchdocument""",
    """INSERT INTO search_recent(rowid, headline, subheadlines, keywords, body)
        SELECT article_id, headline, subheadlines, keywords, body FROM search_searchdocument
        WHERE article_id >= (SELECT floor FROM search_recent_floor)""",
    *_fts5.RECENT_TRIGGERS,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_recent_ai",
    "DROP TRIGGER IF EXISTS search_recent_ad",
    "DROP TRIGGER IF EXISTS search_recent_au",
    "DROP TABLE IF EXISTS search_recent_floor",
    "DROP TABLE IF EXISTS search_recent",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0004_suggestion_words")]

    operations = [
        migrations.RunPython(_fts5.sqlite_only(SQLITE_UP), _fts5.sqlite_only(SQLITE_DOWN))
    ]
