"""The PostgreSQL pass of `make test` keeps every test that touches the database
(``sinmun.testenv``, docs/decisions/0028-test-passes.md)."""

from types import SimpleNamespace

import pytest

from sinmun import testenv


def item(*, markers=(), fixtures=()):
    return SimpleNamespace(
        get_closest_marker=lambda name: object() if name in markers else None,
        fixturenames=list(fixtures),
    )


@pytest.mark.parametrize(
    ("markers", "fixtures"),
    [
        (("django_db",), ()),
        ((), ("newsroom", "db")),
        ((), ("live_server",)),
        ((), ("transactional_db",)),
        (("database",), ("tmp_path",)),
    ],
)
def test_a_test_that_touches_the_database_runs_on_the_second_pass(markers, fixtures):
    assert testenv._touches_database(item(markers=markers, fixtures=fixtures))


@pytest.mark.parametrize("fixtures", [(), ("tmp_path", "monkeypatch", "settings")])
def test_a_test_without_the_database_runs_once(fixtures):
    assert not testenv._touches_database(item(markers=("browser",), fixtures=fixtures))


def test_the_system_test_says_it_reaches_the_database():
    from sinmun.tests import test_system

    assert test_system.pytestmark.name == "database"
