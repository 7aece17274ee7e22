"""Reader pages show the worker's lists and carry the beacon; the desk preview does not count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.audience import services
from sinmun.audience.models import ViewBucket
from sinmun.newsroom import actors
from sinmun.newsroom import services as newsroom_services


def viewed(newsroom, headline: str, views: int, **fields):
    article = newsroom.article(headline=headline, **fields)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=15)
    ViewBucket.objects.create(article=article, start=start, views=views)
    return article


@pytest.fixture
def ranked(store, newsroom):
    politics = viewed(newsroom, "여야 예산안 심야 협상", 50, section=newsroom.assembly)
    tech = viewed(newsroom, "한결전자 새 반도체 공장", 80)
    services.rankings_refresh()
    return {"politics": politics, "tech": tech}


@pytest.mark.django_db
def test_home_shows_most_read_in_order(client, ranked):
    html = client.get("/").content.decode()
    box = html[html.index('class="most-read"') :]
    assert "많이 본 뉴스" in box
    assert box.index("한결전자 새 반도체 공장") < box.index("여야 예산안 심야 협상")
    assert "급상승 뉴스" in box


@pytest.mark.django_db
def test_section_page_shows_its_own_list(client, ranked, newsroom):
    html = client.get(newsroom.politics.get_absolute_url()).content.decode()
    box = html[html.index('class="most-read"') :]
    assert "정치 많이 본 뉴스" in box
    assert "여야 예산안 심야 협상" in box
    assert "한결전자 새 반도체 공장" not in box


@pytest.mark.django_db
def test_article_page_has_the_list_and_the_beacon(client, ranked, settings):
    settings.AUDIENCE_COUNTING = "beacon"
    article = ranked["tech"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="most-read"' in html
    assert f'data-article="{article.public_id}"' in html
    assert 'data-endpoint="/audience/view/"' in html
    assert "/static/audience/beacon.js" in html
    assert "<script>" not in html  # no inline script


@pytest.mark.django_db
def test_a_withdrawn_article_leaves_the_list_before_the_next_refresh(client, ranked):
    newsroom_services.article_withdraw(article=ranked["tech"], by=actors.DEMO, reason="오보")
    html = client.get("/").content.decode()
    assert "여야 예산안 심야 협상" in html
    assert "한결전자 새 반도체 공장" not in html


@pytest.mark.django_db
def test_no_box_before_anything_is_counted(client, store, newsroom):
    newsroom.article()
    assert 'class="most-read"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_desk_preview_does_not_count(store, newsroom, django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    from sinmun.newsroom import roles

    user = django_user_model.objects.create_user(username="desk", password="x-Passw0rd!")
    user.groups.add(Group.objects.get(name=roles.DESK))
    client = Client()
    client.force_login(user)
    article = newsroom.article()
    html = client.get(f"/desk/articles/{article.pk}/preview/").content.decode()
    assert "미리보기" in html
    assert "audience/beacon.js" not in html
