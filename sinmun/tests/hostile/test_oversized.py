"""Oversized requests: bodies over Django's limit, too many fields, long query strings and
many large headers. Each is a 400 with the site's Korean reason or an ordinary answer, never
a 500, and nothing is written.

Request targets over 64 KB never reach the site: granian (hyper) answers them with its own
414 first, a limit no setting changes (docs/decisions/0024).
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group

from sinmun.newsroom import roles
from sinmun.newsroom.models import Article
from sinmun.public import views as public_views

from . import checks

TOO_BIG = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024


@pytest.fixture
def desk(client, django_user_model, newsroom):
    user = django_user_model.objects.create(username="oversized-admin")
    user.groups.add(Group.objects.get(name=roles.ADMIN))
    client.force_login(user)
    return client


def test_a_desk_form_body_over_the_limit_is_the_sites_400(desk, newsroom):
    response = desk.post(
        "/desk/articles/new/",
        {"headline": "큰 본문", "body": "<p>" + "가" * (TOO_BIG // 3) + "</p>",
         "section": newsroom.bigtech.pk, "intent": "save"},
    )  # fmt: skip
    assert response.status_code == 400
    reason = public_views.REQUEST_TOO_BIG.format(mb=10)
    assert reason in checks.visible_text(response.content)
    assert Article.objects.count() == 0


def test_too_many_fields_is_the_sites_400(desk, newsroom):
    fields = {f"f{n}": "값" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = desk.post("/desk/articles/new/", {**fields, "headline": "많은 항목"})
    assert response.status_code == 400
    reason = public_views.TOO_MANY_FIELDS.format(count=1000)
    assert reason in checks.visible_text(response.content)
    assert Article.objects.count() == 0


def test_too_many_query_parameters_on_a_reader_page_is_the_sites_400(client, newsroom):
    query = "&".join(f"p{n}=1" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"/search/?q=반도체&{query}")
    assert response.status_code == 400
    assert public_views.TOO_MANY_FIELDS.format(count=1000) in checks.visible_text(response.content)


def test_an_api_body_over_the_limit_is_refused_in_the_apis_shape(client, db):
    response = client.post(
        "/api/v1/items",
        data=b'{"uri": "' + b"a" * TOO_BIG + b'"}',
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer sinmun_nothing",
    )
    assert 400 <= response.status_code < 500
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    ["/", "/section/bigtech/", "/reporter/kim-minjun/", "/series/column/", "/corrections/",
     "/search/", "/rss/", "/sitemap.xml", "/api/v1/articles"],
)  # fmt: skip
def test_a_long_query_string_and_big_headers_on_every_reader_url(client, newsroom, url):
    newsroom.article()
    long_value = "9" * 60_000
    headers = {f"HTTP_X_FILLER_{n}": "가" * 4000 for n in range(50)}
    for params in ({"page": long_value}, {"x": long_value}, {"from": long_value, "q": "반도체"}):
        response = client.get(url, params, **headers)
        if url.startswith("/api/"):
            # A page number past any list is the API's 422, in its error shape.
            assert response.status_code in (200, 422), (url, list(params))
            assert ("data" if response.status_code == 200 else "error") in response.json()
        else:
            assert response.status_code == 200, (url, list(params))
