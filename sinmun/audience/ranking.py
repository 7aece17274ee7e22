"""많이 본 뉴스 and 급상승: computed by the worker every minute, read by pages as lists of ids.

- Most read (``popular:<window>:<scope>``): views in the last hour, 24 hours or 7 days, counted
  in whole 10-minute buckets (the last hour is the buckets that started within it, so it
  covers 50–60 minutes). Scope ``all`` or a section id; a top-level section's list includes its
  sub-sections' articles.
- Trending (``trending:<scope>``): the last hour against the article's own baseline, the
  hourly average of the 24 hours before it (or of its life, if younger):
  ``(recent + K) / (baseline + K)`` with ``K`` smoothing small numbers. A steady favourite
  scores about 1 and stays out; a story rising over its own past scores high. An article needs
  ``TRENDING_MIN_RECENT`` views in the hour and a score of ``TRENDING_MIN_SCORE``.
- Only articles readers may see now are ranked (published, 입력 time reached): a withdrawn or
  embargoed article is never in a list; pages check again when they show one.

Hand-written: Arc XP's Popular/Trending split is the model; no library ranks a newsroom's own
counts this way.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Sum

from sinmun.newsroom import selectors as newsroom_selectors

from .models import ViewBucket

WINDOWS = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}
KEEP = 15
TRENDING_RECENT = timedelta(hours=1)
TRENDING_BASELINE = timedelta(hours=24)
TRENDING_SMOOTHING = 5.0
TRENDING_MIN_RECENT = 5
TRENDING_MIN_SCORE = 1.5
ALL = "all"


def popular_name(window: str, scope: int | str = ALL) -> str:
    return f"popular:{window}:{scope}"


def trending_name(scope: int | str = ALL) -> str:
    return f"trending:{scope}"


def _visible_ids(now: datetime) -> dict[int, dict]:
    """Return {article id: its section, parent section, 입력 time} for viewed visible articles."""
    since = now - WINDOWS["7d"]
    rows = (
        newsroom_selectors.published_articles()
        .filter(first_published_at__lte=now)
        .filter(pk__in=ViewBucket.objects.filter(start__gte=since).values("article_id"))
        .values("pk", "section_id", "section__parent_id", "first_published_at")
    )
    return {row["pk"]: row for row in rows}


def _sums(since: datetime, until: datetime | None = None) -> dict[int, int]:
    rows = ViewBucket.objects.filter(start__gte=since)
    if until is not None:
        rows = rows.filter(start__lt=until)
    return dict(
        rows.values("article_id").annotate(total=Sum("views")).values_list("article_id", "total")
    )


def _scopes(info: dict) -> list[int | str]:
    scopes: list[int | str] = [ALL, info["section_id"]]
    if info["section__parent_id"]:
        scopes.append(info["section__parent_id"])
    return scopes


def _top(scores: dict[int, float], visible: dict[int, dict]) -> dict[int | str, list[int]]:
    """Return the best ``KEEP`` ids per scope (newest first on a tie)."""
    ranked = sorted(
        scores, key=lambda pk: (scores[pk], visible[pk]["first_published_at"], pk), reverse=True
    )
    lists: dict[int | str, list[int]] = defaultdict(list)
    for pk in ranked:
        for scope in _scopes(visible[pk]):
            if len(lists[scope]) < KEEP:
                lists[scope].append(pk)
    return lists


def trending_scores(
    *, recent: dict[int, int], baseline: dict[int, int], visible: dict[int, dict], now: datetime
) -> dict[int, float]:
    """Return the trending score of each article that qualifies (see the module docstring)."""
    scores = {}
    baseline_start = now - TRENDING_RECENT - TRENDING_BASELINE
    for pk, views in recent.items():
        if pk not in visible or views < TRENDING_MIN_RECENT:
            continue
        since = max(baseline_start, visible[pk]["first_published_at"])
        hours = (now - TRENDING_RECENT - since).total_seconds() / 3600
        rate = baseline.get(pk, 0) / min(max(hours, 1.0), 24.0)
        score = (views + TRENDING_SMOOTHING) / (rate + TRENDING_SMOOTHING)
        if score >= TRENDING_MIN_SCORE:
            scores[pk] = score
    return scores


def compute(*, now: datetime) -> dict[str, list[int]]:
    """Return every ranking list by name (see ``popular_name`` and ``trending_name``)."""
    visible = _visible_ids(now)
    rankings: dict[str, list[int]] = {}
    recent: dict[int, int] = {}
    for window, span in WINDOWS.items():
        sums = {pk: v for pk, v in _sums(now - span).items() if pk in visible and v > 0}
        if window == "1h":
            recent = sums
        for scope, ids in _top(sums, visible).items():
            rankings[popular_name(window, scope)] = ids
    baseline = _sums(now - TRENDING_RECENT - TRENDING_BASELINE, now - TRENDING_RECENT)
    scores = trending_scores(recent=recent, baseline=baseline, visible=visible, now=now)
    for scope, ids in _top(scores, visible).items():
        rankings[trending_name(scope)] = ids
    return rankings
