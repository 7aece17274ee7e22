"""Writes: last good values, the refresh with its fallback and failures, file loads, stations."""

from datetime import UTC, datetime, timedelta

import pytest

from sinmun.weather import client, data_go_kr, kma_sfctm2, selectors, services
from sinmun.weather.models import Observation, Station
from sinmun.weather.readings import BadResponse, Reading

from .conftest import OBSERVED, RESPONSES, SNAPSHOT, SNAPSHOT_ITEMS, recorded

pytestmark = pytest.mark.django_db

SOON = OBSERVED + timedelta(minutes=7)  # the scheduled run, 07:07 KST
API_HUB, DATA_GO_KR, SNAPSHOT_SOURCE = "api_hub", "data_go_kr", "snapshot"


def stored() -> dict[int, tuple]:
    return {
        o.station.stn_id: (o.temperature, o.sky, o.precipitation, o.observed_at, o.source)
        for o in Observation.objects.select_related("station")
    }


def reading(stn_id=108, temperature=-7.1, at=OBSERVED, sky="맑음", precipitation=""):
    return Reading(stn_id, at, temperature, sky, precipitation)


def answer(name: str, status: int = 200) -> client.Response:
    return client.Response(status, recorded(name))


def snapshot_answer() -> client.Response:
    return client.Response(200, SNAPSHOT.read_bytes())


def portal(name_by_cell: dict[tuple[str, str], str] | None = None, default=None):
    """Answer data.go.kr requests by grid cell from recorded files."""

    def answer_for(params):
        cell = (params["nx"], params["ny"])
        if name_by_cell and cell in name_by_cell:
            return answer(name_by_cell[cell])
        if default is not None:
            return default
        raise AssertionError(f"no recorded answer for cell {cell}")

    return answer_for


# --- observations_store ------------------------------------------------------------------------


def test_store_keeps_one_row_per_station_with_its_last_good_value():
    assert services.observations_store(readings=[reading()], source=API_HUB, now=SOON) == 1
    later = reading(temperature=-6.5, at=OBSERVED + timedelta(hours=1), sky="구름조금")
    assert services.observations_store(readings=[later], source=API_HUB, now=SOON) == 1
    assert stored() == {108: (-6.5, "구름조금", "", OBSERVED + timedelta(hours=1), API_HUB)}


def test_reading_without_temperature_keeps_the_last_good_value():
    services.observations_store(readings=[reading()], source=API_HUB, now=SOON)
    later = reading(temperature=None, at=OBSERVED + timedelta(hours=1))
    assert services.observations_store(readings=[later], source=API_HUB, now=SOON) == 0
    assert stored()[108][0] == -7.1


def test_older_reading_never_replaces_a_newer_one():
    services.observations_store(readings=[reading()], source=API_HUB, now=SOON)
    older = reading(temperature=3.0, at=OBSERVED - timedelta(hours=1))
    assert services.observations_store(readings=[older], source=DATA_GO_KR, now=SOON) == 0
    assert stored()[108][:2] == (-7.1, "맑음")


def test_unknown_station_is_ignored():
    assert services.observations_store(readings=[reading(stn_id=90)], source=API_HUB) == 0
    assert stored() == {}


def test_snapshot_never_replaces_a_real_value_that_is_still_shown():
    services.observations_store(readings=[reading()], source=API_HUB, now=SOON)
    sample = reading(temperature=20.0, at=OBSERVED + timedelta(days=30))
    now = OBSERVED + timedelta(hours=11)
    assert services.observations_store(readings=[sample], source=SNAPSHOT_SOURCE, now=now) == 0
    now = OBSERVED + timedelta(hours=13)
    assert services.observations_store(readings=[sample], source=SNAPSHOT_SOURCE, now=now) == 1
    assert stored()[108][::4] == (20.0, SNAPSHOT_SOURCE)


def test_any_real_value_replaces_the_snapshot():
    sample = reading(temperature=20.0, at=OBSERVED + timedelta(days=30))
    services.observations_store(readings=[sample], source=SNAPSHOT_SOURCE, now=SOON)
    assert services.observations_store(readings=[reading()], source=API_HUB, now=SOON) == 1
    assert stored()[108][::4] == (-7.1, API_HUB)


def test_store_refreshes_the_cached_ticker(django_capture_on_commit_callbacks):
    assert not selectors.ticker_items(now=SOON)  # caches "nothing"
    with django_capture_on_commit_callbacks(execute=True):
        services.observations_store(readings=[reading()], source=API_HUB, now=SOON)
    assert [i.text for i in selectors.ticker_items(now=SOON)] == ["맑음서울 -7.1℃"]


# --- weather_refresh ---------------------------------------------------------------------------


def test_without_keys_the_recorded_snapshot_is_stored(kma, settings):
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    result = services.weather_refresh(now=SOON)
    assert kma.requests == []
    assert result.stored == {SNAPSHOT_SOURCE: 16}
    assert {row[4] for row in stored().values()} == {SNAPSHOT_SOURCE}


def test_api_hub_answer_for_all_stations(kma, keys):
    kma.api_hub.append(snapshot_answer())
    result = services.weather_refresh(now=SOON)
    assert result.stored == {API_HUB: 16} and result.errors == []
    assert kma.hosts() == ["apihub.kma.go.kr"]  # every station covered: no fallback
    params = kma.requests[0][1]
    assert params == {
        "stn": "98:105:108:133:143:152:156:159:172:184:201:226:238:259:283:294",
        "help": "0",
        "authKey": "hub-test-key",
    }
    assert [i.text for i in selectors.ticker_items(now=SOON)] == SNAPSHOT_ITEMS


def test_inactive_stations_are_not_asked_for(kma, keys):
    Station.objects.filter(stn_id__in=[98, 105]).update(active=False)
    kma.api_hub.append(snapshot_answer())
    services.weather_refresh(now=SOON)
    assert kma.requests[0][1]["stn"].startswith("108:133:")


def test_stations_api_hub_missed_fall_back_to_data_go_kr(kma, keys):
    # 08:00 answer: 동두천, 서울, 보은 have temperatures; 강화 has none; 금산's row is broken.
    kma.api_hub.append(answer("kma_sfctm2_missing_values.txt"))
    kma.data_go_kr = portal(default=answer("getUltraSrtNcst_single_item.json"))
    at = datetime(2026, 1, 14, 23, 7, tzinfo=UTC)  # 08:07 KST
    Station.objects.filter(stn_id=159).update(nx=97, ny=74)  # the recorded cell (부산)
    Station.objects.exclude(stn_id__in=[98, 108, 226, 201, 159]).update(active=False)
    result = services.weather_refresh(now=at)
    asked = [(p["nx"], p["ny"]) for host, p in kma.requests if host == "apis.data.go.kr"]
    assert asked == [("97", "74"), ("51", "130")]  # 부산, then 강화 (station order)
    assert result.stored == {API_HUB: 3, DATA_GO_KR: 1}
    assert "공공데이터포털 강화" in result.errors[0]  # the recording is for 부산's cell
    assert stored()[159] == (1.8, "", "", OBSERVED - timedelta(hours=1), DATA_GO_KR)


def test_data_go_kr_request_uses_the_base_time_rule_and_a_decoded_key(kma, keys):
    Station.objects.exclude(stn_id=108).update(active=False)
    kma.api_hub.append(client.FetchError("down"))
    kma.data_go_kr = portal({("60", "127"): "getUltraSrtNcst_seoul.json"})
    result = services.weather_refresh(now=SOON)  # 07:07 KST → base 06:00
    params = kma.requests[1][1]
    assert (params["base_date"], params["base_time"], params["serviceKey"]) == (
        "20260115",
        "0600",
        "portal+test==",
    )
    assert result.stored == {DATA_GO_KR: 1}
    assert [i.text for i in selectors.ticker_items(now=SOON)] == ["서울 -7.4℃"]


def test_no_data_asks_once_more_for_the_hour_before(kma, keys):
    Station.objects.exclude(stn_id=108).update(active=False)
    kma.api_hub.append(answer("kma_sfctm2_error_page.html"))
    answers = [answer("getUltraSrtNcst_no_data.xml"), answer("getUltraSrtNcst_seoul.json")]
    kma.data_go_kr = lambda params: answers.pop(0)
    result = services.weather_refresh(now=SOON + timedelta(hours=1))  # 08:07 → base 07:00
    times = [p["base_time"] for host, p in kma.requests if host == "apis.data.go.kr"]
    assert times == ["0700", "0600"]
    assert result.stored[DATA_GO_KR] == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("getUltraSrtNcst_quota.xml", data_go_kr.QUOTA_EXCEEDED),
        ("getUltraSrtNcst_key_not_registered.xml", data_go_kr.KEY_REJECTED.format(code="30")),
    ],
)
def test_quota_and_key_errors_stop_the_fallback(kma, keys, name, message):
    kma.api_hub.append(answer("kma_sfctm2_401.json", status=401))
    kma.data_go_kr = portal(default=answer(name))
    result = services.weather_refresh(now=SOON)
    assert kma.hosts() == ["apihub.kma.go.kr", "apis.data.go.kr"]
    assert result.errors == [
        f"기상청 API허브: {kma_sfctm2.KEY_REJECTED}",
        f"공공데이터포털 동두천: {message}",
    ]
    assert stored() == {}


def test_unreachable_data_go_kr_stops_the_fallback(kma, keys):
    kma.api_hub.append(client.FetchError("down"))
    kma.data_go_kr = portal(default=client.FetchError("down too"))
    result = services.weather_refresh(now=SOON)
    assert kma.hosts() == ["apihub.kma.go.kr", "apis.data.go.kr"]
    assert len(result.errors) == 2


@pytest.mark.parametrize(
    "failure",
    [
        answer("kma_sfctm2_error_page.html", status=503),
        answer("kma_sfctm2_401.json", status=401),
        answer("kma_sfctm2_403.json", status=403),
        answer("kma_sfctm2_truncated.txt"),
        client.Response(200, b"\xff\xfe\xff"),
        client.FetchError("timed out"),
    ],
    ids=["html", "401", "403", "truncated", "encoding", "unreachable"],
)
def test_bad_answers_change_nothing(kma, settings, failure):
    settings.KMA_API_HUB_KEY, settings.KMA_DATA_GO_KR_KEY = "hub-test-key", ""
    kma.api_hub.append(snapshot_answer())
    services.weather_refresh(now=SOON)
    before = stored()
    kma.api_hub.append(failure)
    result = services.weather_refresh(now=SOON + timedelta(hours=1))
    assert result.stored == {} and len(result.errors) == 1
    assert stored() == before


def test_api_hub_answer_with_error_status_stores_nothing(kma, settings):
    settings.KMA_API_HUB_KEY, settings.KMA_DATA_GO_KR_KEY = "hub-test-key", ""
    kma.api_hub.append(client.Response(404, SNAPSHOT.read_bytes()))
    result = services.weather_refresh(now=SOON)
    assert result.errors == [f"기상청 API허브: {services.HTTP_STATUS.format(status=404)}"]
    assert stored() == {}


def test_grid_mismatch_skips_the_station(kma, keys):
    Station.objects.exclude(stn_id=133).update(active=False)
    kma.api_hub.append(client.FetchError("down"))
    kma.data_go_kr = portal(default=answer("getUltraSrtNcst_seoul.json"))  # cell 60,127
    result = services.weather_refresh(now=SOON)
    assert result.errors[-1] == "공공데이터포털 대전: " + services.GRID_MISMATCH.format(
        asked="67,101", got="60,127"
    )
    assert stored() == {}


# --- weather_load_file, station_save -----------------------------------------------------------


def test_load_file_stores_the_answer_as_api_hub():
    result = services.weather_load_file(path=SNAPSHOT, now=SOON)
    assert result.stored == 16 and len(result.readings) == 16
    assert {row[4] for row in stored().values()} == {API_HUB}


def test_load_rejects_a_bad_file_and_keeps_the_values():
    services.weather_load_file(path=SNAPSHOT, now=SOON)
    before = stored()
    with pytest.raises(BadResponse) as caught:
        services.weather_load_file(path=RESPONSES / "kma_sfctm2_truncated.txt")
    assert str(caught.value) == kma_sfctm2.TRUNCATED
    assert stored() == before


def test_load_refuses_a_huge_file(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"#" * (services.MAX_FILE_BYTES + 1))
    with pytest.raises(BadResponse) as caught:
        services.weather_load_file(path=big)
    assert str(caught.value) == services.FILE_TOO_LARGE


def test_station_save_computes_the_grid_cell():
    # Seoul City Hall's coordinates: the guide's table puts them in cell 60,127.
    station = Station(stn_id=9001, name="시청", lat=37.5635, lon=126.9800)
    services.station_save(station=station)
    station.refresh_from_db()
    assert (station.nx, station.ny) == (60, 127)
