"""A ``sinmun import`` killed halfway leaves nothing of the file behind (decision 0003's
all-or-nothing, tested against a real kill rather than a raised error)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

# The test database is only copied, as each crash site's starting point (conftest).
pytestmark = pytest.mark.django_db

ITEMS = 30
KILLED_AFTER = 10  # articles the killed import had written inside its transaction


def _items(path) -> str:
    now = datetime.now(ZoneInfo("Asia/Seoul"))
    items = [
        {
            "uri": f"urn:crash:{number}",
            "headlines": [{"role": "main", "value": f"붕괴 점검 통신 {number}번째 소식"}],
            "bodies": [{"contenttype": "text/html", "value": f"<p>붕괴 점검 {number}호 본문.</p>"}],
            # A reporter, a section and a keyword the site does not have: the import makes them.
            "by": "최붕괴",
            "subjects": [
                {"name": "크래시통신", "uri": "sinmun:section:crash-wire", "rel": "section"},
                {"name": "붕괴점검", "rel": "keyword"},
            ],
            "firstcreated": (now - timedelta(minutes=number)).isoformat(),
            "pubstatus": "usable",
        }
        for number in range(1, ITEMS + 1)
    ]
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_killed_import_leaves_no_article_of_the_file_and_a_sound_database(site, tmp_path):
    wire = _items(tmp_path / "wire.json")
    site.kill_when_paused(
        "import", wire, pause=f'sql:^INSERT INTO "newsroom_article"\\s:{KILLED_AFTER}'
    )

    after = site.report()
    assert after.get("integrity", [["ok"]]) == [["ok"]]
    assert after["imported"] == 0
    assert after["imported_revisions"] == 0
    assert (after["import_reporters"], after["import_sections"], after["import_keywords"]) == (
        0,
        0,
        0,
    )
    assert after["pages"]["/"] == 200

    # The same file imports whole afterwards: no lock, no half row stands in the way.
    done = site.report("import", wire)
    assert sum(line.startswith("urn:crash:") for line in done["output"].splitlines()) == ITEMS
    assert done["imported"] == ITEMS
    assert "붕괴 점검 통신 1번째 소식" in done["home"]
