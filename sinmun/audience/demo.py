"""A synthetic view history for the demo newsroom, so 많이 본 뉴스 is not empty on a fresh site.

Clearly synthetic: the numbers come from a seeded random generator (newer and top stories get
more), spread over the last 7 days in 10-minute buckets, with referrers drawn from
naver.com / daum.net / google.com / direct. Written straight into the counters (no readers, no
hashes); idempotent: nothing is added once any view is recorded.
"""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sinmun.newsroom import selectors as newsroom_selectors

from . import counting, services
from .models import BUCKET_SECONDS, DailyViews, ReferrerDaily, ViewBucket

REFERRERS = (
    ("naver.com", 45),
    ("daum.net", 20),
    ("google.com", 12),
    ("direct", 18),
    ("internal", 5),
)
DONE = "독자 통계 예시: 이미 조회 기록이 있어 건너뜁니다."
LOADED = "독자 통계 예시: 기사 {articles}건에 가상 조회수 {views}건을 넣었습니다."


@transaction.atomic
def load_demo_views(*, now: datetime | None = None, seed: int = 20) -> str:
    """Add the synthetic history (once) and compute the rankings; return what was done."""
    if ViewBucket.objects.exists() or DailyViews.objects.exists():
        return DONE
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (synthetic demo numbers, not secrets)
    articles = list(
        newsroom_selectors.published_articles()
        .filter(first_published_at__gte=now - timedelta(days=7))
        .order_by("-first_published_at")
        .values_list("pk", "first_published_at", "is_top")
    )
    current = counting.bucket_of(now.timestamp())
    buckets: Counter = Counter()
    days: Counter = Counter()
    referrers: Counter = Counter()
    domains = [d for d, _ in REFERRERS]
    weights = [w for _, w in REFERRERS]
    for pk, published, is_top in articles:
        appeal = rng.lognormvariate(0, 1) * (3 if is_top else 1)
        start = counting.bucket_of(published.timestamp())
        for bucket in range(max(start, current - 7 * 86400), current + 1, BUCKET_SECONDS):
            age_hours = (bucket - start) / 3600
            # Interest fades with age; a few stories pick up again (a rising story for 급상승).
            rate = appeal * 6 / (1 + age_hours / 6)
            if pk % 7 == 0 and current - bucket < 3600:
                rate *= 8
            views = int(rng.expovariate(1 / rate)) if rate > 0.05 else 0
            if not views:
                continue
            moment = datetime.fromtimestamp(bucket, UTC)
            day = datetime.fromisoformat(counting.day_of(moment)).date()
            buckets[(pk, moment)] += views
            days[(pk, day)] += views
            parts = min(views, 5)
            for n, domain in enumerate(rng.choices(domains, weights, k=parts)):
                referrers[(day, domain)] += views // parts + (views % parts if n == 0 else 0)
    services.counters_add(ViewBucket, ("article_id", "start"), buckets)
    services.counters_add(DailyViews, ("article_id", "day"), days)
    services.counters_add(ReferrerDaily, ("day", "domain"), referrers)
    transaction.on_commit(lambda: services.rankings_refresh(now=now))
    return LOADED.format(articles=len({pk for pk, _ in buckets}), views=sum(buckets.values()))
