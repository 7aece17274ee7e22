"""SQLite FTS5 triggers that keep search_fts in step with search_searchdocument.

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
