"""Pytest plugin loaded before Django settings (``-p sinmun.testenv`` in pyproject.toml).

Tests write media and the generated secret key into a throw-away folder, never into ./var,
and the folder must be chosen before ``sinmun.settings`` is imported.
"""

import os
import tempfile

os.environ["SINMUN_VAR_DIR"] = tempfile.mkdtemp(prefix="sinmun-test-")
# Playwright's sync API runs an event loop in the main thread; Django's async-safety guard would
# otherwise refuse the ORM calls that live_server tests make around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Page tests assert on what a render produces; the page cache has tests of its own that turn
# it on (sinmun/public/tests/test_pagecache.py).
os.environ.setdefault("SINMUN_PAGE_CACHE_SECONDS", "0")
# The same for the kept page fragments and article rows (their own tests:
# sinmun/public/tests/test_fragments.py): a test's writes never commit, so nothing bumps.
os.environ.setdefault("SINMUN_FRAGMENT_SECONDS", "0")
# Jobs run where they are queued, so a test sees their effect after commit without a worker;
# the worker itself has tests that turn this off (sinmun/jobs/tests).
os.environ.setdefault("SINMUN_JOBS_IMMEDIATE", "1")

# What a test asks for when it touches the database (directly or through a fixture it uses).
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "django_db_setup",
}


def _touches_database(item) -> bool:
    # pytest-django refuses the database to a test without one of these, so a test without
    # them can reach it only through a process it starts: those say so (``database``).
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("database") is not None
        or not _DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """On the second pass (``SINMUN_TEST_PASS=database``: `make test` on PostgreSQL), run only
    the tests that touch the database; the others ran on the first pass and would run the same
    again (docs/decisions/0028-test-passes.md)."""
    if os.environ.get("SINMUN_TEST_PASS") != "database":
        return
    kept, dropped = [], []
    for item in items:
        (kept if _touches_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
