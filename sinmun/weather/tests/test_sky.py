"""Every sky and precipitation rule, and the item text."""

import pytest

from sinmun.weather import sky


@pytest.mark.parametrize(
    ("tenths", "word"),
    [
        (0, "맑음"), (1, "맑음"), (2, "맑음"),
        (3, "구름조금"), (4, "구름조금"), (5, "구름조금"),
        (6, "구름많음"), (7, "구름많음"), (8, "구름많음"),
        (9, "흐림"), (10, "흐림"),
        (None, ""), (-9, ""), (11, ""),
    ],
)  # fmt: skip
def test_sky_word_from_total_cloud(tenths, word):
    assert sky.sky_word(tenths) == word


@pytest.mark.parametrize(
    ("code", "word"),
    [
        (None, ""), (0, ""), (2, ""), (10, ""), (17, ""),
        (21, ""), (25, ""), (29, ""),  # precipitation in the past hour, not now
        (45, ""), (49, ""),
        (50, "비"), (53, "비"), (59, "비"), (60, "비"), (63, "비"), (66, "비"), (67, "비"),
        (68, "비/눈"), (69, "비/눈"),
        (70, "눈"), (73, "눈"), (77, "눈"), (79, "눈"),
        (80, "소나기"), (81, "소나기"), (82, "소나기"),
        (83, "비/눈"), (84, "비/눈"),
        (85, "눈"), (86, "눈"),
        (87, "소나기"), (89, "소나기"), (90, "소나기"),
        (91, "비"), (92, "비"), (93, "눈"), (94, "눈"),
        (95, "비"), (96, "소나기"), (97, "비"), (98, ""), (99, "소나기"),
    ],
)  # fmt: skip
def test_precipitation_from_wmo_present_weather(code, word):
    assert sky.precipitation_from_wmo(code) == word


@pytest.mark.parametrize(
    ("pty", "word"),
    [(None, ""), (0, ""), (1, "비"), (2, "비/눈"), (3, "눈"), (4, "소나기"), (5, "비"),
     (6, "비/눈"), (7, "눈"), (8, "")],
)  # fmt: skip
def test_precipitation_from_nowcast_pty(pty, word):
    assert sky.precipitation_from_pty(pty) == word


@pytest.mark.parametrize(
    ("value", "text"),
    [(-7.1, "-7.1℃"), (0.3, "0.3℃"), (12.0, "12.0℃"), (12, "12.0℃"), (-0.0, "0.0℃"),
     (-0.04, "0.0℃"), (-10.6, "-10.6℃")],
)  # fmt: skip
def test_temperature_has_one_decimal_and_no_negative_zero(value, text):
    assert sky.temperature_text(value) == text


def test_item_is_word_station_space_temperature():
    assert sky.item_text(name="울산", sky="구름많음", precipitation="", temperature=0.3) == (
        "구름많음울산 0.3℃"
    )


def test_precipitation_word_replaces_sky_word():
    assert sky.item_text(name="부산", sky="흐림", precipitation="비", temperature=12.0) == (
        "비부산 12.0℃"
    )


def test_item_without_any_word_is_station_and_temperature():
    assert sky.item_text(name="보은", sky="", precipitation="", temperature=-11.2) == (
        "보은 -11.2℃"
    )
