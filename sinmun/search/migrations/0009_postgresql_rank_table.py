"""PostgreSQL: search_rank, the weighted tsvector of every document stored in its own row.

Ranking a window of 2,000 matches with ts_rank_cd, and checking phrases on candidates, read
the weighted tsvector (~3 KB a document) by article id. In search_searchdocument it is stored
out of line (TOAST: an index lookup and two chunks per document, ~15 µs; 25–40 ms a window at
100k articles); here it stays in the row (``STORAGE MAIN``), one page read per document.
Kept in step by the same triggers as search_match (docs/decisions/0019).
"""

from django.db import migrations

SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_match WHERE article_id = OLD.article_id;
        DELETE FROM search_rank WHERE article_id = OLD.article_id;
        RETURN OLD;
    END IF;
    DELETE FROM search_match WHERE article_id = NEW.article_id;
    INSERT INTO search_match (article_id, terms)
    VALUES (NEW.article_id, search_match_terms(NEW.tsv));
    INSERT INTO search_rank (article_id, tsv) VALUES (NEW.article_id, NEW.tsv)
    ON CONFLICT (article_id) DO UPDATE SET tsv = EXCLUDED.tsv;
    RETURN NEW;
END
$$
"""

TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION search_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE search_match, search_rank;
    RETURN NULL;
END
$$
"""

POSTGRES_UP = [
    "CREATE TABLE search_rank (article_id integer PRIMARY KEY, tsv tsvector NOT NULL)",
    # In the row, uncompressed where it fits (pglz does not shrink a tsvector by the quarter
    # it asks for anyway).
    "ALTER TABLE search_rank ALTER COLUMN tsv SET STORAGE MAIN",
    "INSERT INTO search_rank (article_id, tsv) SELECT article_id, tsv FROM search_searchdocument",
    SYNC_FUNCTION,
    TRUNCATE_FUNCTION,
    "ANALYZE search_rank",
]
POSTGRES_DOWN = [
    # 0008's functions, without search_rank.
    """
CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_match WHERE article_id = OLD.article_id;
        RETURN OLD;
    END IF;
    DELETE FROM search_match WHERE article_id = NEW.article_id;
    INSERT INTO search_match (article_id, terms)
    VALUES (NEW.article_id, search_match_terms(NEW.tsv));
    RETURN NEW;
END
$$
""",
    """
CREATE OR REPLACE FUNCTION search_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE search_match;
    RETURN NULL;
END
$$
""",
    "DROP TABLE IF EXISTS search_rank",
]


def _postgresql_only(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0008_postgresql_recent_tier")]

    operations = [
        migrations.RunPython(_postgresql_only(POSTGRES_UP), _postgresql_only(POSTGRES_DOWN)),
    ]
