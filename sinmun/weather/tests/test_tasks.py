"""The worker's weather job: due once an hour at HH:07, and a failed refresh changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from sinmun.jobs import queue
from sinmun.weather import client, selectors, tasks
from sinmun.weather.models import Observation

from .conftest import OBSERVED, SNAPSHOT, SNAPSHOT_ITEMS


def test_the_refresh_is_due_in_exactly_one_tick_an_hour_at_seven_past():
    # The worker's scheduler ticks every 15 s from whenever it started.
    start = datetime(2026, 1, 15, 0, 0, 4, tzinfo=UTC)
    ticks = [start + timedelta(seconds=queue.TICK_SECONDS * n) for n in range(24 * 60 * 4)]
    due = [t for t in ticks if tasks.refresh.task_class().validate_datetime(t)]
    assert len(due) == 24
    assert {(t.minute, t.second // queue.TICK_SECONDS) for t in due} == {(7, 0)}


def test_the_refresh_is_queued_whenever_a_worker_starts():
    assert tasks.refresh in queue.start_jobs()


@pytest.mark.django_db
def test_a_failed_refresh_keeps_the_last_values_and_the_next_one_stores(
    kma, settings, page_clock, caplog
):
    settings.KMA_API_HUB_KEY, settings.KMA_DATA_GO_KR_KEY = "hub-test-key", ""
    kma.api_hub += [client.FetchError("timed out"), client.Response(200, SNAPSHOT.read_bytes())]
    page_clock(OBSERVED + timedelta(minutes=20))

    tasks.refresh()
    assert Observation.objects.count() == 0
    assert "timed out" in caplog.text

    tasks.refresh()
    assert [i.text for i in selectors.ticker_items(now=OBSERVED)] == SNAPSHOT_ITEMS
