from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from sinmun.newsroom import services
from sinmun.newsroom.models import ArticleRevision

from .. import comparing, selectors
from ..permissions import desk_required
from .articles import _article

RESTORED = "{version}판의 글로 되돌렸습니다 (새 판으로 저장)."


@require_safe
@desk_required
def history(request, pk: int):
    article = _article(request, pk)
    revisions = selectors.history(article)
    return render(request, "desk/history.html", {"article": article, "revisions": revisions})


def _revision(article, value) -> ArticleRevision:
    try:
        return article.revisions.get(pk=int(value))
    except (TypeError, ValueError, ArticleRevision.DoesNotExist):
        raise Http404 from None


@require_safe
@desk_required
def diff(request, pk: int):
    """Compare any two revisions (``a`` older, ``b`` newer; default: the last two)."""
    article = _article(request, pk)
    revisions = selectors.history(article)
    if not revisions:
        raise Http404
    b = _revision(article, request.GET["b"]) if "b" in request.GET else revisions[0]
    a = (
        _revision(article, request.GET["a"])
        if "a" in request.GET
        else (revisions[1] if len(revisions) > 1 else revisions[0])
    )
    return render(
        request,
        "desk/diff.html",
        {
            "article": article,
            "a": a,
            "b": b,
            "revisions": revisions,
            "comparison": comparing.compare(a.snapshot, b.snapshot),
        },
    )


@require_POST
@desk_required
def restore(request, pk: int, revision: int):
    article = _article(request, pk)
    old = _revision(article, revision)
    base = request.POST.get("base_version")
    try:
        services.article_restore(
            article=article,
            by=request.user,
            revision=old,
            base_version=int(base) if base and base.isdigit() else None,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("desk:history", pk=article.pk)
    messages.success(request, RESTORED.format(version=old.version or "이전"))
    return redirect("desk:edit", pk=article.pk)
