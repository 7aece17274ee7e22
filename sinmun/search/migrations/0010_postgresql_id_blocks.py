"""PostgreSQL: search_match indexed in blocks of 100,000 article ids below the recent tier.

One partial GIN index per block (``search_match_block_<k>``: ids k × 100,000 up to the next
block), created here for every block below the tier's floor and by ``recent.advance`` as the
floor rises. Search reads the blocks newest first and stops once its window is full
(docs/decisions/0019).
"""

from django.db import migrations

# As in sinmun/search/recent.py at the time of this migration.
BLOCK_IDS = 100_000
BLOCK = (
    "CREATE INDEX IF NOT EXISTS search_match_block_{k:d} ON search_match USING GIN (terms)"
    " WITH (fastupdate = off) WHERE article_id >= {start:d} AND article_id < {end:d}"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT floor FROM search_match_floor")
        floor = cursor.fetchone()[0]
    for k in range((floor + BLOCK_IDS - 1) // BLOCK_IDS):
        schema_editor.execute(BLOCK.format(k=k, start=k * BLOCK_IDS, end=(k + 1) * BLOCK_IDS))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search_match_block_%'"
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_postgresql_rank_table")]

    operations = [migrations.RunPython(forwards, backwards)]
