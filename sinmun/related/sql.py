"""Plain SQL for the worker's refresh path: the tables' and columns' names from the models.

A refresh after a publish makes some twenty small reads and writes; building them through the
ORM (its query compilation, a model or a converter per row) was a sixth of the refresh's CPU
time at 100k articles (docs/decisions/0022), more than most of the statements took to run.
These helpers run hand-written statements on both SQLite and PostgreSQL instead. A template
names tables as ``{signature}`` and columns as ``{signature.term}``, resolved from the models'
``_meta`` (never from input); every value is bound as a parameter.
"""

from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sinmun.newsroom.models import Article, Keyword, Section
from sinmun.search.models import SearchDocument

from .models import ListState, Override, RelatedLink, Signature, VocabularySample, VocabularyTerm


class Table:
    """A model's quoted table name; its attributes are its fields' quoted column names."""

    def __init__(self, model) -> None:
        self.model = model

    def __format__(self, spec: str) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)

    def __getattr__(self, field: str) -> str:
        return connection.ops.quote_name(self.model._meta.get_field(field).column)


TABLES = {
    "article": Table(Article),
    "article_keywords": Table(Article.keywords.through),
    "keyword": Table(Keyword),
    "section": Table(Section),
    "document": Table(SearchDocument),
    "signature": Table(Signature),
    "link": Table(RelatedLink),
    "override": Table(Override),
    "state": Table(ListState),
    "vocabulary": Table(VocabularyTerm),
    "sample": Table(VocabularySample),
}


def statement(template: str, **fragments: str) -> str:
    """Return ``template`` with its ``{table}`` and ``{table.field}`` names filled in, and the
    ``fragments`` (placeholders, constant SQL) under their names."""
    return template.format(**TABLES, **fragments)


def placeholders(values) -> str:
    """Return the placeholders of an IN list of ``values`` (callers keep it to a few hundred:
    SQLite's default limit is 999 parameters a statement)."""
    return ", ".join(["%s"] * len(values))


def select(template: str, params: list, **fragments: str) -> list[tuple]:
    """Run a read; return its rows as tuples of the database's own values."""
    with connection.cursor() as cursor:
        cursor.execute(statement(template, **fragments), params)
        return cursor.fetchall()


def execute(template: str, params: list, **fragments: str) -> int:
    """Run a write; return how many rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(statement(template, **fragments), params)
        return cursor.rowcount


def aware(value) -> datetime | None:
    """Return a datetime column's value as the ORM would: SQLite gives a plain cursor text or a
    naive datetime (stored in UTC), PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value
