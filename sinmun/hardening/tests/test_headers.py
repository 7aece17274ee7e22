"""The security headers: one fixed Content-Security-Policy on every reader page (cache hits
included) and no inline script to need more; a strict policy with a fresh nonce on the desk."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sinmun.public.tests.conftest import parse_html
from sinmun.weather.services import weather_refresh

pytestmark = pytest.mark.django_db

# Written out, not built from headers.py: the promise is this exact text.
READER_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
STAFF_CSP = re.compile(
    r"default-src 'self'; script-src 'self' 'nonce-([A-Za-z0-9_-]{24})'; "
    r"style-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'; img-src 'self' data: blob:; "
    r"font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    r"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS = (
    "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# What executes: a script element that is not a data block, and attributes that run code.
DATA_BLOCKS = {"application/ld+json", "application/json"}
IMPORT_MAP = '{"imports": {"django-prose-editor/editor"'


@pytest.fixture
def pages(newsroom, settings):
    # The header's weather ticker (the recorded sample without keys) is on every page.
    settings.KMA_API_HUB_KEY = settings.KMA_DATA_GO_KR_KEY = ""
    weather_refresh()
    article = newsroom.article(
        headline="새나루시, 심야 버스 노선 늘린다",
        series=newsroom.column,
        keywords=["심야버스"],
        reporters=[newsroom.kim],
    )
    return [
        reverse("public:home"),
        article.get_absolute_url(),
        reverse("public:related", kwargs={"public_id": article.public_id}),
        newsroom.bigtech.get_absolute_url(),
        newsroom.kim.get_absolute_url(),
        reverse("public:keyword", kwargs={"name": "심야버스"}),
        newsroom.column.get_absolute_url(),
        reverse("public:search") + "?q=심야+버스",
        reverse("public:corrections"),
    ]


def inline_code(markup: str) -> list[str]:
    """Return every piece of the page a browser would run inline (script, on*, javascript:)."""
    found = []
    for node in parse_html(markup).descendants():
        attrs = getattr(node, "attrs", {}) or {}
        if node.tag == "script" and not attrs.get("src") and attrs.get("type") not in DATA_BLOCKS:
            found.append(f"<script> {node.text[: len(IMPORT_MAP)]}")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"{node.tag} {name}={value}")
            if (value or "").strip().lower().startswith("javascript:"):
                found.append(f"{node.tag} {name}={value}")
    return found


def test_every_reader_page_has_the_fixed_policy_and_nothing_inline(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == READER_CSP, url
        assert inline_code(response.content.decode()) == [], url
        assert 'class="weather-track is-cycling"' in response.content.decode(), url


def test_reader_pages_carry_the_other_security_headers(client, pages):
    response = client.get(pages[1])
    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_page_cache_hit_replays_the_same_policy(front, pages, settings):
    settings.PAGE_CACHE_SECONDS = 60
    first = front.get(pages[1])
    second = front.get(pages[1])
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second["Content-Security-Policy"] == READER_CSP
    assert second["Permissions-Policy"] == PERMISSIONS
    assert inline_code(second.content.decode()) == []


def test_the_desk_gets_a_fresh_nonce_and_the_editor_uses_it(client, django_user_model):
    from django.contrib.auth.models import Group

    from sinmun.newsroom import roles

    user = django_user_model.objects.create_user(username="desk1", password="x")
    user.groups.add(Group.objects.get(name=roles.DESK))
    login = client.get(reverse("desk:login"))
    nonce_one = STAFF_CSP.fullmatch(login["Content-Security-Policy"]).group(1)
    client.force_login(user)
    editor = client.get(reverse("desk:new"))
    nonce_two = STAFF_CSP.fullmatch(editor["Content-Security-Policy"]).group(1)
    assert nonce_one != nonce_two
    html = editor.content.decode()
    # django-prose-editor's import map is the desk's one inline script; it carries the nonce.
    assert inline_code(html) == [f"<script> {IMPORT_MAP}"]
    assert f'<script type="importmap" nonce="{nonce_two}">' in html


def test_a_frame_allowed_on_the_site_is_allowed_by_the_policy_too(client):
    # The banner frame view is same-origin frameable (X-Frame-Options SAMEORIGIN); even its
    # error answer must not contradict that. (Its real answers keep their own sandbox policy:
    # sinmun/ads/tests/test_views.py.)
    response = client.get(reverse("ads:frame", args=["not-a-token"]))
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == READER_CSP.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )


def test_extra_sources_reach_reader_pages_but_never_the_desk(settings, pages):
    settings.CSP_EXTRA_SCRIPT_SRC = ["https://stats.example"]
    settings.CSP_EXTRA_IMG_SRC = ["https://media.example"]
    settings.HTTPS = True
    client = Client()  # a new handler: the middleware reads its settings when it is built
    policy = client.get(pages[0])["Content-Security-Policy"]
    assert "script-src 'self' https://stats.example;" in policy
    assert "connect-src 'self' https://stats.example;" in policy
    assert "img-src 'self' https://stats.example https://media.example;" in policy
    assert policy.endswith("; upgrade-insecure-requests; frame-ancestors 'none'")
    desk = client.get(reverse("desk:login"))["Content-Security-Policy"]
    assert "example" not in desk


def test_api_docs_allow_swagger_ui_inline_styles_only(client):
    policy = client.get("/api/docs")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline';" in policy
    assert "script-src 'self';" in policy
