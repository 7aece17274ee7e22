"""The demo's synthetic view history: plausible, once, and the lists are filled."""

import pytest
from django.db.models import Sum

from sinmun.audience import demo, ranking
from sinmun.audience.models import DailyViews, ReferrerDaily, ViewBucket


@pytest.mark.django_db
def test_demo_views_are_added_once_and_fill_the_lists(store, newsroom, committed):
    for n in range(6):
        newsroom.article(headline=f"데모 기사 {n}", minutes_ago=30 + 600 * n)
    with committed():
        message = demo.load_demo_views()
    views = ViewBucket.objects.aggregate(total=Sum("views"))["total"]
    assert views > 0
    assert message == demo.LOADED.format(
        articles=ViewBucket.objects.values("article").distinct().count(), views=views
    )
    # The three tables agree with each other.
    assert DailyViews.objects.aggregate(total=Sum("views"))["total"] == views
    assert ReferrerDaily.objects.aggregate(total=Sum("views"))["total"] == views
    assert store.rankings([ranking.popular_name("24h")])[ranking.popular_name("24h")]
    assert demo.load_demo_views() == demo.DONE
    assert ViewBucket.objects.aggregate(total=Sum("views"))["total"] == views
