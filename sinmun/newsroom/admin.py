"""The interim desk: Django's admin in Korean, every article write routed through ``services``.

A full desk (기자 → 송고 → 데스크 → 출고 workflow screens) is its own issue; until then the admin
lets an editor fix the outlet's legal block, sections, reporters and articles, and publish or
withdraw, with the same permission checks and revisions as every other interface.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import services
from .models import (
    Article,
    ArticleRevision,
    Keyword,
    OutletSettings,
    Reporter,
    Section,
    Series,
)


@admin.register(OutletSettings)
class OutletSettingsAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "registration_number", "publisher", "editor"]

    def has_add_permission(self, request):
        return not OutletSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.outlet_update(by=request.user, **form.cleaned_data)


class NeverDeleteAdmin(admin.ModelAdmin):
    """An admin that offers no delete, neither on a row nor as a list action.

    Articles are withdrawn (their URL answers 410) and keep their revisions; sections, series
    and reporters are referred to by articles and bylines (PROTECT), and a keyword's articles
    would silently lose it. A reporter who left is marked 재직 off; a section is renamed or moved.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ThroughServicesAdmin(NeverDeleteAdmin):
    """An admin whose saves call the newsroom's services."""

    def changed_fields(self, form) -> dict[str, object]:
        return {name: form.cleaned_data[name] for name in form.changed_data}

    def save_model(self, request, obj, form, change):
        try:
            saved = self.save_through_services(request.user, obj, form, change)
        except ValidationError as error:
            # Checked again by the service inside its transaction; shown, never a 500.
            raise PermissionDenied(" ".join(error.messages)) from None
        if saved is not obj:
            for field in obj._meta.concrete_fields:
                setattr(obj, field.attname, getattr(saved, field.attname))
            obj._state = saved._state

    def save_through_services(self, user, obj, form, change):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        """Every field was saved by the service; nothing is left to save."""


class NameForm(forms.ModelForm):
    """Clean the name as the service will, so a refusal is shown on the form, not as a 403."""

    def clean_name(self):
        return services.clean_name(self.cleaned_data["name"])


class SectionForm(NameForm):
    class Meta:
        model = Section
        fields = ["name", "slug", "parent", "order"]

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        try:
            if parent is not None:
                services.section_check_place(section=self.instance, parent=parent)
        except ValidationError as error:
            self.add_error("parent", error)
        return data


@admin.register(Section)
class SectionAdmin(ThroughServicesAdmin):
    form = SectionForm
    list_display = ["__str__", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}

    def save_through_services(self, user, obj, form, change):
        if change:
            return services.section_update(by=user, section=obj, **self.changed_fields(form))
        return services.section_create(by=user, **form.cleaned_data)


class SeriesForm(NameForm):
    class Meta:
        model = Series
        fields = ["name", "slug", "description"]


class ReporterForm(NameForm):
    class Meta:
        model = Reporter
        fields = ["name", "slug", "title", "email", "bio", "active", "photo", "user"]


class KeywordForm(forms.ModelForm):
    class Meta:
        model = Keyword
        fields = ["name"]

    def clean_name(self):
        name = services.clean_keyword(self.cleaned_data["name"])
        # The unique check compares what was typed; two spaces inside make another string
        # that cleans to a name already taken.
        if Keyword.objects.filter(name=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError(services.KEYWORD_EXISTS, code="keyword")
        return name


@admin.register(Series)
class SeriesAdmin(ThroughServicesAdmin):
    form = SeriesForm
    list_display = ["name", "slug"]

    def save_through_services(self, user, obj, form, change):
        if change:
            return services.series_update(by=user, series=obj, **self.changed_fields(form))
        return services.series_create(by=user, **form.cleaned_data)


@admin.register(Reporter)
class ReporterAdmin(ThroughServicesAdmin):
    form = ReporterForm
    list_display = ["name", "title", "email", "active"]
    list_filter = ["title", "active"]
    search_fields = ["name", "email"]

    def save_through_services(self, user, obj, form, change):
        if change:
            return services.reporter_update(by=user, reporter=obj, **self.changed_fields(form))
        fields = {k: v for k, v in form.cleaned_data.items() if k not in {"photo", "user"}}
        reporter = services.reporter_create(by=user, **fields)
        extra = {k: form.cleaned_data[k] for k in ("photo", "user") if form.cleaned_data.get(k)}
        if extra:
            reporter = services.reporter_update(by=user, reporter=reporter, **extra)
        return reporter


@admin.register(Keyword)
class KeywordAdmin(ThroughServicesAdmin):
    form = KeywordForm
    search_fields = ["name"]

    def save_through_services(self, user, obj, form, change):
        if change:
            return services.keyword_rename(by=user, keyword=obj, name=form.cleaned_data["name"])
        return services.keyword_create(by=user, name=form.cleaned_data["name"])


# The model fields an editor sets on the form; the admin rebuilds ``Meta.fields`` for its own
# subclass of the form, so the list is kept here rather than read back from ``Meta``.
EDITABLE_FIELDS = [
    "headline", "body", "section", "series", "is_top",
    "lead_photo", "lead_photo_caption", "lead_photo_credit",
]  # fmt: skip


class ArticleForm(forms.ModelForm):
    subheadlines_text = forms.CharField(
        label="부제", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="한 줄에 하나씩, 최대 6줄",
    )  # fmt: skip
    reporters = forms.ModelMultipleChoiceField(
        label="기자", queryset=Reporter.objects.filter(active=True), required=False
    )
    keywords_text = forms.CharField(label="키워드", required=False, help_text="쉼표로 구분")

    class Meta:
        model = Article
        fields = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["subheadlines_text"] = "\n".join(self.instance.subheadlines)
            self.initial["reporters"] = [b.reporter_id for b in self.instance.bylines.all()]
            self.initial["keywords_text"] = ", ".join(k.name for k in self.instance.keywords.all())

    # The services check again on save; checking here too shows errors on the form instead
    # of failing the request.
    def clean_headline(self):
        return services.clean_headline(self.cleaned_data["headline"])

    def clean_body(self):
        services.clean_body(self.cleaned_data["body"])
        return self.cleaned_data["body"]

    def clean_lead_photo(self):
        photo = self.cleaned_data.get("lead_photo")
        if photo and "lead_photo" in self.changed_data:
            services.clean_photo(photo)
        return photo

    def clean_subheadlines_text(self):
        return services.clean_subheadlines(self.cleaned_data["subheadlines_text"])

    def clean_keywords_text(self):
        names = [n for n in (p.strip() for p in self.cleaned_data["keywords_text"].split(",")) if n]
        return [services.clean_keyword(n) for n in names]

    def article_fields(self) -> dict[str, object]:
        data = self.cleaned_data
        fields = {name: data[name] for name in EDITABLE_FIELDS if name != "lead_photo"}
        fields["subheadlines"] = data["subheadlines_text"]
        fields["keywords"] = data["keywords_text"]
        fields["reporters"] = list(data["reporters"])
        if data.get("lead_photo") and "lead_photo" in self.changed_data:
            fields["lead_photo"] = data["lead_photo"]
        return fields


@admin.register(Article)
class ArticleAdmin(NeverDeleteAdmin):
    form = ArticleForm
    list_display = ["headline", "section", "status", "first_published_at", "updated_at"]
    list_filter = ["status", "section"]
    search_fields = ["headline", "uri", "public_id"]
    date_hierarchy = "first_published_at"
    actions = ["publish", "withdraw"]
    readonly_fields = ["status", "public_id", "uri", "first_published_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        fields = form.article_fields()
        if change:
            form.instance = services.article_update(article=obj, by=request.user, **fields)
        else:
            created = services.article_create(by=request.user, **fields)
            # The admin goes on using ``obj`` for its message, log entry and redirect.
            for field in Article._meta.concrete_fields:
                setattr(obj, field.attname, getattr(created, field.attname))
            obj._state = created._state
            form.instance = created

    def save_related(self, request, form, formsets, change):
        """Bylines and keywords were linked by the service; nothing is left to save."""

    def _run(self, request, queryset, action, done, **extra):
        count = 0
        for article in queryset:
            try:
                action(article=article, by=request.user, **extra)
                count += 1
            except PermissionDenied as error:
                self.message_user(request, f"{article}: {error}", messages.ERROR)
            except ValidationError as error:
                self.message_user(request, f"{article}: {' '.join(error.messages)}", messages.ERROR)
        if count:
            self.message_user(request, f"{count}건을 {done}했습니다.", messages.SUCCESS)

    @admin.action(description="선택한 기사 출고")
    def publish(self, request, queryset):
        self._run(request, queryset, services.article_publish, "출고")

    @admin.action(description="선택한 기사 회수")
    def withdraw(self, request, queryset):
        reason = "관리 화면에서 회수"  # the desk asks for a reason; this list action cannot
        self._run(request, queryset, services.article_withdraw, "회수", reason=reason)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "action", "done_by", "at"]
    list_filter = ["action"]

    @admin.display(description="작업자")
    def done_by(self, revision):
        return revision.done_by

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
