"""A ``sinmun restore`` killed after it unpacked everything, before it put anything into place:
the target is still empty (so the restore can simply be run again), and the second run gives
the whole site back.

On PostgreSQL the database is loaded by ``pg_restore``, a child process: killed with its
parent, its one transaction rolls back; left running, it would commit a database whose photos
were never put into place, and a second restore would be refused (docs/decisions/0025).
"""

import os
import signal
import time

import psycopg
import pytest

from .conftest import _postgres, _url

# The test database is only copied, as each crash site's starting point (conftest).
pytestmark = pytest.mark.django_db


def _tables(site) -> int:
    """Return how many tables the site's database has (SQLite: whether the file exists)."""
    if site.database:
        with psycopg.connect(_url(_postgres(), site.database)) as connection:
            return connection.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'"
            ).fetchone()[0]
    return int((site.folder / "sinmun.sqlite3").exists())


def test_a_killed_restore_leaves_the_target_empty_and_can_be_run_again(empty_site, template):
    archive = str(template.archive)
    empty_site.kill_when_paused("restore", archive, pause="after:sinmun.backup.archive:extract")

    assert _tables(empty_site) == 0
    media = empty_site.folder / "media"
    assert not media.exists() or not any(media.iterdir())

    done = empty_site.report("restore", archive)
    assert done.get("integrity", [["ok"]]) == [["ok"]]
    assert done["articles"] == template.report["articles"]
    assert (media / "crash" / "note.txt").read_text() == "백업에 들어갈 미디어 파일"
    assert done["pages"] == template.report["pages"]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    return state == "Z"


@pytest.mark.skipif(not _postgres(), reason="pg_restore runs only on PostgreSQL")
def test_a_restore_killed_while_pg_restore_runs_leaves_the_database_empty(empty_site, template):
    archive = str(template.archive)
    child = int(empty_site.kill_when_paused("restore", archive, pause="pg_restore"))
    # Let it go on, as it would have without the stop: only its own death can keep it from
    # loading the database.
    for _ in range(200):
        if _gone(child):
            break
        os.kill(child, signal.SIGCONT)
        time.sleep(0.1)
    assert _gone(child), "pg_restore outlived the killed restore"

    assert _tables(empty_site) == 0
    media = empty_site.folder / "media"
    assert not media.exists() or not any(media.iterdir())
    done = empty_site.report("restore", archive)
    assert done["articles"] == template.report["articles"]
