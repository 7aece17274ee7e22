"""A ``sinmun restore`` killed after it unpacked everything, before it put anything into place:
the target is still empty (so the restore can simply be run again), and the second run gives
the whole site back.

Not covered: on PostgreSQL, a kill while ``pg_restore`` runs. It is a child process; a kill of
the ``sinmun`` process alone leaves it running to its end (docs/decisions/0025).
"""

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
