"""The 초단기실황 parser over recorded answers, and the base-time rule."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from sinmun.weather import data_go_kr

from .conftest import recorded

KST = ZoneInfo("Asia/Seoul")
BASE_0600 = datetime(2026, 1, 14, 21, 0, tzinfo=UTC)  # 2026-01-15 06:00 KST


def test_json_answer():
    nowcast = data_go_kr.parse(recorded("getUltraSrtNcst_seoul.json"))
    assert nowcast == data_go_kr.Nowcast(
        observed_at=BASE_0600, nx=60, ny=127, temperature=-7.4, precipitation=""
    )


def test_xml_answer_reads_the_same():
    assert data_go_kr.parse(recorded("getUltraSrtNcst_seoul.xml")) == data_go_kr.parse(
        recorded("getUltraSrtNcst_seoul.json")
    )


def test_pty_gives_the_precipitation_word():
    nowcast = data_go_kr.parse(recorded("getUltraSrtNcst_gochang_snow.json"))
    assert (nowcast.temperature, nowcast.precipitation, nowcast.nx, nowcast.ny) == (
        -1.6,
        "눈",
        54,
        78,
    )


def test_items_item_as_a_single_object():
    nowcast = data_go_kr.parse(recorded("getUltraSrtNcst_single_item.json"))
    assert (nowcast.temperature, nowcast.precipitation, nowcast.nx, nowcast.ny) == (
        1.8,
        "",
        97,
        74,
    )


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("getUltraSrtNcst_no_data.xml", "03", data_go_kr.NO_DATA),
        ("getUltraSrtNcst_no_data.json", "03", data_go_kr.NO_DATA),
        ("getUltraSrtNcst_quota.xml", "22", data_go_kr.QUOTA_EXCEEDED),
        ("getUltraSrtNcst_key_not_registered.xml", "30", data_go_kr.KEY_REJECTED.format(code="30")),
        (
            "getUltraSrtNcst_application_error.xml",
            "01",
            data_go_kr.SERVICE_ERROR.format(code="01", message="APPLICATION_ERROR"),
        ),
    ],
)
def test_error_answers_carry_their_code(name, code, message):
    with pytest.raises(data_go_kr.DataGoKrError) as caught:
        data_go_kr.parse(recorded(name))
    assert (caught.value.code, str(caught.value)) == (code, message)


def test_html_gateway_page_is_unreadable():
    with pytest.raises(data_go_kr.DataGoKrError) as caught:
        data_go_kr.parse(recorded("kma_sfctm2_error_page.html"))
    assert str(caught.value) == data_go_kr.UNREADABLE


def test_plain_text_is_unreadable():
    with pytest.raises(data_go_kr.DataGoKrError) as caught:
        data_go_kr.parse(b"Unexpected errors")
    assert str(caught.value) == data_go_kr.UNREADABLE


def test_xml_with_a_dtd_is_refused_before_parsing():
    body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><response>&a;</response>'
    with pytest.raises(data_go_kr.DataGoKrError) as caught:
        data_go_kr.parse(body)
    assert str(caught.value) == data_go_kr.UNREADABLE


def test_answer_without_t1h_is_rejected():
    body = recorded("getUltraSrtNcst_single_item.json").replace(b'"T1H"', b'"REH"')
    with pytest.raises(data_go_kr.DataGoKrError) as caught:
        data_go_kr.parse(body)
    assert str(caught.value) == data_go_kr.NO_TEMPERATURE


def test_missing_flag_temperature_is_none():
    body = recorded("getUltraSrtNcst_single_item.json").replace(b'"1.8"', b'"-999"')
    assert data_go_kr.parse(body).temperature is None


@pytest.mark.parametrize(
    ("now_kst", "base_kst"),
    [
        (
            datetime(2026, 1, 15, 7, 7, tzinfo=KST),
            datetime(2026, 1, 15, 6, 0, tzinfo=KST),
        ),  # the scheduled run
        (datetime(2026, 1, 15, 7, 39, tzinfo=KST), datetime(2026, 1, 15, 6, 0, tzinfo=KST)),
        (
            datetime(2026, 1, 15, 7, 40, tzinfo=KST),
            datetime(2026, 1, 15, 7, 0, tzinfo=KST),
        ),  # served from :40
        (datetime(2026, 1, 15, 7, 59, tzinfo=KST), datetime(2026, 1, 15, 7, 0, tzinfo=KST)),
        (
            datetime(2026, 1, 15, 0, 10, tzinfo=KST),
            datetime(2026, 1, 14, 23, 0, tzinfo=KST),
        ),  # across midnight
    ],
)
def test_base_time_is_the_newest_served_hour(now_kst, base_kst):
    assert data_go_kr.base_time(now_kst.astimezone(UTC)) == base_kst


def test_request_params_for_a_base_time():
    at = datetime(2026, 1, 14, 23, 0, tzinfo=KST)
    assert data_go_kr.request_params(key="k", at=at, nx=60, ny=127) == {
        "serviceKey": "k",
        "pageNo": "1",
        "numOfRows": "10",
        "dataType": "JSON",
        "base_date": "20260114",
        "base_time": "2300",
        "nx": "60",
        "ny": "127",
    }
