# ruff: noqa: S608 - SQL built from constants only.
"""SQLite FTS5 triggers that keep search_fts and search_recent in step with search_searchdocument.

Shared by migrations: any migration that makes Django rebuild search_searchdocument on SQLite
(AlterField and the like) drops these triggers and must run them again (see 0003).
"""

TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, headline, subheadlines, keywords, body)
        VALUES (new.article_id, new.headline, new.subheadlines, new.keywords, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, subheadlines, keywords, body)
        VALUES ('delete', old.article_id, old.headline, old.subheadlines, old.keywords, old.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, subheadlines, keywords, body)
        VALUES ('delete', old.article_id, old.headline, old.subheadlines, old.keywords, old.body);
        INSERT INTO search_fts(rowid, headline, subheadlines, keywords, body)
        VALUES (new.article_id, new.headline, new.subheadlines, new.keywords, new.body);
    END""",
]

# The recent tier (migration 0005): a second FTS5 index over the same rows, holding only
# documents whose article id is at or above search_recent_floor.floor (sinmun/search/recent.py).
_IN_RECENT = "{}.article_id >= (SELECT floor FROM search_recent_floor)"
RECENT_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS search_recent_ai AFTER INSERT ON search_searchdocument
    WHEN {_IN_RECENT.format("new")} BEGIN
        INSERT INTO search_recent(rowid, headline, subheadlines, keywords, body)
        VALUES (new.article_id, new.headline, new.subheadlines, new.keywords, new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_recent_ad AFTER DELETE ON search_searchdocument
    WHEN {_IN_RECENT.format("old")} BEGIN
        INSERT INTO search_recent(search_recent, rowid, headline, subheadlines, keywords, body)
        VALUES ('delete', old.article_id, old.headline, old.subheadlines, old.keywords, old.body);
    END""",
    # One trigger, statements in order: the old text leaves before the new one comes in.
    f"""CREATE TRIGGER IF NOT EXISTS search_recent_au AFTER UPDATE ON search_searchdocument
    BEGIN
        INSERT INTO search_recent(search_recent, rowid, headline, subheadlines, keywords, body)
        SELECT 'delete', old.article_id, old.headline, old.subheadlines, old.keywords, old.body
        WHERE {_IN_RECENT.format("old")};
        INSERT INTO search_recent(rowid, headline, subheadlines, keywords, body)
        SELECT new.article_id, new.headline, new.subheadlines, new.keywords, new.body
        WHERE {_IN_RECENT.format("new")};
    END""",
]


def sqlite_only(statements):
    """Return a RunPython function executing ``statements`` on SQLite, nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run
