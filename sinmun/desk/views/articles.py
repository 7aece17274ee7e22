"""The editor and the workflow buttons: each view parses the request, calls one service, and
shows the outcome. Refusals from the services come back as the form's errors (invalid input),
a stale-version page (someone saved first), or 403 (wrong role)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sinmun.newsroom import access, photos, presence, services
from sinmun.newsroom.models import Article, Autosave, PendingChange
from sinmun.public.views import article_context

from .. import comparing, selectors
from ..forms import ArticleForm, MemoForm, ScheduleForm
from ..permissions import desk_required

SAVED = "저장했습니다."
PROPOSED = "수정안을 데스크에 보냈습니다. 데스크가 출고해야 독자에게 보입니다."
DONE = {
    "submit": "송고했습니다.",
    "publish": "출고했습니다.",
    "schedule": "예약했습니다.",
    "unschedule": "예약을 취소하고 송고 대기로 돌렸습니다.",
    "return": "반려했습니다.",
    "withdraw": "기사를 회수했습니다.",
    "pending_release": "수정안을 출고했습니다.",
    "pending_return": "수정안을 반려했습니다.",
}
NOTHING_TO_AUTOSAVE = "자동 저장할 내용이 없습니다."


def _article(request, pk: int) -> Article:
    try:
        article = Article.objects.select_related("section", "series", "owner").get(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None
    if not selectors.may_open(request.user, article):
        raise PermissionDenied(services.NOT_ALLOWED_TO_EDIT)
    return article


def _initial(article: Article) -> dict[str, object]:
    return {
        "headline": article.headline,
        "subheadlines": "\n".join(article.subheadlines),
        "body": article.body,
        "section": article.section_id,
        "series": article.series_id,
        "keywords": ", ".join(k.name for k in article.keywords.all()),
        "lead_photo_caption": article.lead_photo_caption,
        "lead_photo_credit": article.lead_photo_credit,
        "is_top": article.is_top,
        "base_version": article.version,
    }


def _autosave_initial(saved: Autosave) -> dict[str, object]:
    """Return an autosave's text as the editor form's initial values (부제 one per line)."""
    return {
        **{k: v for k, v in saved.fields.items() if k != "subheadlines"},
        "subheadlines": "\n".join(saved.fields.get("subheadlines") or []),
    }


def _reporter_ids(article: Article | None) -> list[str]:
    if article is None:
        return []
    return [str(b.reporter_id) for b in article.bylines.order_by("order", "id")]


def _messages_by_field(form: ArticleForm, error: ValidationError) -> None:
    field = getattr(error, "code", None)
    for message in error.messages:
        form.add_error(field if field in form.fields else None, message)


def _editor(request, form: ArticleForm, article: Article | None, **extra) -> object:
    user = request.user
    autosave = None
    if request.method == "GET":
        autosave = Autosave.objects.filter(article=article, user=user).first()
        if article is not None and autosave and autosave.at <= article.modified_at:
            autosave = None
    context = {
        "form": form,
        "article": article,
        "byline": form.reporters(),
        "all_reporters": selectors.active_reporters(),
        "autosave": autosave,
        "may_release": article is not None and access.may_release_article(user, article),
        "may_edit": article is None or access.may_edit_article(user, article),
        "proposing": article is not None and not access.may_edit_article(user, article),
        "pending": PendingChange.objects.filter(article=article).select_related("by").first()
        if article is not None
        else None,
        "memo": selectors.last_memo(article) if article is not None else None,
        "schedule_form": ScheduleForm(),
        "memo_form": MemoForm(),
        **extra,
    }
    return render(request, "desk/editor.html", context, status=extra.get("status", 200))


def _after_save(request, article: Article, intent: str, version: int) -> None:
    """Run the workflow step the editor's button asked for after a save."""
    if intent == "submit":
        services.article_submit(article=article, by=request.user, base_version=version)
    elif intent == "publish":
        services.article_publish(article=article, by=request.user, base_version=version)
    else:
        return
    messages.success(request, DONE[intent])


@require_http_methods(["GET", "POST"])
@desk_required
def new(request):
    if not access.may_create_article(request.user):
        raise PermissionDenied(services.NOT_ALLOWED_TO_EDIT)
    reporter_ids = request.POST.getlist("reporters") if request.method == "POST" else []
    initial = {}
    if request.method == "GET":
        mine = getattr(request.user, "reporter", None)
        reporter_ids = [str(mine.pk)] if mine else []
        saved = Autosave.objects.filter(article=None, user=request.user).first()
        if request.GET.get("autosave") and saved:
            initial = _autosave_initial(saved)
    form = ArticleForm(
        request.POST or None, request.FILES or None, initial=initial, reporter_ids=reporter_ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                by=request.user,
                **form.changes(may_mark_top=request.user.has_perm("newsroom.publish_article")),
            )
            _after_save(request, article, request.POST.get("intent", "save"), article.version)
        except ValidationError as error:
            _messages_by_field(form, error)
        else:
            if request.POST.get("intent", "save") == "save":
                messages.success(request, SAVED)
            return redirect("desk:edit", pk=article.pk)
    return _editor(request, form, None, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@desk_required
def edit(request, pk: int):
    article = _article(request, pk)
    if request.method == "GET":
        initial = _initial(article)
        if request.GET.get("autosave"):
            saved = Autosave.objects.filter(article=article, user=request.user).first()
            if saved:
                initial.update(_autosave_initial(saved))
        form = ArticleForm(initial=initial, reporter_ids=_reporter_ids(article))
        return _editor(request, form, article)
    form = ArticleForm(request.POST, request.FILES, reporter_ids=request.POST.getlist("reporters"))
    if not form.is_valid():
        return _editor(request, form, article, status=400)
    intent = request.POST.get("intent", "save")
    base = form.cleaned_data["base_version"]
    changes = form.changes(may_mark_top=access.may_release_article(request.user, article))
    try:
        if access.may_edit_article(request.user, article):
            article = services.article_update(
                article=article, by=request.user, base_version=base, **changes
            )
            _after_save(request, article, intent, article.version)
            if intent == "save":
                messages.success(request, SAVED)
        else:
            services.article_propose_change(
                article=article, by=request.user, base_version=base, **changes
            )
            messages.success(request, PROPOSED)
    except services.StaleVersion as stale:
        current = Article.objects.get(pk=article.pk)
        mine = {
            "headline": form.cleaned_data["headline"],
            "subheadlines": form.cleaned_data["subheadlines"].splitlines(),
            "body": form.cleaned_data["body"],
        }
        theirs = {
            "headline": current.headline,
            "subheadlines": current.subheadlines,
            "body": current.body,
        }
        # The writer's text stays in the form; the next save is based on the current version,
        # so it goes through once they have merged what they want to keep.
        data = request.POST.copy()
        data["base_version"] = str(stale.current)
        form = ArticleForm(data, reporter_ids=request.POST.getlist("reporters"))
        form.is_valid()
        return _editor(
            request,
            form,
            current,
            stale=stale,
            comparison=comparing.compare(theirs, mine),
            status=409,
        )
    except ValidationError as error:
        _messages_by_field(form, error)
        return _editor(request, form, article, status=400)
    return redirect("desk:edit", pk=article.pk)


@require_POST
@desk_required
def act(request, pk: int, action: str):
    article = _article(request, pk)
    by = request.user
    base = request.POST.get("base_version")
    base = int(base) if base and base.isdigit() else None
    try:
        if action == "submit":
            services.article_submit(article=article, by=by, base_version=base)
        elif action == "publish":
            services.article_publish(article=article, by=by, base_version=base)
        elif action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["at"][0] if "at" in form.errors else "")
            services.article_publish(
                article=article,
                by=by,
                at=form.cleaned_data["at"],
                embargo=form.cleaned_data["embargo"],
                base_version=base,
            )
        elif action == "unschedule":
            services.article_unschedule(article=article, by=by, base_version=base)
        elif action == "return":
            services.article_return(
                article=article, by=by, memo=request.POST.get("memo", ""), base_version=base
            )
        elif action == "withdraw":
            services.article_withdraw(
                article=article, by=by, reason=request.POST.get("memo", ""), base_version=base
            )
        elif action == "pending_release":
            services.pending_release(article=article, by=by)
        elif action == "pending_return":
            services.pending_return(article=article, by=by, memo=request.POST.get("memo", ""))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("desk:edit", pk=article.pk)
    messages.success(request, DONE[action])
    if action == "withdraw" or not selectors.may_open(by, Article.objects.get(pk=article.pk)):
        return redirect("desk:dashboard")
    return redirect("desk:edit", pk=article.pk)


@require_safe
@desk_required
def preview(request, pk: int):
    """Show the article exactly as the public page renders it (the held 수정안 with ?pending)."""
    article = _article(request, pk)
    item = Article.objects.select_related("section", "section__parent", "series").get(pk=pk)
    pending = PendingChange.objects.filter(article=article).first()
    if request.GET.get("pending") and pending:
        fields = services.pending_fields(pending)
        for name in ("headline", "subheadlines", "section", "series", "lead_photo_caption"):
            if name in fields:
                setattr(item, name, fields[name])
        if "body" in fields:
            item.body, item.body_text = services.clean_body(fields["body"])
    if item.first_published_at is None:
        item.first_published_at = timezone.now()
    context = article_context(item)
    context["preview"] = True
    return render(request, "public/article.html", context)


@require_POST
@desk_required
def autosave(request, pk: int | None = None):
    article = _article(request, pk) if pk is not None else None
    fields = {
        "headline": request.POST.get("headline", ""),
        "subheadlines": request.POST.get("subheadlines", "").splitlines(),
        "body": request.POST.get("body", ""),
        "lead_photo_caption": request.POST.get("lead_photo_caption", ""),
        "lead_photo_credit": request.POST.get("lead_photo_credit", ""),
    }
    if not any(fields.values()):
        return JsonResponse({"error": NOTHING_TO_AUTOSAVE}, status=400)
    base = request.POST.get("base_version")
    try:
        row = services.autosave_store(
            by=request.user,
            article=article,
            fields=fields,
            base_version=int(base) if base and base.isdigit() else None,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"at": timezone.localtime(row.at).strftime("%H:%M:%S")})


@require_POST
@desk_required
def heartbeat(request, pk: int):
    article = _article(request, pk)
    user = request.user
    name = getattr(getattr(user, "reporter", None), "name", None) or user.get_username()
    if request.POST.get("leave"):
        presence.leave(article_id=article.pk, user_id=user.pk)
        return JsonResponse({"others": []})
    presence.touch(article_id=article.pk, user_id=user.pk, name=name)
    current = Article.objects.values_list("version", flat=True).get(pk=article.pk)
    return JsonResponse(
        {"others": presence.others(article_id=article.pk, user_id=user.pk), "version": current}
    )


@require_POST
@desk_required
def photo(request):
    """Store an inline photo for the body editor; answer its URL (or the refusal)."""
    if not access.may_create_article(request.user):
        raise PermissionDenied(services.NOT_ALLOWED_TO_EDIT)
    upload = request.FILES.get("photo")
    if upload is None:
        return JsonResponse({"error": "사진 파일을 고르세요."}, status=400)
    try:
        name = photos.store_upload(upload)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"url": default_storage.url(name), "name": name})
