# ruff: noqa: S608 - SQL built from constants and integers only.
"""PostgreSQL: a recent tier over search_match, and no ordered index on its article ids.

- ``search_match_recent``: a partial GIN index over the rows of the newest ``RECENT_IDS`` to
  ``2 × RECENT_IDS`` article ids (``search_match_floor.floor`` and up; moved by
  ``recent.advance``). A common word's posting list there is a few thousand entries whatever
  the archive's size, and fills the rank window; rarer words are read from the whole index.
- The primary key becomes a hash index: equality only, for the triggers. With an ordered index
  the planner reads a range of ids through it and tests every row's terms, which it must
  detoast (~7 µs a row: 145 ms for 20,000 ids at 100k articles) instead of reading the GIN
  index; with none, the GIN indexes are the only way in.

See docs/decisions/0019.
"""

from django.db import migrations

# As in sinmun/search/recent.py at the time of this migration.
RECENT_IDS = 50_000

# Without a unique index: the old row out, the new one in (the document's own row lock keeps
# two writers of one article in turn).
SYNC_FUNCTION = """
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
"""

OLD_SYNC_FUNCTION = """
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


def recent_index(floor: int) -> str:
    """Return the CREATE INDEX of the recent tier from ``floor`` up (an int, written inline:
    the planner uses a partial index only for a query whose own bound implies its predicate)."""
    return (
        "CREATE INDEX search_match_recent ON search_match USING GIN (terms)"
        f" WITH (fastupdate = off) WHERE article_id >= {int(floor)}"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("ALTER TABLE search_match DROP CONSTRAINT search_match_pkey")
    execute("CREATE INDEX search_match_id ON search_match USING hash (article_id)")
    execute(SYNC_FUNCTION)
    execute(
        "CREATE TABLE search_match_floor (id integer PRIMARY KEY CHECK (id = 1),"
        " floor integer NOT NULL)"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(article_id), 0) FROM search_match")
        floor = max(cursor.fetchone()[0] - RECENT_IDS, 0)
    execute(f"INSERT INTO search_match_floor (id, floor) VALUES (1, {floor})")
    execute(recent_index(floor))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("DROP INDEX IF EXISTS search_match_recent")
    execute("DROP TABLE IF EXISTS search_match_floor")
    execute("DROP INDEX IF EXISTS search_match_id")
    execute("ALTER TABLE search_match ADD PRIMARY KEY (article_id)")
    execute(OLD_SYNC_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgresql_match_table")]

    operations = [migrations.RunPython(forwards, backwards)]
