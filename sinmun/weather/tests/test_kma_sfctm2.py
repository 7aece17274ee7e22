"""The kma_sfctm2.php parser over recorded answers: formats, missing values, encodings, errors."""

import logging
from datetime import UTC, datetime

import pytest

from sinmun.weather import kma_sfctm2
from sinmun.weather.readings import BadResponse, Reading

from .conftest import OBSERVED, SNAPSHOT, recorded

STATION_ORDER = [98, 105, 108, 133, 143, 152, 156, 159, 172, 184, 201, 226, 238, 259, 283, 294]


def by_station(readings: list[Reading]) -> dict[int, Reading]:
    return {r.stn_id: r for r in readings}


def test_sixteen_station_answer():
    readings = kma_sfctm2.parse(SNAPSHOT.read_bytes())
    assert [r.stn_id for r in readings] == STATION_ORDER
    assert {r.observed_at for r in readings} == {OBSERVED}
    seoul, ulsan, gochang, gangjin, geoje = (
        by_station(readings)[n] for n in (108, 152, 172, 259, 294)
    )
    assert (seoul.temperature, seoul.sky, seoul.precipitation) == (-7.1, "맑음", "")
    assert (ulsan.temperature, ulsan.sky, ulsan.precipitation) == (0.3, "구름많음", "")
    # WC 71 (snow), 68 (rain and snow), 80 (rain shower) over 10, 9 and 7 tenths of cloud.
    assert (gochang.temperature, gochang.sky, gochang.precipitation) == (-1.9, "흐림", "눈")
    assert (gangjin.temperature, gangjin.precipitation) == (1.2, "비/눈")
    assert (geoje.temperature, geoje.sky, geoje.precipitation) == (3.4, "구름많음", "소나기")


def test_observation_time_is_kst_stored_as_utc():
    reading = kma_sfctm2.parse(SNAPSHOT.read_bytes())[0]
    assert reading.observed_at == datetime(2026, 1, 14, 22, 0, tzinfo=UTC)
    assert reading.observed_at.utcoffset().total_seconds() == 0


def test_older_45_column_answer_without_rn_jun():
    readings = by_station(kma_sfctm2.parse(recorded("kma_sfctm2_45_columns.txt")))
    assert set(readings) == {108, 159}
    assert (readings[108].temperature, readings[108].sky) == (-11.8, "맑음")
    assert (readings[159].temperature, readings[159].sky) == (-3.9, "맑음")
    assert readings[108].observed_at == datetime(2018, 12, 27, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "count", "positions"),
    [
        ("snapshot", 46, {"TM": 0, "STN": 1, "TA": 11, "WC": 22, "WW": 24, "CA_TOT": 25}),
        ("kma_sfctm2_45_columns.txt", 45, {"TM": 0, "STN": 1, "TA": 11, "WC": 21, "CA_TOT": 24}),
    ],
)
def test_column_positions_come_from_the_header(name, count, positions):
    body = SNAPSHOT.read_bytes() if name == "snapshot" else recorded(name)
    columns = kma_sfctm2._columns(body.decode().splitlines())
    assert len(columns) == count
    assert {name: columns.index(name) for name in positions} == positions
    assert columns[-2:] == ["IR", "IX"]


def test_euc_kr_answer_with_help_text():
    body = recorded("kma_sfctm2_help1_euckr.txt")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    readings = by_station(kma_sfctm2.parse(body))
    assert {n: r.temperature for n, r in readings.items()} == {108: -7.1, 152: 0.3, 184: 7.3}
    assert readings[184].sky == "흐림"


def test_utf8_answer_with_korean_help_text():
    body = recorded("kma_sfctm2_help1_euckr.txt").decode("euc-kr").encode("utf-8")
    assert set(by_station(kma_sfctm2.parse(body))) == {108, 152, 184}


def test_missing_values(caplog):
    with caplog.at_level(logging.WARNING, logger="sinmun.weather.kma_sfctm2"):
        readings = by_station(kma_sfctm2.parse(recorded("kma_sfctm2_missing_values.txt")))
    # 동두천: TA -0.0, 10 tenths, WC -9 → a temperature, 흐림, no precipitation word.
    assert (readings[98].temperature, readings[98].sky, readings[98].precipitation) == (
        0.0,
        "흐림",
        "",
    )
    # 서울: -9.0 ℃ is a temperature (KMA writes a missing one as -99.0).
    assert readings[108].temperature == -9.0
    # 강화: TA -99.0 → missing; CA_TOT -9 → no sky word.
    assert (readings[201].temperature, readings[201].sky) == (None, "")
    # 보은: a temperature but no cloud amount and no weather code → no word at all.
    assert (readings[226].temperature, readings[226].sky, readings[226].precipitation) == (
        -11.2,
        "",
        "",
    )
    # 금산's row has 47 fields (a two-code WW with a space) and is skipped, with a log line.
    assert 238 not in readings
    assert "9번째 줄을 건너뜁니다" in caplog.text


@pytest.mark.parametrize(
    ("token", "value"),
    [("-9.0", -9.0), ("-99.0", None), ("-9", None), ("-", None), ("-99.9", None), ("0.0", 0.0),
     ("-0.0", 0.0), ("35.2", 35.2), ("-31.0", -31.0)],
)  # fmt: skip
def test_temperature_tokens(token, value):
    assert kma_sfctm2._temperature(token) == value


@pytest.mark.parametrize(
    ("token", "value"),
    [("-9", None), ("-9.0", None), ("-99.0", None), ("-", None), ("0", 0), ("10", 10),
     ("11", None), ("7.5", None)],
)  # fmt: skip
def test_cloud_tokens(token, value):
    assert kma_sfctm2._code(token, high=10) == value


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("kma_sfctm2_error_page.html", kma_sfctm2.HTML_PAGE),
        ("kma_sfctm2_401.json", kma_sfctm2.KEY_REJECTED),
        ("kma_sfctm2_403.json", kma_sfctm2.KEY_REJECTED),
        ("kma_sfctm2_500.json", kma_sfctm2.API_ERROR),
        ("kma_sfctm2_truncated.txt", kma_sfctm2.TRUNCATED),
    ],
)
def test_recorded_error_answers_are_rejected(name, message):
    with pytest.raises(BadResponse) as caught:
        kma_sfctm2.parse(recorded(name))
    assert str(caught.value) == message


def test_body_neither_utf8_nor_euc_kr_is_rejected():
    body = SNAPSHOT.read_bytes().replace(b"#7777END", b"\xff\xfe\xff#7777END")
    with pytest.raises(BadResponse) as caught:
        kma_sfctm2.parse(body)
    assert str(caught.value) == kma_sfctm2.UNDECODABLE


def test_empty_body_is_rejected():
    with pytest.raises(BadResponse) as caught:
        kma_sfctm2.parse(b" \n")
    assert str(caught.value) == kma_sfctm2.EMPTY


def test_text_without_start_marker_is_rejected():
    with pytest.raises(BadResponse) as caught:
        kma_sfctm2.parse(b"Service temporarily unavailable\n")
    assert str(caught.value) == kma_sfctm2.NOT_OBSERVATIONS


def test_answer_without_header_lines_is_rejected():
    lines = SNAPSHOT.read_text().splitlines()
    body = "\n".join(line for line in lines if "YYMMDDHHMI" not in line and "KST" not in line)
    with pytest.raises(BadResponse) as caught:
        kma_sfctm2.parse(body.encode())
    assert str(caught.value) == kma_sfctm2.NO_HEADER


def test_answer_without_a_needed_column_is_rejected():
    body = SNAPSHOT.read_text().replace(" TA ", " XX ", 1)
    with pytest.raises(BadResponse) as caught:
        kma_sfctm2.parse(body.encode())
    assert str(caught.value) == kma_sfctm2.MISSING_COLUMNS.format(columns="TA")


def test_answer_with_no_station_rows_is_rejected():
    lines = SNAPSHOT.read_text().splitlines()
    body = "\n".join(line for line in lines if line.startswith("#"))
    with pytest.raises(BadResponse) as caught:
        kma_sfctm2.parse(body.encode())
    assert str(caught.value) == kma_sfctm2.NO_ROWS


def test_two_hours_of_one_station_keep_the_later():
    text = SNAPSHOT.read_text()
    seoul = next(line for line in text.splitlines() if line.startswith("202601150700 108"))
    earlier = seoul.replace("202601150700", "202601150600")
    earlier = earlier.replace("  -7.1 ", "  -8.0 ")
    body = text.replace(seoul, f"{seoul}\n{earlier}")
    assert by_station(kma_sfctm2.parse(body.encode()))[108].temperature == -7.1
