"""Reads: what the header shows at a given time, its cost, and the stale and hidden rules."""

from datetime import timedelta

import pytest

from sinmun.weather import selectors, services
from sinmun.weather.models import Station
from sinmun.weather.readings import Reading

from .conftest import OBSERVED, SNAPSHOT, SNAPSHOT_ITEMS

pytestmark = pytest.mark.django_db


def load(now=OBSERVED):
    services.weather_load_file(path=SNAPSHOT, now=now)


def texts(ticker) -> list[str]:
    return [item.text for item in ticker]


def test_nothing_stored_is_falsy_and_costs_one_query_then_none(django_assert_num_queries):
    with django_assert_num_queries(1):
        ticker = selectors.ticker_items(now=OBSERVED)
    assert not ticker and len(ticker) == 0
    with django_assert_num_queries(0):
        assert not selectors.ticker_items(now=OBSERVED)


def test_ticker_costs_one_query_cold_and_none_warm(django_assert_num_queries):
    load()
    with django_assert_num_queries(1):
        assert len(selectors.ticker_items(now=OBSERVED)) == 16
    with django_assert_num_queries(0):
        assert len(selectors.ticker_items(now=OBSERVED + timedelta(hours=2))) == 16


def test_items_in_station_order_with_the_credit_last():
    load()
    ticker = selectors.ticker_items(now=OBSERVED + timedelta(minutes=30))
    assert texts(ticker) == SNAPSHOT_ITEMS
    assert ticker.line == " · ".join([*SNAPSHOT_ITEMS, "기상청 제공"])
    assert not any(item.stale or item.sample for item in ticker)


def test_admin_order_and_active_change_the_ticker():
    load()
    Station.objects.filter(stn_id=184).update(order=0)
    Station.objects.filter(stn_id=98).update(active=False)
    services.ticker_cache_clear()
    shown = texts(selectors.ticker_items(now=OBSERVED))
    assert shown[:2] == ["흐림제주 7.3℃", "맑음강릉 -1.4℃"]
    assert len(shown) == 15


@pytest.mark.parametrize(
    ("age", "count", "stale"),
    [
        (timedelta(0), 16, False),
        (timedelta(hours=3), 16, False),
        (timedelta(hours=3, seconds=1), 16, True),
        (timedelta(hours=12), 16, True),
        (timedelta(hours=12, seconds=1), 0, None),
    ],
)
def test_stale_after_three_hours_hidden_after_twelve(age, count, stale):
    load()
    ticker = selectors.ticker_items(now=OBSERVED + age)
    assert len(ticker) == count
    if count:
        assert {item.stale for item in ticker} == {stale}


def test_stale_items_say_which_hour_they_are_from():
    load()  # 2026-01-15 07:00 KST
    same_day = selectors.ticker_items(now=OBSERVED + timedelta(hours=4))
    assert {item.as_of for item in same_day} == {"07시 기준"}
    assert texts(same_day) == SNAPSHOT_ITEMS  # the reading itself is unchanged


def test_stale_label_across_midnight_says_yesterday():
    evening = OBSERVED + timedelta(hours=15)  # 22:00 KST
    services.observations_store(
        readings=[Reading(108, evening, -3.0, "맑음")], source="api_hub", now=evening
    )
    ticker = selectors.ticker_items(now=evening + timedelta(hours=5))  # 03:00 KST next day
    assert [(i.text, i.as_of) for i in ticker] == [("맑음서울 -3.0℃", "어제 22시 기준")]


def test_stations_age_separately():
    load()
    later = OBSERVED + timedelta(hours=5)
    services.observations_store(
        readings=[Reading(108, later, -2.0, "구름조금")], source="api_hub", now=later
    )
    ticker = selectors.ticker_items(now=later + timedelta(minutes=10))
    seoul = next(item for item in ticker if "서울" in item.text)
    busan = next(item for item in ticker if "부산" in item.text)
    assert (seoul.text, seoul.stale) == ("구름조금서울 -2.0℃", False)
    assert (busan.text, busan.stale, busan.as_of) == ("구름조금부산 2.1℃", True, "07시 기준")


def test_snapshot_is_labelled_sample_and_never_ages(settings):
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    services.weather_refresh(now=OBSERVED + timedelta(days=300))
    ticker = selectors.ticker_items(now=OBSERVED + timedelta(days=400))
    assert texts(ticker) == SNAPSHOT_ITEMS
    assert ticker.sample and not any(item.stale for item in ticker)


def test_snapshot_gives_way_once_a_real_value_is_shown(settings):
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    now = OBSERVED + timedelta(days=300)
    services.weather_refresh(now=now)
    services.observations_store(
        readings=[Reading(108, now, -1.0, "흐림")], source="api_hub", now=now
    )
    ticker = selectors.ticker_items(now=now)
    assert texts(ticker) == ["흐림서울 -1.0℃"]
    assert not ticker.sample


def test_readings_line_follows_station_order():
    readings = [
        Reading(184, OBSERVED, 7.3, "흐림"),
        Reading(98, OBSERVED, -8.2, "맑음"),
        Reading(201, OBSERVED, None, ""),
    ]
    assert selectors.readings_line(readings) == "맑음동두천 -8.2℃ · 흐림제주 7.3℃ · 기상청 제공"
