"""통계 in the desk: who may see it, the tables, the chart, the CSV, bad filters."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from sinmun.audience import forms
from sinmun.audience.models import DailyViews, ReferrerDaily, ViewBucket
from sinmun.newsroom import roles


def signed_in(django_user_model, name: str, role: str | None) -> Client:
    user = django_user_model.objects.create_user(username=name, password="x-Passw0rd!")
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def numbers(newsroom):
    """Two articles with views on two days, one by two reporters, and the referrers."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    shared = newsroom.article(headline="공동 취재 기사", reporters=[newsroom.kim, newsroom.lee])
    single = newsroom.article(
        headline="단독 기사", reporters=[newsroom.park], section=newsroom.assembly
    )
    for article, day, views in [
        (shared, yesterday, 30),
        (shared, today, 12),
        (single, today, 100),
    ]:
        DailyViews.objects.create(article=article, day=day, views=views)
    ViewBucket.objects.create(
        article=shared, start=timezone.now().replace(minute=0, second=0, microsecond=0), views=12
    )
    for domain, views in [("naver.com", 90), ("direct", 40), ("daum.net", 12)]:
        ReferrerDaily.objects.create(day=today, domain=domain, views=views)
    return {"shared": shared, "single": single, "today": today, "yesterday": yesterday}


@pytest.mark.django_db
def test_only_desk_and_admin_see_statistics(django_user_model, client):
    assert signed_in(django_user_model, "d", roles.DESK).get("/desk/stats/").status_code == 200
    assert signed_in(django_user_model, "a", roles.ADMIN).get("/desk/stats/").status_code == 200
    assert signed_in(django_user_model, "r", roles.REPORTER).get("/desk/stats/").status_code == 403
    assert client.get("/desk/stats/").status_code == 302


@pytest.mark.django_db
def test_tables_per_article_reporter_section_and_referrer(django_user_model, numbers):
    page = signed_in(django_user_model, "d", roles.DESK).get("/desk/stats/")
    html = page.content.decode()
    assert html.index("단독 기사") < html.index("공동 취재 기사")
    tables = page.context
    reporters = {row.label: row.total for row in tables["reporters"].rows}
    assert reporters == {"박하준": 100, "김민준": 42, "이서연": 42}
    sections = {row.label: row.total for row in tables["sections"].rows}
    assert sections == {"정치 › 국회": 100, "IT·과학 › 빅테크": 42}
    articles = {row.label: row.cells[-2:] for row in tables["articles"].rows}
    assert articles["공동 취재 기사"] == [30, 12]
    assert tables["referrers"][0] == ("naver.com", 90, 63.4)
    assert ("직접 방문", 40, 28.2) in tables["referrers"]
    assert "통계" in html


@pytest.mark.django_db
def test_a_section_filter_narrows_articles_and_reporters(django_user_model, numbers, newsroom):
    client = signed_in(django_user_model, "d", roles.DESK)
    page = client.get("/desk/stats/", {"section": newsroom.politics.pk})
    assert [row.label for row in page.context["articles"].rows] == ["단독 기사"]
    assert [row.label for row in page.context["reporters"].rows] == ["박하준"]


@pytest.mark.django_db
def test_weeks_add_up_the_days(django_user_model, numbers):
    client = signed_in(django_user_model, "d", roles.DESK)
    start = numbers["today"] - timedelta(days=20)
    page = client.get("/desk/stats/", {"start": start.isoformat(), "unit": "week"})
    assert len(page.context["articles"].columns) in (3, 4)
    totals = {row.label: sum(row.cells) for row in page.context["reporters"].rows}
    assert totals == {"박하준": 100, "김민준": 42, "이서연": 42}


@pytest.mark.django_db
def test_csv_export_carries_the_table(django_user_model, numbers):
    client = signed_in(django_user_model, "d", roles.DESK)
    response = client.get("/desk/stats/reporters.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "기자" and rows[0][-1] == "합계"
    assert rows[1][0] == "박하준" and rows[1][-1] == "100"
    referrers = list(
        csv.reader(
            io.StringIO(client.get("/desk/stats/referrers.csv").content.decode().lstrip("\ufeff"))
        )
    )
    assert referrers[1] == ["naver.com", "90", "63.4"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-12-10", "end": "2026-12-01"}, forms.BAD_RANGE),
        ({"start": "2026-01-01", "end": "2026-12-01"}, forms.TOO_LONG.format(days=forms.MAX_DAYS)),
        ({"start": "어제"}, "올바른 날짜를 입력하세요."),
        ({"unit": "year"}, "올바르게 선택해 주세요"),
    ],
)
def test_bad_filters_get_korean_errors(django_user_model, params, message):
    client = signed_in(django_user_model, "d", roles.DESK)
    response = client.get("/desk/stats/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    csv_response = client.get("/desk/stats/articles.csv", params)
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


@pytest.mark.django_db
def test_an_unknown_csv_is_404(django_user_model):
    client = signed_in(django_user_model, "d", roles.DESK)
    assert client.get("/desk/stats/nothing.csv").status_code == 404


@pytest.mark.django_db
def test_article_page_draws_an_svg_chart(django_user_model, numbers):
    client = signed_in(django_user_model, "d", roles.DESK)
    response = client.get(f"/desk/stats/article/{numbers['shared'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 2
    assert "최근 72시간 시간별 조회수: 합계 12회, 최대 12회" in html
    assert "최근 30일 일별 조회수: 합계 42회, 최대 30회" in html
    assert ">42<" in html  # 누적 조회수


@pytest.mark.django_db
def test_a_draft_has_no_statistics_page(django_user_model, newsroom):
    draft = newsroom.article(publish=False)
    client = signed_in(django_user_model, "d", roles.DESK)
    assert client.get(f"/desk/stats/article/{draft.pk}/").status_code == 404
