"""The candidates' index holds the article id (the read needs no table lookup), and the
article columns lose the index of their own that the unique constraints already provide.

The article indexes are dropped by name rather than by AlterField: on SQLite, AlterField
rebuilds the whole table (20 million signature rows at a million articles).
"""

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("signature", "relatedlink")


def _article_indexes(schema_editor, model) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and info["columns"] == ["article_id"]
    ]


def drop_article_indexes(apps, schema_editor):
    for name in TABLES:
        model = apps.get_model("related", name)
        for index in _article_indexes(schema_editor, model):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(index)}")


def create_article_indexes(apps, schema_editor):
    for name in TABLES:
        model = apps.get_model("related", name)
        if not _article_indexes(schema_editor, model):
            field = model._meta.get_field("article")
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0006_article_page_indexes"),
        ("related", "0002_liststate_version"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="signature", name="related_term_weight"),
        migrations.AddIndex(
            model_name="signature",
            index=models.Index(
                fields=["term", "-weight", "article"], name="related_term_weight_article"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="relatedlink",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="related_links",
                        to="newsroom.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="signature",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="newsroom.article",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_article_indexes, create_article_indexes),
            ],
        ),
    ]
