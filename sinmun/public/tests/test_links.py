"""The addresses every page links, worked out once per process (public/links.py)."""

from django.urls import reverse, set_script_prefix

from sinmun.public import links


def test_a_kept_address_follows_the_script_prefix():
    try:
        for prefix in ("/", "/news/", "/"):
            set_script_prefix(prefix)
            assert links.url("public:search") == reverse("public:search")
            assert links.url("public:section", "politics") == reverse(
                "public:section", kwargs={"slug": "politics"}
            )
        assert links.url("public:search") == "/search/"
    finally:
        set_script_prefix("/")


def test_a_kept_asset_is_forgotten_when_the_static_url_changes(settings):
    before = links.asset("public/site.css")
    settings.STATIC_URL = "/assets/"
    assert links.asset("public/site.css") != before
    assert links.asset("public/site.css").startswith("/assets/public/site")
