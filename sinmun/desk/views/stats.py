"""통계: views per article, reporter, section and referrer, for 데스크 and 관리자.

Every number comes from ``audience.selectors`` (the worker's flushed counts, never a reader's
address); the chart is SVG drawn on the server (``audience.charts``). A bad filter gets the
form's Korean errors with status 400; the CSV carries the same table as the page.
"""

import csv
from datetime import timedelta
from functools import wraps
from io import StringIO

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sinmun.audience import charts, forms, selectors
from sinmun.newsroom import roles
from sinmun.newsroom.models import Article

DESK_OR_ADMIN = "통계는 데스크와 관리자만 볼 수 있습니다."


def desk_or_admin_required(view):
    """Let in a 데스크 or 관리자; a 기자 gets 403, a stranger the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if roles.role_of(request.user) not in (roles.DESK, roles.ADMIN):
            raise PermissionDenied(DESK_OR_ADMIN)
        return view(request, *args, **kwargs)

    return wrapper


def _tables(data) -> dict:
    start, end, unit, section = data["start"], data["end"], data["unit"], data["section"]
    return {
        "articles": selectors.article_table(start=start, end=end, unit=unit, section=section),
        "reporters": selectors.reporter_table(start=start, end=end, unit=unit, section=section),
        "sections": selectors.section_table(start=start, end=end, unit=unit),
        "referrers": selectors.referrer_table(start=start, end=end),
    }


@require_safe
@desk_or_admin_required
def overview(request):
    form = forms.StatsForm(request.GET)
    if not form.is_valid():
        return render(request, "audience/desk/stats.html", {"form": form}, status=400)
    context = {"form": form, "query": request.GET.urlencode(), **_tables(form.cleaned_data)}
    return render(request, "audience/desk/stats.html", context)


def _csv_response(rows: list[list], name: str) -> HttpResponse:
    out = StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 Korean only with a BOM
    csv.writer(out).writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_safe
@desk_or_admin_required
def export(request, kind: str):
    if kind not in forms.KINDS:
        raise Http404(forms.BAD_KIND)
    form = forms.StatsForm(request.GET)
    if not form.is_valid():
        errors = " ".join(m for ms in form.errors.values() for m in ms)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    name = f"views-{kind}-{data['start']}-{data['end']}"
    if kind == "referrers":
        rows = [
            ["유입 경로", "조회수", "비율(%)"],
            *map(list, selectors.referrer_table(start=data["start"], end=data["end"], limit=1000)),
        ]
        return _csv_response(rows, name)
    table = _tables(data)[kind]
    first = {"articles": "기사", "reporters": "기자", "sections": "섹션"}[kind]
    rows = [[first, *table.columns, "합계"]]
    rows += [[row.label, *row.cells, row.total] for row in table.rows]
    return _csv_response(rows, name)


@require_safe
@desk_or_admin_required
def article(request, pk: int):
    try:
        item = selectors.article_for_stats(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    hourly = selectors.article_hourly(article=item, now=now, hours=72)
    daily = selectors.article_daily(article=item, end=timezone.localdate(now), days=30)
    local = timezone.get_current_timezone()
    context = {
        "article": item,
        "total": selectors.article_total(article=item),
        "last_24h": sum(v for _, v in hourly[-24:]),
        "hourly_chart": charts.bar_chart(
            [(f"{h.astimezone(local):%d일 %H시}", v) for h, v in hourly],
            title="최근 72시간 시간별 조회수",
            label_every=12,
        ),
        "daily_chart": charts.bar_chart(
            [(f"{d:%m.%d}", v) for d, v in daily], title="최근 30일 일별 조회수", label_every=5
        ),
        "daily": [(d, v) for d, v in reversed(daily) if v][:30],
        "since": timezone.localdate(now) - timedelta(days=29),
    }
    return render(request, "audience/desk/article.html", context)
