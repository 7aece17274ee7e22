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


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


def _name_groups(items) -> None:
    """Give each test of an ``xdist_group`` the ``@group`` suffix that ``--dist loadgroup`` reads.

    pytest-xdist 3.8 appends it to ``item._nodeid``, which pytest 9 no longer reads (the id is
    ``item._id``, a ``NodeId``), so every group was split across the workers: the system tests'
    module booted its site (~15 s) on both. Remove once xdist names groups on pytest 9 itself.
    """
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


def pytest_collection_modifyitems(config, items):
    """Every transactional test rolls back serialized; on the second pass
    (``SINMUN_TEST_PASS=database``: `make test` on PostgreSQL) only the tests that touch the
    database run, the others ran on the first pass and would run the same again
    (docs/decisions/0028-test-passes.md)."""
    for item in items:
        # A transactional test ends by emptying the tables, and the emptying re-creates the
        # role groups under new ids (post_migrate); a serialized test after it then cannot put
        # its rows back ("UNIQUE auth_group.name"). With xdist handing tests to whichever worker
        # is free, any test can come after any other, so all of them put the rows back.
        if _transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")
    # xdist hands out the first quarter of the tests in turn and the rest as workers free up:
    # a minute-long test collected late ran alone while the other worker sat idle (90 s of a
    # 9-minute pass). Heavy ones go first; the rest keep their order (a stable sort).
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)
    if getattr(config.option, "loadgroup", False):  # set in xdist workers only
        _name_groups(items)
    if os.environ.get("SINMUN_TEST_PASS") != "database":
        return
    kept, dropped = [], []
    for item in items:
        # Chromium checks what the browser shows; the pages' reads and writes on PostgreSQL are
        # the view tests' part of this pass (decision 0028: the 15-minute budget).
        browser = item.get_closest_marker("browser") is not None
        first_pass = item.get_closest_marker("first_pass") is not None
        again = _touches_database(item) and not browser and not first_pass
        (kept if again else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
