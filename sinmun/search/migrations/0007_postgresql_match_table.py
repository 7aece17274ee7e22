"""PostgreSQL: search_match, a narrow table for finding matches, with prefix terms of its own.

Every search document's lexemes without positions or weights (``strip``), plus one term per
two- and three-character prefix of them (정부청사 → ``정부>`` and ``정부청>``), under a GIN
index. A two- or three-syllable query term (a prefix, see ``backends.expressions``) becomes
one such term: GIN reads one posting list instead of gathering every lexeme starting with it
into a bitmap (``정부:*``: 285,000 postings, 121 ms at a million articles), and ANDs of words
skip through their posting lists. Rows are a few dozen bytes (the terms are stored out of
line and never read by a search), so a bitmap scan over tens of thousands of matches touches
few pages; search_searchdocument's rows, by contrast, make PostgreSQL detoast the weighted
tsvector whenever it tests one. Phrases (positions) and ranking (weights) still read the
weighted tsvector of search_searchdocument, for a few thousand candidates at most
(docs/decisions/0019).

Kept in step by triggers on search_searchdocument (insert, update, delete, truncate); nothing
on SQLite.
"""

from django.db import migrations

# Lexemes, then the prefix terms: 2 and 3 characters (backends.expressions.MIN_PREFIX_CHARS,
# MAX_PREFIX_CHARS) without digits (numbers always match whole), each followed by '>', which
# no lexeme of the analyzer's letters-and-digits text contains.
TERMS_FUNCTION = """
CREATE OR REPLACE FUNCTION search_match_terms(weighted tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT strip(weighted) || array_to_tsvector(ARRAY(
        SELECT DISTINCT left(lexeme, n) || '>'
        FROM unnest(tsvector_to_array(weighted)) AS lexeme, (VALUES (2), (3)) AS lengths(n)
        WHERE char_length(lexeme) >= n AND left(lexeme, n) !~ '[0-9]'
    ))
$$
"""

SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_match WHERE article_id = OLD.article_id;
        RETURN OLD;
    END IF;
    INSERT INTO search_match (article_id, terms)
    VALUES (NEW.article_id, search_match_terms(NEW.tsv))
    ON CONFLICT (article_id) DO UPDATE SET terms = EXCLUDED.terms;
    RETURN NEW;
END
$$
"""

TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION search_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE search_match;
    RETURN NULL;
END
$$
"""

# The GIN index without a pending list (fastupdate): every search would scan the list.
CREATE_INDEX = (
    "CREATE INDEX search_match_terms_gin ON search_match USING GIN (terms) WITH (fastupdate = off)"
)

POSTGRES_UP = [
    TERMS_FUNCTION,
    SYNC_FUNCTION,
    TRUNCATE_FUNCTION,
    "CREATE TABLE search_match (article_id integer PRIMARY KEY, terms tsvector NOT NULL)",
    # Out of line and uncompressed: rows stay narrow, and terms is never read by a search.
    "ALTER TABLE search_match ALTER COLUMN terms SET STORAGE EXTERNAL",
    """INSERT INTO search_match (article_id, terms)
        SELECT article_id, search_match_terms(tsv) FROM search_searchdocument""",
    CREATE_INDEX,
    """CREATE TRIGGER search_match_sync AFTER INSERT OR UPDATE OR DELETE
        ON search_searchdocument FOR EACH ROW EXECUTE FUNCTION search_match_sync()""",
    """CREATE TRIGGER search_match_truncate AFTER TRUNCATE
        ON search_searchdocument FOR EACH STATEMENT EXECUTE FUNCTION search_match_truncate()""",
    "ANALYZE search_match",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS search_match_truncate ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_match_sync ON search_searchdocument",
    "DROP TABLE IF EXISTS search_match",
    "DROP FUNCTION IF EXISTS search_match_truncate()",
    "DROP FUNCTION IF EXISTS search_match_sync()",
    "DROP FUNCTION IF EXISTS search_match_terms(tsvector)",
]


def _postgresql_only(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_fts5_prefix_indexes")]

    operations = [
        migrations.RunPython(_postgresql_only(POSTGRES_UP), _postgresql_only(POSTGRES_DOWN)),
    ]
