"""A 예약 출고 survives the worker's death: the time is in the article's row, not in a queue.

The article is public from its time whether or not a worker runs (the read selectors compare
the time); what the worker adds is the announcement that refreshes caches, search and related
lists (``embargoes_announce_due``). A worker killed before the time, and a new one started
after it, still announces it.
"""

from datetime import UTC, datetime

import pytest

from .conftest import kill_session, wait_for

# The test database is only copied, as each crash site's starting point (conftest).
pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

AHEAD_SECONDS = 8
# The schedule queued the article's search analysis: one thread may load the analyzer for it
# while another runs the sweep, as the sweep would wait behind it with one.
WORKER = ("worker", "--threads", "3")


def test_a_schedule_comes_due_across_a_killed_worker(site):
    first = site.start(*WORKER)
    try:
        # Its sweep at start sets the mark that later sweeps go on from.
        assert wait_for(site.sweep_mark, seconds=90, every=0.3), "the worker never swept"
        scheduled = site.victim("schedule", str(AHEAD_SECONDS))
    finally:
        kill_session(first)
    assert scheduled.returncode == 0, scheduled.stderr[-3000:]
    due = datetime.fromisoformat(scheduled.stdout.strip().splitlines()[-1])
    if datetime.now(UTC) >= due:
        pytest.fail("the machine was too slow: the time came before the worker was killed")

    wait_for(lambda: datetime.now(UTC) > due, seconds=AHEAD_SECONDS + 5, every=0.2)
    down = site.report()  # no worker runs now
    assert down["articles"]["scheduled"]["public"] is True
    assert down["articles"]["scheduled"]["status"] == "published"
    assert datetime.fromisoformat(down["articles"]["scheduled"]["first_published_at"]) == due
    assert site.sweep_mark() < due  # nobody has announced it

    second = site.start(*WORKER)
    try:
        announced = wait_for(lambda: site.sweep_mark() >= due, seconds=90, every=0.3)
    finally:
        kill_session(second)
    assert announced, "the new worker did not announce the schedule that came due"
    after = site.report()
    assert after["pages"][after["articles"]["scheduled"]["path"]] == 200
    assert "크래시 점검 기사 scheduled" in after["home"]
