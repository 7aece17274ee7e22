"""The database's full-text index over SearchDocument, per backend.

SQLite: an FTS5 external-content table (unicode61 tokenizer over the morpheme text; trigram
cannot match two-syllable words) kept in step by triggers. PostgreSQL: a stored generated
tsvector ('simple', weights A headline, B 부제, C keywords, D body) with a GIN index.
"""

from django.db import migrations

from . import _fts5

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        headline, subheadlines, keywords, body,
        content='search_searchdocument', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    *_fts5.TRIGGERS,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_UP = [
    """ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', headline), 'A')
        || setweight(to_tsvector('simple', subheadlines), 'B')
        || setweight(to_tsvector('simple', keywords), 'C')
        || setweight(to_tsvector('simple', body), 'D')
    ) STORED""",
    "CREATE INDEX search_doc_tsv ON search_searchdocument USING GIN (tsv)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_doc_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
