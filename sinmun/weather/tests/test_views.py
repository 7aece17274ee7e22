"""The ticker in the page header, through the test client: the "done when" of the issue."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinmun.weather import client, services
from sinmun.weather.models import Station
from sinmun.weather.readings import Reading

from .conftest import OBSERVED, RESPONSES, SNAPSHOT, SNAPSHOT_ITEMS, recorded

CREDIT = "기상청 제공"


class TickerParser(HTMLParser):
    """Collect the ticker's parts from a page: readings, notes, credit, sample badge, attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.readings: list[str] = []
        self.repeated: list[str] = []
        self.notes: list[str] = []
        self.credit: list[str] = []
        self.sample: list[str] = []
        self.stale_items = 0
        self.window: dict = {}
        self.hidden_lists = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if "weather-window" in classes:
            self.window = attrs
        if tag == "ul" and "weather-list" in classes and attrs.get("aria-hidden"):
            self.hidden_lists += 1
        if tag == "li" and "is-stale" in classes and "weather-repeat" not in classes:
            self.stale_items += 1
        if "weather-as-of" in classes and not self.inside("weather-repeat"):
            self.notes.append("")
        self.stack.append((tag, {"classes": classes, **attrs}))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def inside(self, cls: str) -> bool:
        return any(cls in attrs["classes"] for _, attrs in self.stack)

    def handle_data(self, data):
        if self.inside("weather-repeat"):
            self.repeated.append(data)
        elif self.inside("weather-reading"):
            self.readings.append(data)
        elif self.inside("weather-as-of"):
            self.notes[-1] += data
        elif self.inside("weather-credit"):
            self.credit.append(data)
        elif self.inside("weather-sample"):
            self.sample.append(data)


def ticker(client, url: str = "/") -> TickerParser:
    caches["local"].clear()  # a fresh render each time (pages are cached whole)
    response = client.get(url)
    assert response.status_code == 200
    parser = TickerParser()
    parser.feed(response.content.decode())
    parser.html = response.content.decode()
    return parser


@pytest.fixture
def story(newsroom):
    return newsroom.article(headline="한결전자, 평택에 반도체 새 공장 짓는다", minutes_ago=5)


def test_loaded_sixteen_station_answer_shows_exactly_its_items(client, story, page_clock):
    call_command("weather", "load", str(SNAPSHOT), stdout=StringIO())
    page_clock(OBSERVED + timedelta(minutes=20))
    for url in ["/", story.get_absolute_url()]:
        page = ticker(client, url)
        assert page.readings == SNAPSHOT_ITEMS, url
        assert page.credit == [CREDIT]
        assert page.notes == [] and page.sample == [] and page.stale_items == 0
        # Every ℃ follows a number: never a bare "고창 ℃".
        assert set(re.findall(r"(.)℃", page.html)) <= set("0123456789")


def test_screen_readers_get_the_list_once(client, story, page_clock):
    services.weather_load_file(path=SNAPSHOT)
    page_clock(OBSERVED)
    page = ticker(client)
    assert page.hidden_lists == 0  # the list itself is read out
    assert page.repeated == ["맑음동두천 -8.2℃"]  # the loop's repeat is aria-hidden
    assert 'aria-hidden="true"><span>맑음동두천 -8.2℃</span>' in page.html
    assert page.window["tabindex"] == "0"  # focusable, so a keyboard can pause it
    assert page.window["aria-label"] == "전국 날씨 16개 지점"


def test_station_without_temperature_is_left_out(client, story, page_clock):
    services.weather_load_file(path=RESPONSES / "kma_sfctm2_missing_values.txt")
    page_clock(OBSERVED + timedelta(hours=1, minutes=20))  # the answer is from 08:00 KST
    page = ticker(client)
    assert page.readings == ["흐림동두천 0.0℃", "구름조금서울 -9.0℃", "보은 -11.2℃"]
    assert "강화" not in page.html


@pytest.mark.parametrize(
    "failure",
    [
        client.Response(200, recorded("kma_sfctm2_error_page.html")),
        client.Response(401, recorded("kma_sfctm2_401.json")),
        client.Response(200, recorded("kma_sfctm2_truncated.txt")),
        client.FetchError("timed out"),
    ],
    ids=["html", "401", "truncated", "unreachable"],
)
def test_bad_answer_changes_nothing_visible_but_staleness(
    client, story, kma, settings, page_clock, failure
):
    settings.KMA_API_HUB_KEY, settings.KMA_DATA_GO_KR_KEY = "hub-test-key", ""
    services.weather_load_file(path=SNAPSHOT)
    page_clock(OBSERVED + timedelta(minutes=20))
    before = ticker(client)

    kma.api_hub.append(failure)
    result = services.weather_refresh()
    assert result.stored == {} and len(result.errors) == 1
    assert ticker(client).html == before.html  # same hour: the page is exactly as before

    page_clock(OBSERVED + timedelta(hours=4))  # an outage of four hours
    stale = ticker(client)
    assert stale.readings == before.readings
    assert stale.notes == ["(07시 기준)"] * 16 and stale.stale_items == 16
    assert stale.credit == [CREDIT]

    page_clock(OBSERVED + timedelta(hours=12, minutes=1))  # too old to show at all
    gone = ticker(client)
    assert gone.readings == [] and CREDIT not in gone.html and "℃" not in gone.html


def test_demo_without_keys_shows_the_snapshot_labelled(client, story, settings):
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    call_command("weather", "refresh", stdout=StringIO())
    page = ticker(client)
    assert page.readings == SNAPSHOT_ITEMS
    assert page.sample == ["예시"] and page.credit == [CREDIT]
    assert page.window["aria-label"] == "예시 전국 날씨 16개 지점"


def test_ticker_costs_one_query_cold_and_none_warm(client, story, page_clock):
    services.weather_load_file(path=SNAPSHOT)
    page_clock(OBSERVED)

    def weather_queries(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum("weather_" in q["sql"] for q in queries.captured_queries)

    caches["local"].clear()
    assert weather_queries(story.get_absolute_url()) == 1
    assert weather_queries("/") == 0  # another page, rendered with the rows already cached


def test_station_names_are_escaped(client, story, page_clock):
    services.weather_load_file(path=SNAPSHOT)
    Station.objects.filter(stn_id=98).update(name="<b>동두천</b>")
    page_clock(OBSERVED)
    page = ticker(client)
    assert "<b>동두천</b>" not in page.html
    assert page.readings[0] == "맑음<b>동두천</b> -8.2℃"  # as text, after unescaping


def test_stale_value_from_the_evening_before_says_yesterday(client, story, page_clock):
    evening = OBSERVED + timedelta(hours=15)  # 2026-01-15 22:00 KST
    services.observations_store(
        readings=[Reading(108, evening, -3.0, "맑음")], source="api_hub", now=evening
    )
    page_clock(evening + timedelta(hours=5))  # 03:00 KST the next day
    page = ticker(client)
    assert page.readings == ["맑음서울 -3.0℃"]
    assert page.notes == ["(어제 22시 기준)"]
