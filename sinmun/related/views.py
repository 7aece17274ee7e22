"""The desk's related-list actions (pin, remove, undo): parse, call one service, go back to
the editor with the outcome. Who may is the service's question (a 데스크 of the article's
section, or a 관리자): a refusal is 403; bad input a Korean message that changes nothing.

Included by the desk's URLs; this app imports nothing of the desk (apps sit below it)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sinmun.newsroom.models import Article

from . import services

PINNED = "관련기사로 고정했습니다."
REMOVED = "관련기사에서 뺐습니다. 다시 계산해도 빠진 채로 남습니다."
UNDONE = "고정·제외를 되돌렸습니다."
NO_SUCH_ARTICLE = (
    "그런 기사를 찾지 못했습니다. 기사 주소(예: /article/abcd1234/)나 기사 번호를 넣으세요."
)
# A reader's address (/article/<public id>/ or a full URL) or the bare public id.
_ADDRESS = re.compile(r"(?:/article/)?([a-z0-9]{4,16})/?(?:related/)?(?:[?#].*)?\Z", re.I)


def _article(pk: int) -> Article:
    try:
        return Article.objects.select_related("section").get(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None


def find_article(text: str) -> Article | None:
    """Return the article a desk editor named by its address or public id, if any."""
    text = text.strip()
    match = _ADDRESS.search(text)
    if not match or len(text) > 300:
        return None
    return Article.objects.filter(public_id=match.group(1).lower()).first()


def _done(request, article: Article, action, message: str):
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect("desk:edit", pk=article.pk)


@require_POST
@login_required(login_url="desk:login")
def pin(request, pk: int):
    article = _article(pk)
    other = find_article(request.POST.get("target", ""))
    if other is None:
        messages.error(request, NO_SUCH_ARTICLE)
        return redirect("desk:edit", pk=article.pk)
    return _done(
        request,
        article,
        lambda: services.related_pin(article=article, other=other, by=request.user),
        PINNED,
    )


@require_POST
@login_required(login_url="desk:login")
def remove(request, pk: int, other: int):
    article, other_article = _article(pk), _article(other)
    return _done(
        request,
        article,
        lambda: services.related_remove(article=article, other=other_article, by=request.user),
        REMOVED,
    )


@require_POST
@login_required(login_url="desk:login")
def undo(request, pk: int, other: int):
    article, other_article = _article(pk), _article(other)
    return _done(
        request,
        article,
        lambda: services.related_undo(article=article, other=other_article, by=request.user),
        UNDONE,
    )
