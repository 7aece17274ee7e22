"""``sinmun weather refresh | load FILE`` as an operator runs them."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sinmun.weather import client, kma_sfctm2
from sinmun.weather.management.commands import weather
from sinmun.weather.models import Observation

from .conftest import OBSERVED, RESPONSES, SNAPSHOT, SNAPSHOT_ITEMS, recorded

pytestmark = pytest.mark.django_db

LINE = " · ".join([*SNAPSHOT_ITEMS, "기상청 제공"])


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("weather", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_prints_the_ticker_line_it_produced(page_clock):
    page_clock(OBSERVED + timedelta(minutes=20))
    out, err = run("load", str(SNAPSHOT))
    assert out == LINE + "\n"
    assert err == ""
    assert Observation.objects.count() == 16


def test_load_of_an_old_answer_says_it_will_not_be_shown(page_clock):
    page_clock(OBSERVED + timedelta(hours=13))
    out, err = run("load", str(RESPONSES / "kma_sfctm2_45_columns.txt"))
    assert out == "맑음서울 -11.8℃ · 맑음부산 -3.9℃ · 기상청 제공\n"
    assert err == weather.TOO_OLD.format(observed="2018.12.28 07:00") + "\n"


def test_load_leaves_out_a_station_without_temperature(page_clock):
    page_clock(OBSERVED + timedelta(hours=1))
    out, _ = run("load", str(RESPONSES / "kma_sfctm2_missing_values.txt"))
    assert out == "흐림동두천 0.0℃ · 구름조금서울 -9.0℃ · 보은 -11.2℃ · 기상청 제공\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("kma_sfctm2_error_page.html", kma_sfctm2.HTML_PAGE),
        ("kma_sfctm2_401.json", kma_sfctm2.KEY_REJECTED),
        ("kma_sfctm2_truncated.txt", kma_sfctm2.TRUNCATED),
    ],
)
def test_load_of_a_bad_file_fails_and_changes_nothing(name, message):
    run("load", str(SNAPSHOT))
    before = list(Observation.objects.values_list("station_id", "temperature", "observed_at"))
    with pytest.raises(CommandError) as caught:
        run("load", str(RESPONSES / name))
    assert str(caught.value) == message
    assert list(Observation.objects.values_list("station_id", "temperature", "observed_at")) == (
        before
    )


def test_load_of_a_missing_file():
    with pytest.raises(CommandError) as caught:
        run("load", str(RESPONSES / "nope.txt"))
    assert "파일을 열 수 없습니다" in str(caught.value)


def test_refresh_without_keys_shows_the_labelled_snapshot(settings):
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    out, _ = run("refresh")
    assert out.splitlines() == ["snapshot: 16개 지점 저장", LINE, weather.SAMPLE]


def test_refresh_with_a_key_uses_the_api(kma, settings, page_clock):
    settings.KMA_API_HUB_KEY, settings.KMA_DATA_GO_KR_KEY = "hub-test-key", ""
    page_clock(OBSERVED + timedelta(minutes=7))
    kma.api_hub.append(client.Response(200, SNAPSHOT.read_bytes()))
    out, _ = run("refresh")
    assert out.splitlines() == ["api_hub: 16개 지점 저장", LINE]


def test_refresh_that_gets_nothing_fails_with_the_errors(kma, settings):
    settings.KMA_API_HUB_KEY, settings.KMA_DATA_GO_KR_KEY = "hub-test-key", ""
    kma.api_hub.append(client.Response(200, recorded("kma_sfctm2_error_page.html")))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("weather", "refresh", stdout=out, stderr=err)
    assert str(caught.value) == weather.NOTHING_STORED.format(count=1)
    assert err.getvalue() == f"기상청 API허브: {kma_sfctm2.HTML_PAGE}\n"
