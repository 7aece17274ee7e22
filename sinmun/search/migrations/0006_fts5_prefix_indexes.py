# ruff: noqa: S608 - SQL built from constants only.
"""SQLite: FTS5 prefix indexes for prefixes of two and three characters, on both indexes.

Without them FTS5 answers 국회* by gathering the postings of every term that starts with 국회
before the first row comes out (~170 ms for a common word at a million articles); with them a
prefix of two or three syllables is read like a word. Longer words no longer match as
prefixes (backends.MAX_PREFIX_CHARS). Both tables are rebuilt from search_searchdocument.
"""

from django.db import migrations

from . import _fts5

COLUMNS = "headline, subheadlines, keywords, body"
OPTIONS = "content='search_searchdocument', content_rowid='article_id', " + (
    "tokenize='unicode61 remove_diacritics 0'"
)
TRIGGERS = [
    f"search_{table}_{event}" for table in ("fts", "recent") for event in ("ai", "ad", "au")
]
DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_recent",
]


def _build(prefix: str):
    return [
        *DROP,
        f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, {OPTIONS}{prefix})",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
        f"CREATE VIRTUAL TABLE search_recent USING fts5({COLUMNS}, {OPTIONS}{prefix})",
        f"""INSERT INTO search_recent(rowid, {COLUMNS})
            SELECT article_id, {COLUMNS} FROM search_searchdocument
            WHERE article_id >= (SELECT floor FROM search_recent_floor)""",
        *_fts5.TRIGGERS,
        *_fts5.RECENT_TRIGGERS,
    ]


class Migration(migrations.Migration):
    dependencies = [("search", "0005_recent_tier")]

    operations = [
        migrations.RunPython(
            _fts5.sqlite_only(_build(", prefix='2 3'")), _fts5.sqlite_only(_build(""))
        )
    ]
