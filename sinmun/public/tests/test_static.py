"""Static files: hashed names, pre-compressed copies and a year's caching after collectstatic."""

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory


@pytest.fixture
def collected(settings, tmp_path):
    # Django's test signals give the static storage the new root.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


def test_collected_assets_have_hashed_names_and_gzip_copies(collected):
    url = static("public/site.css")
    assert url.startswith("/static/public/site.") and url != "/static/public/site.css"
    name = url.removeprefix("/static/")
    assert (collected / name).exists()
    assert (collected / (name + ".gz")).exists()


def test_hashed_assets_are_served_with_a_years_caching_and_gzip(collected):
    from whitenoise.middleware import WhiteNoiseMiddleware

    serve = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    url = static("public/site.css")
    response = serve(RequestFactory().get(url, headers={"Accept-Encoding": "gzip"}))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
