"""The reader-facing endpoints: serving, the view beacon, signed clicks (no forgery, no open
redirect), hostile creative HTML, robots, and the 광고 label on every slot of the pages."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from sinmun.ads import counting, inventory, services, tokens, views
from sinmun.ads.models import Creative, DailyStat
from sinmun.ads.slots import SLOTS

from .conftest import HOSTILE_HTML

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36"
ARTICLE_SLOTS = {
    "header", "rail-top", "rail-bottom", "article-inline", "article-below", "related-above",
    "mobile-sticky",
}  # fmt: skip


@pytest.fixture
def story(newsroom):
    body = "".join(f"<p>문단 {n}: 한결전자가 새 공장을 짓기로 했다.</p>" for n in range(6))
    return newsroom.article(body=body)


def serve(client, slots="rail-top", device="d", section=""):
    return client.get(
        "/ads/serve/",
        {"slots": slots, "device": device, "section": section},
        HTTP_USER_AGENT=BROWSER,
    )


def served(client, slot="rail-top", device="d"):
    response = serve(client, slot, device)
    assert response.status_code == 200
    return response.json()["slots"][slot]


def flushed_stats():
    counting.flush()
    return {(s.creative_id, s.slot): (s.impressions, s.clicks) for s in DailyStat.objects.all()}


# Serving ---------------------------------------------------------------------------------------


def test_serve_fills_each_slot_with_a_banner_that_fits(client, booked):
    response = serve(client, ",".join(SLOTS), device="m")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    slots = response.json()["slots"]
    assert set(slots) == set(SLOTS)
    for name, fill in slots.items():
        if name == "home-middle" or name in ARTICLE_SLOTS:
            assert fill["kind"] == "image"
            assert fill["house"] is False  # the paid campaign comes first
            size = SLOTS[name].format.size("m")
            assert (fill["img"]["m"]["w"], fill["img"]["m"]["h"]) == size
            assert fill["href"].startswith("/ads/c/")


def test_serve_is_never_page_cached_and_rotates(client, booked, settings):
    settings.PAGE_CACHE_SECONDS = 60
    first, second = served(client), served(client)
    assert first["view"] != second["view"]  # every page view gets its own tokens


@pytest.mark.parametrize(
    "query, message",
    [
        ({"slots": "nope", "device": "d"}, views.BAD_SLOTS),
        ({"slots": "", "device": "d"}, views.BAD_SLOTS),
        ({"slots": "header", "device": "tv"}, views.BAD_DEVICE),
        ({"slots": "header", "device": "d", "section": "1;drop"}, views.BAD_SECTION),
        ({"slots": "header", "device": "d", "section": "١٢"}, views.BAD_SECTION),
    ],
)
def test_bad_serve_requests_get_a_korean_error(client, booked, query, message):
    response = client.get("/ads/serve/", query)
    assert response.status_code == 400
    assert response.json() == {"error": message}


# Views -----------------------------------------------------------------------------------------


def test_a_view_beacon_counts_once_per_banner_view(client, booked, spool):
    fill = served(client)
    for _ in range(3):
        response = client.post(
            "/ads/v/", fill["view"], content_type="text/plain", HTTP_USER_AGENT=BROWSER
        )
        assert response.status_code == 204
    creative = tokens.read(fill["view"], salt=tokens.VIEW, max_age=None).creative_id
    assert flushed_stats() == {(creative, "rail-top"): (1, 0)}


def test_robots_views_and_clicks_are_not_counted(client, booked, spool):
    fill = served(client)
    for agent in ("Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)", "curl/8.5", ""):
        client.post("/ads/v/", fill["view"], content_type="text/plain", HTTP_USER_AGENT=agent)
        response = client.get(fill["href"], HTTP_USER_AGENT=agent)
        assert response.status_code == 302  # the banner still works for them
    assert flushed_stats() == {}


@pytest.mark.parametrize("body", ["", "not-a-token", "a" * 9000, "\n".join(["x"] * 21), "한글"])
def test_bad_beacons_are_refused_and_count_nothing(client, booked, spool, body):
    response = client.post(
        "/ads/v/", body.encode(), content_type="text/plain", HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 400
    assert response.json() == {"error": views.BAD_BEACON}
    assert flushed_stats() == {}


def test_one_forged_token_in_a_beacon_refuses_the_whole_beacon(client, booked, spool):
    good = served(client)["view"]
    forged = signing.dumps([1, 1, "rail-top", "x"], salt=tokens.VIEW, key="another-site-key")
    response = client.post(
        "/ads/v/", f"{good}\n{forged}", content_type="text/plain", HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 400
    assert flushed_stats() == {}


# Clicks ----------------------------------------------------------------------------------------


def test_a_click_redirects_to_the_creatives_own_link_and_counts(client, booked, spool):
    fill = served(client)
    creative = Creative.objects.get(
        pk=tokens.read(fill["view"], salt=tokens.VIEW, max_age=None).creative_id
    )
    response = client.get(fill["href"], HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == creative.link_url
    client.get(fill["href"], HTTP_USER_AGENT=BROWSER)  # a double click counts once
    assert flushed_stats() == {(creative.pk, "rail-top"): (0, 1)}


def test_click_destination_is_never_taken_from_the_request(client, booked, spool):
    href = served(client)["href"]
    for extra in ("?next=https://evil.example/", "?url=//evil.example", "?to=javascript:alert(1)"):
        response = client.get(href + extra, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 302
        assert response["Location"].startswith("https://shop.example/")


@pytest.mark.parametrize(
    "forge",
    [
        # The signature of another token on different content.
        lambda t: (
            signing.dumps([1, 1, "rail-top", "n"], salt=tokens.CLICK).rsplit(":", 1)[0]
            + ":"
            + t.rsplit(":", 1)[1]
        ),
        # A view token is no click token (another salt).
        lambda t: signing.dumps([1, 1, "rail-top", "n"], salt=tokens.VIEW),
        # Signed with a key that is not the site's.
        lambda t: signing.dumps([1, 1, "rail-top", "n"], salt=tokens.CLICK, key="guessed"),
        # A URL smuggled in as the payload, unsigned.
        lambda t: "aHR0cHM6Ly9ldmlsLmV4YW1wbGUv:1xaFMo:AAAA",
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "한글",
    ],
)
def test_forged_click_tokens_are_refused_without_a_redirect(client, booked, spool, forge):
    token = forge(served(client)["href"].split("/")[3])
    response = client.get(f"/ads/c/{token}/", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 400
    assert "Location" not in response
    assert views.BAD_LINK in response.content.decode()
    assert flushed_stats() == {}


def test_a_stored_link_other_than_http_is_never_followed(client, booked, spool):
    creative = booked["creatives"][(booked["paid"].pk, "rectangle")]
    # Written past the service (which refuses it), as an old row or a manual edit might be.
    Creative.objects.filter(pk=creative.pk).update(link_url="javascript:alert(1)")
    token = tokens.issue(
        creative_id=creative.pk, campaign_id=creative.campaign_id, slot="rail-top",
        salt=tokens.CLICK,
    )  # fmt: skip
    inventory.bump()
    response = client.get(f"/ads/c/{token}/", HTTP_USER_AGENT=BROWSER)
    assert response["Location"] == "/"


def test_an_old_click_still_goes_through_but_is_not_counted(client, booked, spool, monkeypatch):
    creative = booked["creatives"][(booked["paid"].pk, "rectangle")]
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    monkeypatch.setattr(signing.time, "time", lambda: two_days_ago)
    old = tokens.issue(
        creative_id=creative.pk, campaign_id=creative.campaign_id, slot="rail-top",
        salt=tokens.CLICK,
    )  # fmt: skip
    monkeypatch.undo()
    response = client.get(f"/ads/c/{old}/", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == creative.link_url
    assert flushed_stats() == {}


def test_link_urls_that_are_not_http_are_refused_by_the_service(booked, admin):
    for bad in ("javascript:alert(1)", "//evil.example", "data:text/html,x", "http://a b/"):
        with pytest.raises(Exception) as refused:
            services.creative_update(
                by=admin, creative=booked["creatives"][(booked["paid"].pk, "rectangle")],
                link_url=bad,
            )  # fmt: skip
        assert services.LINK_SCHEME in str(refused.value)


# Hostile HTML creatives -----------------------------------------------------------------------


@pytest.fixture
def hostile(booked, admin, committed):
    with committed():
        return services.creative_create(
            by=admin,
            campaign=booked["paid"],
            name="악성 태그",
            format="leaderboard",
            kind=Creative.Kind.HTML,
            html=HOSTILE_HTML + ' <a href="%%CLICK_URL%%">보기</a>',
            link_url="https://shop.example/html",
        )


def test_hostile_html_never_reaches_the_page_or_the_json(client, booked, hostile, story):
    page = client.get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER).content.decode()
    for _ in range(20):
        body = serve(client, "header,article-below,related-above").content.decode()
        assert "<script" not in body and "onerror" not in body and "hacked" not in body
    assert "<script>parent" not in page and "onerror" not in page and "hacked" not in page


def test_hostile_html_is_served_only_sandboxed(client, booked, hostile):
    token = tokens.issue(
        creative_id=hostile.pk, campaign_id=hostile.campaign_id, slot="header", salt=tokens.FRAME
    )
    response = client.get(f"/ads/f/{token}/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox ")
    assert "allow-same-origin" not in policy and "allow-top-navigation" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    html = response.content.decode()
    assert HOSTILE_HTML in html  # the creative runs as written, inside its sandbox
    assert "%%CLICK_URL%%" not in html and "/ads/c/" in html
    # An image creative or a forged token has no frame.
    image = booked["creatives"][(booked["paid"].pk, "leaderboard")]
    other = tokens.issue(
        creative_id=image.pk, campaign_id=image.campaign_id, slot="header", salt=tokens.FRAME
    )
    assert client.get(f"/ads/f/{other}/").status_code == 404
    assert client.get(f"/ads/f/{token[:-3]}xyz/").status_code == 404


def test_hostile_text_in_alt_and_names_is_escaped_in_the_desk(admin_client, booked, admin):
    creative = booked["creatives"][(booked["paid"].pk, "rectangle")]
    services.creative_update(by=admin, creative=creative, alt_text='"><script>alert(1)</script>')
    services.campaign_update(by=admin, campaign=booked["paid"], name="<img src=x onerror=alert(1)>")
    for url in ("/desk/manage/ads/", "/desk/manage/ads/preview/", creative.get_absolute_url()):
        html = admin_client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x onerror" not in html, url


# The 광고 label on every slot ------------------------------------------------------------------


def _slots(html: str) -> list[str]:
    import re

    return re.findall(r'<aside class="ad-slot[^"]*"[^>]*>.*?</aside>', html, re.S)


def test_every_slot_of_the_article_page_is_labelled(client, booked, story):
    html = client.get(story.get_absolute_url()).content.decode()
    slots = _slots(html)
    names = {s.split('data-ad-slot="')[1].split('"')[0] for s in slots}
    assert names == ARTICLE_SLOTS
    for slot in slots:
        assert 'aria-label="광고"' in slot
        assert '<p class="ad-label">광고</p>' in slot
    assert html.count('src="/static/ads/ads.js"') == 1
    assert 'data-serve="/ads/serve/"' in html


def test_home_page_slots_are_labelled(client, booked, story):
    html = client.get("/").content.decode()
    names = [s.split('data-ad-slot="')[1].split('"')[0] for s in _slots(html)]
    assert sorted(names) == ["header", "home-middle", "mobile-sticky"]
    assert all('<p class="ad-label">광고</p>' in s for s in _slots(html))


def test_without_banners_a_page_carries_no_slot_and_no_script(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert "data-ad-slot" not in html and "ads.js" not in html and "광고" not in html


def test_a_slot_is_reserved_only_at_the_widths_it_can_be_filled(client, admin, committed, story):
    from .conftest import images_for

    with committed():
        house = services.campaign_create(by=admin, name="앱 안내", is_house=True)
        services.campaign_update(by=admin, campaign=house, device="m")
        services.creative_create(
            by=admin, campaign=house, name="띠", format="leaderboard", alt_text="앱",
            link_url="https://saenaru.example/app", **images_for("leaderboard"),
        )  # fmt: skip
    html = client.get(story.get_absolute_url()).content.decode()
    slots = {s.split('data-ad-slot="')[1].split('"')[0]: s for s in _slots(html)}
    assert set(slots) == {"header", "article-below", "related-above"}
    assert all("ad-off-d" in s and "ad-off-m" not in s for s in slots.values())


def test_a_section_campaign_is_reserved_only_on_its_sections(
    client, booked, admin, committed, newsroom, story
):
    with committed():
        services.campaign_update(by=admin, campaign=booked["house"], status="paused")
        services.campaign_update(by=admin, campaign=booked["paid"], sections=[newsroom.politics])
    assert "data-ad-slot" not in client.get(story.get_absolute_url()).content.decode()
    politics = newsroom.article(section=newsroom.assembly, headline="국회 소식")
    assert 'data-ad-slot="header"' in client.get(politics.get_absolute_url()).content.decode()


def test_the_desks_preview_shows_the_boxes_but_loads_no_banner(booked, story, admin_client):
    html = admin_client.get(f"/desk/articles/{story.pk}/preview/").content.decode()
    assert len(_slots(html)) == len(ARTICLE_SLOTS)
    assert "ads.css" in html and "ads.js" not in html
