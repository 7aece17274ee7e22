"""Korean full-text search: a morpheme index on SQLite FTS5 (default) or PostgreSQL.

``indexing`` keeps the index in step with publication (called by ``newsroom.services``),
``query`` parses what a reader types, ``backends`` run it on the database in use, and
``selectors`` is what interfaces call. ``dictionary`` teaches the analyzer the newsroom's names
for both sides; ``evaluation`` and ``name_recall`` measure relevance (``sinmun search_eval``).
"""
