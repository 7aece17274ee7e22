"""The stations in the admin: order and visibility edited in the list, grid cells computed."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sinmun.weather import selectors, services
from sinmun.weather.models import Station

from .conftest import OBSERVED, SNAPSHOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-12345")
    client.force_login(user)
    return client


def changelist_data(changes: dict[int, tuple[int, bool]]) -> dict[str, str]:
    """Return the changelist form posting every station as it is, with ``changes`` by stn_id."""
    data = {"_save": "저장"}
    stations = list(Station.objects.order_by("order", "stn_id"))
    data.update({"form-TOTAL_FORMS": str(len(stations)), "form-INITIAL_FORMS": str(len(stations))})
    for n, station in enumerate(stations):
        order, active = changes.get(station.stn_id, (station.order, station.active))
        data[f"form-{n}-id"] = str(station.pk)
        data[f"form-{n}-order"] = str(order)
        if active:
            data[f"form-{n}-active"] = "on"
    return data


def test_list_edit_reorders_and_hides_stations_on_the_ticker(
    admin_client, django_capture_on_commit_callbacks
):
    services.weather_load_file(path=SNAPSHOT, now=OBSERVED)
    assert len(selectors.ticker_items(now=OBSERVED)) == 16  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:weather_station_changelist"),
            changelist_data({184: (0, True), 98: (1, False)}),
        )
    assert response.status_code == 302
    shown = [item.text for item in selectors.ticker_items(now=OBSERVED)]
    assert shown[0] == "흐림제주 7.3℃"
    assert "맑음동두천 -8.2℃" not in shown and len(shown) == 15


def test_adding_a_station_computes_its_grid_cell(admin_client):
    response = admin_client.post(
        reverse("admin:weather_station_add"),
        {"stn_id": "9001", "name": "시청", "lat": "37.5635", "lon": "126.9800", "order": "17",
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Station.objects.values_list("nx", "ny").get(stn_id=9001) == (60, 127)


def test_observations_are_read_only(admin_client):
    services.weather_load_file(path=SNAPSHOT, now=OBSERVED)
    assert admin_client.get(reverse("admin:weather_observation_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:weather_observation_add")).status_code == 403
