from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousFileOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import render
from django.views import static
from django.views.decorators.http import require_safe

from sinmun.newsroom import bodyhtml, generation, selectors
from sinmun.newsroom.models import Article, Keyword, Reporter, Section, Series
from sinmun.related import selectors as related_selectors
from sinmun.search import selectors as search_selectors

from .lazy import once
from .pagecache import cached_page

HOME_PER_SECTION = 4
LATEST_COUNT = 8
# The inline banner slot sits after this many paragraphs, where Korean sites put their first ad.
INLINE_SLOT_AFTER = 3


@require_safe
@cached_page
def home(request):
    # Read when the template asks, so the parts kept as fragments cost no query.
    top = once(selectors.top_story)
    return render(
        request,
        "public/home.html",
        {
            "top": top,
            "sections": lambda: selectors.latest_by_section(
                per_section=HOME_PER_SECTION, exclude=top()
            ),
            "latest": lambda: selectors.latest_articles(limit=LATEST_COUNT, exclude=top()),
        },
    )


@require_safe
@cached_page
def section(request, slug):
    try:
        current = _kept_row(f"section-row:{slug}", lambda: _section_with_children(slug))
    except Section.DoesNotExist:
        raise Http404 from None
    number = request.GET.get("page")
    page = once(lambda: selectors.articles_for_section(section=current, page=number))
    return render(
        request,
        "public/section.html",
        # The list is a fragment keyed on the page asked for (templatetags/fragments.py).
        {"section": current, "page": page, "page_asked": number or ""},
    )


@require_safe
@cached_page
def article(request, public_id):
    try:
        item = _article_row(public_id)
    except Article.DoesNotExist:
        if selectors.article_status(public_id=public_id) == Article.Status.WITHDRAWN:
            reason = selectors.withdrawn_reason(public_id=public_id)
            return render(request, "public/gone.html", {"reason": reason}, status=410)
        raise Http404 from None
    return render(request, "public/article.html", article_context(item))


def _kept_row(key: str, read):
    """Return ``read()``, kept until the next generation (a publish, update, withdrawal, rename
    or embargo coming due starts one), so a render in between reads nothing."""
    if settings.FRAGMENT_SECONDS <= 0:
        return read()
    return generation.cached(key, read, settings.FRAGMENT_SECONDS)


def _article_row(public_id: str) -> Article:
    return _kept_row(
        f"article-row:{public_id}",
        lambda: selectors.article_for_reader(public_id=public_id, prefetch=False),
    )


def _section_with_children(slug: str) -> Section:
    section = selectors.section_by_slug(slug=slug)
    prefetch_related_objects([section], "children")
    return section


def article_context(item: Article) -> dict[str, object]:
    """Return what the article page shows; the desk's preview renders the same page with it.

    Each part is read when the template first asks for it, so a part that comes from a kept
    fragment (templatetags/fragments.py) costs no query.
    """
    box = once(lambda: related_selectors.box(article=item))
    body = once(
        lambda: bodyhtml.split_after_paragraph(selectors.article_body_html(item), INLINE_SLOT_AFTER)
    )
    return {
        "article": item,
        "reporters": once(lambda: selectors.article_reporters(item)),
        "corrections": once(lambda: selectors.corrections_for(article=item)),
        "body_head": lambda: body()[0],
        "body_tail": lambda: body()[1],
        # Whether the inline banner goes in, without the byline's query: the paragraphs are
        # the same with or without it.
        "body_has_tail": once(
            lambda: bool(bodyhtml.split_after_paragraph(item.body, INLINE_SLOT_AFTER)[1])
        ),
        # The box is kept rendered under its list's version (a publish elsewhere keeps it).
        "related_version": once(lambda: related_selectors.version(article=item)),
        "related": lambda: box()[0],
        "related_total": lambda: box()[1],
        "latest": once(lambda: selectors.latest_articles(limit=LATEST_COUNT, exclude=item)),
        # The desk's preview says True; present, the page's test for it costs no failed lookup.
        "preview": False,
    }


@require_safe
@cached_page
def corrections(request):
    page = selectors.corrections_page(page=request.GET.get("page"))
    return render(request, "public/corrections.html", {"page": page})


@require_safe
@cached_page
def related(request, public_id):
    try:
        item = selectors.article_for_reader(public_id=public_id)
    except Article.DoesNotExist:
        raise Http404 from None
    page = related_selectors.page(article=item, page=request.GET.get("page"))
    return render(request, "public/related.html", {"article": item, "page": page})


@require_safe
@cached_page
def reporter(request, slug):
    try:
        person = selectors.reporter_by_slug(slug=slug)
    except Reporter.DoesNotExist:
        raise Http404 from None
    page = selectors.articles_for_reporter(reporter=person, page=request.GET.get("page"))
    return render(request, "public/reporter.html", {"reporter": person, "page": page})


@require_safe
@cached_page
def keyword(request, name):
    try:
        word = selectors.keyword_by_name(name=name)
    except Keyword.DoesNotExist:
        raise Http404 from None
    page = selectors.articles_for_keyword(keyword=word, page=request.GET.get("page"))
    return render(request, "public/keyword.html", {"keyword": word, "page": page})


@require_safe
@cached_page
def series(request, slug):
    try:
        current = selectors.series_by_slug(slug=slug)
    except Series.DoesNotExist:
        raise Http404 from None
    page = selectors.articles_for_series(series=current, page=request.GET.get("page"))
    return render(request, "public/series.html", {"series": current, "page": page})


@require_safe
@cached_page
def search(request):
    params = request.GET
    outcome = search_selectors.search_articles(
        text=params.get("q", ""),
        section=params.get("section") or None,
        reporter=params.get("reporter") or None,
        since=params.get("from") or None,
        until=params.get("to") or None,
        sort=params.get("sort"),
        page=params.get("page"),
    )
    # A refused query (too long) is the reader's mistake, said on the site's own page.
    status = 400 if outcome.refused else 200
    return render(request, "public/search.html", {"search": outcome}, status=status)


@require_safe
def media(request, path):
    """Serve an uploaded photo (one-process installs, ``SINMUN_SERVE_MEDIA``).

    A path climbing out of the media folder (``/media/../..``) is a probe, not an error of the
    site: it gets the 404 page, where Django's ``serve`` raised ``SuspiciousFileOperation``
    and logged a traceback for each one.
    """
    try:
        return static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:
        raise Http404 from None


REQUEST_TOO_BIG = "보낸 내용이 너무 큽니다 (사진을 빼고 {mb}MB까지 보낼 수 있습니다)."
TOO_MANY_FIELDS = "보낸 항목이 너무 많습니다 ({count:,}개까지 보낼 수 있습니다)."
TOO_MANY_FILES = "한 번에 보낸 파일이 너무 많습니다 ({count:,}개까지 보낼 수 있습니다)."
BAD_REQUEST = "주소나 보낸 내용이 올바르지 않습니다."


def bad_request(request, exception=None):
    """Answer a request Django refused before any view (a body over its limit, too many
    fields) with the site's page saying which limit, not Django's bare English one."""
    if isinstance(exception, RequestDataTooBig):
        reason = REQUEST_TOO_BIG.format(mb=settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024)
    elif isinstance(exception, TooManyFieldsSent):
        reason = TOO_MANY_FIELDS.format(count=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    elif isinstance(exception, TooManyFilesSent):
        reason = TOO_MANY_FILES.format(count=settings.DATA_UPLOAD_MAX_NUMBER_FILES)
    else:
        reason = BAD_REQUEST
    return render(request, "public/bad_request.html", {"reason": reason}, status=400)


def not_found(request, exception=None):
    return render(request, "public/not_found.html", status=404)


def server_error(request):
    return render(request, "public/server_error.html", status=500)
