"""The site's WSGI application (what `sinmun serve` runs) answers the banner request itself."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.handlers.base import BaseHandler
from django.utils import timezone

from sinmun.ads import services
from sinmun.newsroom import roles

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.mark.django_db
def test_the_served_application_answers_the_banner_request(monkeypatch, django_user_model):
    from sinmun import wsgi

    admin = django_user_model.objects.create_user(username="ads-admin")
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    admin = django_user_model.objects.get(pk=admin.pk)
    house = services.campaign_create(
        by=admin, name="구독 안내", is_house=True, starts_at=timezone.now() - timedelta(hours=1)
    )
    services.creative_create(
        by=admin, campaign=house, name="HTML 띠", format="leaderboard", kind="html",
        html="<p>새나루일보</p>",
    )  # fmt: skip

    def django_was_asked(*args, **kwargs):
        raise AssertionError("the banner request reached Django")

    monkeypatch.setattr(BaseHandler, "get_response", django_was_asked)
    answer = {}
    chunks = wsgi.application(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/ads/serve/",
            "QUERY_STRING": "slots=header&device=d",
            "wsgi.input": io.BytesIO(),
            "HTTP_HOST": "testserver",
            "HTTP_USER_AGENT": CHROME,
        },
        lambda status, headers: answer.update(status=status),
    )
    assert answer["status"] == "200 OK"
    assert json.loads(b"".join(chunks))["slots"]["header"]["kind"] == "html"
