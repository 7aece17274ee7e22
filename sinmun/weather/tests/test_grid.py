"""The LCC grid conversion, checked against KMA's published grid cells."""

import pytest

from sinmun.weather.grid import to_grid


def test_seoul_station_108_is_cell_60_127():
    assert to_grid(37.5714, 126.9658) == (60, 127)


def test_grid_origin_is_cell_43_136():
    # The projection's origin, 38°N 126°E, is by definition the cell (XO, YO).
    assert to_grid(38.0, 126.0) == (43, 136)


@pytest.mark.parametrize(
    ("place", "lat", "lon", "cell"),
    [
        # Cells from the 단기예보 guide's city table for these city halls.
        ("서울특별시", 37.5635, 126.9800, (60, 127)),
        ("부산광역시", 35.1796, 129.0756, (98, 76)),
        ("광주광역시", 35.1595, 126.8526, (58, 74)),
        ("대전광역시", 36.3504, 127.3845, (67, 100)),
        ("제주시", 33.4996, 126.5312, (53, 38)),
    ],
)
def test_city_halls_fall_in_their_published_cells(place, lat, lon, cell):
    assert to_grid(lat, lon) == cell, place


def test_cells_grow_east_and_north():
    x, y = to_grid(36.0, 127.0)
    assert to_grid(36.0, 128.0)[0] > x
    assert to_grid(37.0, 127.0)[1] > y
