from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sinmun.newsroom.models import ArticleRevision

from .. import selectors
from ..permissions import desk_required


@require_safe
@desk_required
def dashboard(request):
    return render(request, "desk/dashboard.html", {"board": selectors.dashboard(request.user)})


@require_safe
@desk_required
def audit(request):
    action = request.GET.get("action") or None
    if action not in ArticleRevision.Action.values:
        action = None
    page = Paginator(
        selectors.audit_log(user=request.user, action=action), selectors.AUDIT_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/audit.html",
        {"page": page, "action": action, "actions": ArticleRevision.Action.choices},
    )
