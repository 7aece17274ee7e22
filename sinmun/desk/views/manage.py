"""The 관리자 pages of the desk (issue #10 item 1, issue #11): the outlet and its legal block,
sections and their desks, 연재, reporters, accounts, the portal list, the legal pages, API
clients.

Every view is ``admin_required``, parses the request with a form from ``manage_forms``, calls
one service (the newsroom's, ``pages``', ``api``'s or ``desk.accounts``) and shows the
outcome: a refusal from a service comes back as the form's errors with status 400.
"""

from itertools import islice

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sinmun.api import services as api_services
from sinmun.api.models import ApiClient
from sinmun.newsroom import selectors as newsroom_selectors
from sinmun.newsroom import services
from sinmun.newsroom.models import Reporter, Section, Series
from sinmun.pages import selectors as pages_selectors
from sinmun.pages import services as pages_services
from sinmun.pages.models import LegalPage
from sinmun.syndication import portal

from .. import accounts
from .. import manage_forms as forms
from ..permissions import admin_required

SAVED = "저장했습니다."
CREATED = "{name}을(를) 만들었습니다."
ROLE_SET = "{user}의 역할을 {role}(으)로 바꿨습니다."
DEACTIVATED = "{user} 계정을 정지했습니다. 이제 로그인할 수 없습니다."
REACTIVATED = "{user} 계정을 다시 쓸 수 있게 했습니다."
PASSWORD_SET = "{user}의 비밀번호를 바꿨습니다."  # noqa: S105 (a message)
LEGAL_RESET = "{title}을(를) 기본 문구로 되돌렸습니다."
REVOKED = "{name} 클라이언트를 폐기했습니다. 이 토큰은 더 이상 쓸 수 없습니다."
# The table shows the start of a long range; the CSV always carries all of it.
PORTAL_TABLE_LIMIT = 500


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return
    field = getattr(error, "code", None)
    for message in error.messages:
        form.add_error(field if field in form.fields else None, message)


def _page(request, template: str, context: dict, *, failed: bool = False):
    return render(request, f"desk/manage/{template}", context, status=400 if failed else 200)


def _attempt(form, action) -> bool:
    """Run ``action(form)``, a service call, if ``form`` is valid; return whether it succeeded."""
    if not form.is_valid():
        return False
    try:
        action(form)
    except ValidationError as error:
        _show_errors(form, error)
        return False
    return True


@require_safe
@admin_required
def index(request):
    return _page(request, "index.html", {})


# 매체·법정 정보 -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def outlet(request):
    current = newsroom_selectors.outlet()
    initial = {name: getattr(current, name) for name in (*forms.OUTLET_FIELDS, "logo")}
    form = forms.OutletForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if _attempt(form, lambda f: services.outlet_update(by=request.user, **f.changes())):
            messages.success(request, SAVED)
            return redirect("desk:manage:outlet")
    return _page(
        request, "outlet.html", {"form": form, "current": current}, failed=request.method == "POST"
    )


# 섹션 --------------------------------------------------------------------------------------


@require_safe
@admin_required
def sections(request):
    rows = Section.objects.select_related("parent").prefetch_related("desk_editors")
    tops = [s for s in rows if s.parent_id is None]
    children = {s.pk: [c for c in rows if c.parent_id == s.pk] for s in tops}
    return _page(request, "sections.html", {"tops": [(s, children[s.pk]) for s in tops]})


def _section_save(request, section: Section | None):
    def save(form):
        data = form.cleaned_data
        fields = {k: data[k] for k in ("name", "slug", "parent", "order")}
        # Two services, one form: the section and its desks are saved together or not at all.
        with transaction.atomic():
            if section is None:
                saved = services.section_create(by=request.user, **fields)
            else:
                saved = services.section_update(by=request.user, section=section, **fields)
            services.section_set_desk_editors(
                by=request.user, section=saved, users=data["desk_editors"]
            )

    return save


@require_http_methods(["GET", "POST"])
@admin_required
def section_edit(request, pk: int | None = None):
    section = get_object_or_404(Section, pk=pk) if pk is not None else None
    initial = {}
    if section is not None:
        initial = {
            "name": section.name,
            "slug": section.slug,
            "parent": section.parent_id,
            "order": section.order,
            "desk_editors": list(section.desk_editors.values_list("pk", flat=True)),
        }
    form = forms.SectionForm(request.POST or None, initial=initial, section=section)
    if request.method == "POST" and _attempt(form, _section_save(request, section)):
        messages.success(request, SAVED if section else CREATED.format(name="섹션"))
        return redirect("desk:manage:sections")
    return _page(
        request,
        "section_form.html",
        {"form": form, "section": section},
        failed=request.method == "POST",
    )


# 연재 --------------------------------------------------------------------------------------


@require_safe
@admin_required
def series_list(request):
    return _page(request, "series.html", {"rows": Series.objects.all()})


@require_http_methods(["GET", "POST"])
@admin_required
def series_edit(request, pk: int | None = None):
    series = get_object_or_404(Series, pk=pk) if pk is not None else None
    initial = {}
    if series is not None:
        initial = {"name": series.name, "slug": series.slug, "description": series.description}
    form = forms.SeriesForm(request.POST or None, initial=initial)

    def save(form):
        data = form.cleaned_data
        if series is None:
            services.series_create(by=request.user, **data)
        else:
            services.series_update(by=request.user, series=series, **data)

    if request.method == "POST" and _attempt(form, save):
        messages.success(request, SAVED if series else CREATED.format(name="연재"))
        return redirect("desk:manage:series")
    return _page(
        request,
        "series_form.html",
        {"form": form, "series": series},
        failed=request.method == "POST",
    )


# 기자 --------------------------------------------------------------------------------------


@require_safe
@admin_required
def reporters(request):
    rows = Reporter.objects.select_related("user").order_by("-active", "name", "id")
    return _page(request, "reporters.html", {"rows": rows})


def _reporter_save(request, reporter: Reporter | None):
    def save(form):
        changes = form.changes()
        if reporter is not None:
            services.reporter_update(by=request.user, reporter=reporter, **changes)
            return
        # reporter_create takes the plain fields; the photo and the account are set by
        # reporter_update in the same transaction, so a refused account leaves no half-made row.
        extra = {k: v for k in ("photo", "user") if (v := changes.pop(k, None))}
        with transaction.atomic():
            created = services.reporter_create(by=request.user, **changes)
            if extra:
                services.reporter_update(by=request.user, reporter=created, **extra)

    return save


@require_http_methods(["GET", "POST"])
@admin_required
def reporter_edit(request, pk: int | None = None):
    reporter = get_object_or_404(Reporter, pk=pk) if pk is not None else None
    initial = {"active": True}
    if reporter is not None:
        initial = {
            f: getattr(reporter, f) for f in ("name", "slug", "title", "email", "bio", "active")
        }
        initial.update(user=reporter.user_id, photo=reporter.photo)
    form = forms.ReporterForm(
        request.POST or None, request.FILES or None, initial=initial, reporter=reporter
    )
    if request.method == "POST" and _attempt(form, _reporter_save(request, reporter)):
        messages.success(request, SAVED if reporter else CREATED.format(name="기자"))
        return redirect("desk:manage:reporters")
    return _page(
        request,
        "reporter_form.html",
        {"form": form, "reporter": reporter},
        failed=request.method == "POST",
    )


# 계정 --------------------------------------------------------------------------------------


@require_safe
@admin_required
def account_list(request):
    return _page(request, "accounts.html", {"rows": accounts.accounts()})


@require_http_methods(["GET", "POST"])
@admin_required
def account_new(request):
    form = forms.AccountCreateForm(request.POST or None)
    if request.method == "POST" and _attempt(
        form, lambda f: accounts.account_create(by=request.user, **f.cleaned_data)
    ):
        messages.success(request, CREATED.format(name=form.cleaned_data["username"]))
        return redirect("desk:manage:accounts")
    return _page(request, "account_new.html", {"form": form}, failed=request.method == "POST")


def _account(pk: int):
    return get_object_or_404(
        get_user_model().objects.prefetch_related("groups").select_related("reporter"), pk=pk
    )


def _account_page(request, user, *, failed: bool = False, **forms_):
    context = {
        "account": user,
        "role": accounts.role_from_groups(user),
        "role_form": forms.RoleForm(initial={"role": accounts.role_from_groups(user)}),
        "password_form": forms.PasswordForm(),
        "is_self": user.pk == request.user.pk,
        **forms_,
    }
    return _page(request, "account.html", context, failed=failed)


@require_safe
@admin_required
def account_detail(request, pk: int):
    return _account_page(request, _account(pk))


@require_POST
@admin_required
def account_role(request, pk: int):
    user = _account(pk)
    form = forms.RoleForm(request.POST)
    if _attempt(
        form, lambda f: accounts.account_set_role(by=request.user, user=user, **f.cleaned_data)
    ):
        name = user.get_username()
        messages.success(request, ROLE_SET.format(user=name, role=form.cleaned_data["role"]))
        return redirect("desk:manage:account", pk=user.pk)
    return _account_page(request, user, failed=True, role_form=form)


@require_POST
@admin_required
def account_active(request, pk: int):
    user = _account(pk)
    active = request.POST.get("active") == "1"
    try:
        accounts.account_set_active(by=request.user, user=user, active=active)
    except ValidationError as error:
        return _account_page(request, user, failed=True, active_errors=error.messages)
    message = REACTIVATED if active else DEACTIVATED
    messages.success(request, message.format(user=user.get_username()))
    return redirect("desk:manage:account", pk=user.pk)


@require_POST
@admin_required
def account_password(request, pk: int):
    user = _account(pk)
    form = forms.PasswordForm(request.POST)
    if _attempt(
        form, lambda f: accounts.account_set_password(by=request.user, user=user, **f.cleaned_data)
    ):
        if user.pk == request.user.pk:
            # A new password ends the user's other sessions; this one stays signed in.
            update_session_auth_hash(request, user)
        messages.success(request, PASSWORD_SET.format(user=user.get_username()))
        return redirect("desk:manage:account", pk=user.pk)
    return _account_page(request, user, failed=True, password_form=form)


# 포털 제출 목록 ------------------------------------------------------------------------------


@require_safe
@admin_required
def portal_list(request):
    form = forms.PortalRangeForm(request.GET or None, initial=forms.PortalRangeForm.default_range())
    if not request.GET:
        return _page(request, "portal.html", {"form": form})
    if not form.is_valid():
        return _page(request, "portal.html", {"form": form}, failed=True)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = portal.portal_rows(start=start, end=end, request=request)
    if request.GET.get("format") == "csv":
        # The same lines as `sinmun export-articles` (portal.csv_lines), streamed.
        response = StreamingHttpResponse(
            portal.csv_lines(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="articles-{start}-{end}.csv"'
        return response
    shown = list(islice(rows, PORTAL_TABLE_LIMIT + 1))
    context = {
        "form": form,
        "rows": shown[:PORTAL_TABLE_LIMIT],
        "more": len(shown) > PORTAL_TABLE_LIMIT,
        "limit": PORTAL_TABLE_LIMIT,
        "header": portal.HEADER,
        "start": start,
        "end": end,
    }
    return _page(request, "portal.html", context)


# 법정 페이지 ---------------------------------------------------------------------------------


@require_safe
@admin_required
def legal_list(request):
    pages = [pages_selectors.legal_page(slug=slug) for slug in LegalPage.Slug.values]
    labels = dict(LegalPage.Slug.choices)
    return _page(request, "legal.html", {"rows": [(p, labels[p.slug]) for p in pages]})


@require_http_methods(["GET", "POST"])
@admin_required
def legal_edit(request, slug: str):
    try:
        page = pages_selectors.legal_page(slug=slug)
    except LegalPage.DoesNotExist:
        raise Http404 from None
    form = forms.LegalPageForm(
        request.POST or None, initial={"title": page.title, "body": page.body}
    )
    if request.method == "POST" and _attempt(
        form,
        lambda f: pages_services.legal_page_update(slug=slug, by=request.user, **f.cleaned_data),
    ):
        messages.success(request, SAVED)
        return redirect("desk:manage:legal")
    context = {"form": form, "page": page, "label": LegalPage.Slug(slug).label}
    return _page(request, "legal_form.html", context, failed=request.method == "POST")


@require_POST
@admin_required
def legal_reset(request, slug: str):
    if slug not in LegalPage.Slug.values:
        raise Http404
    pages_services.legal_page_reset(slug=slug, by=request.user)
    messages.success(request, LEGAL_RESET.format(title=LegalPage.Slug(slug).label))
    return redirect("desk:manage:legal")


# API 토큰 ----------------------------------------------------------------------------------


@require_safe
@admin_required
def api_clients(request):
    rows = ApiClient.objects.select_related("created_by", "revoked_by").order_by(
        "revoked_at", "name"
    )
    return _page(request, "api_clients.html", {"rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
@admin_required
def api_client_new(request):
    form = forms.ApiClientForm(request.POST or None)
    created = {}

    def create(f):
        created["client"], created["token"] = api_services.api_client_create(
            by=request.user, **f.cleaned_data
        )

    if request.method == "POST" and _attempt(form, create):
        # Rendered, not redirected: the token is shown this once and stored nowhere (only its
        # hash is), so no later page could show it; never_cache keeps it out of caches.
        return _page(request, "api_client_token.html", created)
    return _page(request, "api_client_new.html", {"form": form}, failed=request.method == "POST")


@require_POST
@admin_required
def api_client_revoke(request, pk: int):
    client = get_object_or_404(ApiClient, pk=pk)
    try:
        api_services.api_client_revoke(by=request.user, client=client)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, REVOKED.format(name=client.name))
    return redirect("desk:manage:api-clients")
