"""The PostgreSQL pass of `make test` keeps every test that touches the database
(``sinmun.testenv``, docs/decisions/0028-test-passes.md)."""

from types import SimpleNamespace

import pytest

from sinmun import testenv


def item(*, markers=(), fixtures=()):
    return SimpleNamespace(
        get_closest_marker=lambda name: SimpleNamespace(kwargs={}) if name in markers else None,
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


class Config:
    def __init__(self):
        self.deselected = []
        self.option = SimpleNamespace()
        self.hook = type("Hook", (), {"pytest_deselected": lambda _, items: None})()


def test_the_second_pass_keeps_database_tests_but_not_the_browsers(monkeypatch):
    monkeypatch.setenv("SINMUN_TEST_PASS", "database")
    view = item(markers=("django_db",), fixtures=("newsroom",))
    browser = item(markers=("browser",), fixtures=("live_server",))
    text = item(fixtures=("tmp_path",))
    system = item(markers=("database",))
    photos = item(markers=("first_pass",), fixtures=("db",))
    items = [view, browser, text, system, photos]
    testenv.pytest_collection_modifyitems(Config(), items)
    assert items == [view, system]


def test_the_first_pass_runs_every_test(monkeypatch):
    monkeypatch.delenv("SINMUN_TEST_PASS", raising=False)
    items = [item(markers=("first_pass",), fixtures=("db",)), item(markers=("browser",))]
    kept = list(items)
    testenv.pytest_collection_modifyitems(Config(), items)
    assert items == kept


def test_a_transactional_test_always_rolls_back_serialized(monkeypatch):
    monkeypatch.delenv("SINMUN_TEST_PASS", raising=False)
    browser = item(markers=("browser",), fixtures=["live_server"])
    plain = item(markers=("django_db",), fixtures=["newsroom"])
    items = [browser, plain]
    testenv.pytest_collection_modifyitems(Config(), items)
    assert "django_db_serialized_rollback" in browser.fixturenames
    assert "django_db_serialized_rollback" not in plain.fixturenames


def test_the_system_test_says_it_reaches_the_database():
    from sinmun.tests import test_system

    assert "database" in [mark.name for mark in test_system.pytestmark]


def test_heavy_tests_are_handed_out_first_and_the_rest_keep_their_order(monkeypatch):
    monkeypatch.delenv("SINMUN_TEST_PASS", raising=False)
    first, photos, second, names = (
        item(),
        item(markers=("heavy",)),
        item(),
        item(markers=("heavy",)),
    )
    items = [first, photos, second, names]
    testenv.pytest_collection_modifyitems(Config(), items)
    assert items == [photos, names, first, second]


def test_the_tests_of_an_xdist_group_all_run_on_one_worker(tmp_path):
    # `make test` runs `--dist loadgroup` so that the system tests boot their site on one
    # worker; pytest-xdist 3.8 alone splits groups on pytest 9 (``testenv._name_groups``).
    import subprocess
    import sys

    (tmp_path / "test_grouped.py").write_text(
        "import os, pytest\n"
        "pytestmark = pytest.mark.xdist_group('together')\n"
        "@pytest.mark.parametrize('n', range(6))\n"
        "def test_in_group(n):\n"
        "    print('WORKER', os.environ['PYTEST_XDIST_WORKER'])\n"
    )
    (tmp_path / "test_free.py").write_text(
        "import pytest\n@pytest.mark.parametrize('n', range(6))\ndef test_free(n):\n    pass\n"
    )
    run = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "pytest", "-p", "sinmun.testenv", "-p", "no:cacheprovider",
         "-n", "2", "--dist", "loadgroup", "-v", "-c", "/dev/null", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    grouped = [
        line.split()[0]
        for line in run.stdout.splitlines()
        if line.startswith("[gw") and "PASSED" in line and "test_in_group" in line
    ]
    assert len(grouped) == 6
    assert len(set(grouped)) == 1, run.stdout
