"""The seeded stations: the 16 of the classic ticker, in ticker order, with their grid cells."""

import pytest

from sinmun.weather.grid import to_grid
from sinmun.weather.models import Station

pytestmark = pytest.mark.django_db

TICKER = [
    (98, "동두천"), (105, "강릉"), (108, "서울"), (133, "대전"), (143, "대구"), (152, "울산"),
    (156, "광주"), (159, "부산"), (172, "고창"), (184, "제주"), (201, "강화"), (226, "보은"),
    (238, "금산"), (259, "강진군"), (283, "경주시"), (294, "거제"),
]  # fmt: skip


def test_sixteen_stations_seeded_in_ticker_order():
    assert list(Station.objects.values_list("stn_id", "name")) == TICKER
    assert all(Station.objects.values_list("active", flat=True))


def test_seeded_grid_cells_agree_with_the_conversion():
    for station in Station.objects.all():
        assert (station.nx, station.ny) == to_grid(station.lat, station.lon), station.name
    assert Station.objects.values_list("nx", "ny").get(stn_id=108) == (60, 127)


def test_coordinates_are_in_south_korea():
    for station in Station.objects.all():
        assert 33.0 < station.lat < 38.7 and 124.5 < station.lon < 131.0, station.name
