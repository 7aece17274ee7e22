"""The 관리자 pages' forms: they parse what was sent; the services decide what is valid.

Plain forms, not model forms: a model form would set the posted values on the row before the
service has checked them, and the outlet row is shared through the selectors' cache. Uploads
are the exception that is judged here: a logo or a reporter photo goes through
``photos.clean_upload`` (judged by content, metadata stripped, named by its hash) before a
service stores it, as an article's photos do.
"""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from sinmun.api.models import ApiClient
from sinmun.newsroom import photos, roles
from sinmun.newsroom.models import OutletSettings, Reporter, Section

from . import accounts

OUTLET_FIELDS = (
    "name",
    "title",
    "company",
    "address",
    "phone",
    "registration_number",
    "registration_date",
    "publisher",
    "editor",
    "publication_date",
    "youth_officer",
    "email",
    "feed_full_text",
    "show_approved_time",
)
ROLE_CHOICES = [(r, r) for r in roles.ROLES]
BAD_RANGE = "시작일이 종료일보다 늦습니다."
DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _cleaned_upload(file):
    """Return an upload re-encoded and stripped by ``photos``, or raise its refusal."""
    if not file:
        return file
    try:
        return photos.clean_upload(file)
    except ValidationError as error:
        raise forms.ValidationError(error.messages) from None


class OutletForm(forms.Form):
    logo = forms.FileField(
        label="로고",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text="검색엔진 구조화 데이터의 발행처 로고 (PNG·JPEG·WebP)",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Labels, lengths and help texts come from the model: the legal names live there once.
        fields = forms.fields_for_model(
            OutletSettings,
            fields=OUTLET_FIELDS,
            widgets={
                "registration_date": DATE["widget"],
                "publication_date": DATE["widget"],
            },
        )
        logo = self.fields.pop("logo")
        self.fields.update(fields)
        self.fields["logo"] = logo

    def clean_logo(self):
        return _cleaned_upload(self.cleaned_data["logo"])

    def changes(self) -> dict[str, object]:
        """Return ``outlet_update``'s keyword arguments (the logo only when it changes)."""
        data = dict(self.cleaned_data)
        logo = data.pop("logo")
        if logo is False:  # the "지우기" box of ClearableFileInput
            data["logo"] = ""
        elif logo:
            data["logo"] = logo
        return data


class SectionForm(forms.Form):
    name = forms.CharField(label="이름", max_length=50, required=False)
    slug = forms.SlugField(
        label="슬러그", max_length=60, help_text="주소에 쓰입니다: /section/슬러그/"
    )
    parent = forms.ModelChoiceField(
        label="상위 섹션",
        queryset=Section.objects.filter(parent__isnull=True),
        required=False,
        empty_label="없음 (최상위 섹션)",
    )
    order = forms.IntegerField(label="순서", min_value=0, initial=0)
    # Only 데스크 accounts are offered: one assigned earlier and since made 기자 or stopped
    # (the assignment no longer means anything) is dropped when the section is saved.
    desk_editors = forms.ModelMultipleChoiceField(
        label="담당 데스크",
        queryset=accounts.desk_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="아무도 고르지 않은 데스크는 모든 섹션을 맡습니다.",
    )

    def __init__(self, *args, section: Section | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if section is not None:
            # A section cannot sit under itself (the service refuses it): the list omits it.
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=section.pk)


class SeriesForm(forms.Form):
    name = forms.CharField(label="이름", max_length=50, required=False)
    slug = forms.SlugField(label="슬러그", max_length=60)
    description = forms.CharField(
        label="설명", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReporterForm(forms.Form):
    name = forms.CharField(label="이름", max_length=50, required=False)
    slug = forms.SlugField(
        label="슬러그",
        max_length=60,
        required=False,
        help_text="비우면 새 기자에게 자동으로 붙입니다.",
    )
    title = forms.ChoiceField(label="직함", choices=Reporter.Title.choices)
    email = forms.EmailField(label="이메일", required=False)
    bio = forms.CharField(label="소개", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label="재직", required=False, initial=True)
    photo = forms.FileField(
        label="사진",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    user = forms.ModelChoiceField(
        label="로그인 계정",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="연결 안 함",
        help_text="이 계정으로 로그인한 사람이 이 기자의 기사를 씁니다.",
    )

    def __init__(self, *args, reporter: Reporter | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Accounts not yet linked to another reporter (Reporter.user is one-to-one).
        taken = Reporter.objects.exclude(user=None)
        if reporter is not None:
            taken = taken.exclude(pk=reporter.pk)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk__in=taken.values("user_id"))
            .order_by("first_name", "username")
        )
        self.fields["user"].label_from_instance = _account_label

    def clean_photo(self):
        return _cleaned_upload(self.cleaned_data["photo"])

    def changes(self) -> dict[str, object]:
        """Return the reporter services' keyword arguments (the photo only when it changes)."""
        data = dict(self.cleaned_data)
        if not data["slug"]:  # a new reporter gets one made; an existing one keeps theirs
            del data["slug"]
        photo = data.pop("photo")
        if photo is False:
            data["photo"] = ""
        elif photo:
            data["photo"] = photo
        return data


def _account_label(user) -> str:
    return f"{user.first_name} ({user.get_username()})" if user.first_name else user.get_username()


class AccountCreateForm(forms.Form):
    username = forms.CharField(label="아이디", max_length=150, required=False)
    name = forms.CharField(label="이름", max_length=150, required=False)
    email = forms.CharField(label="이메일", max_length=254, required=False)
    role = forms.ChoiceField(label="역할", choices=ROLE_CHOICES, initial=roles.REPORTER)
    password = forms.CharField(
        label="처음 비밀번호",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="처음 로그인한 뒤 바꾸도록 알려 주세요.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="역할", choices=ROLE_CHOICES)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="새 비밀번호",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class LegalPageForm(forms.Form):
    title = forms.CharField(label="제목", max_length=200, required=False)
    body = forms.CharField(
        label="본문 (HTML)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "class": "code"}),
        help_text="허용된 태그(p, h2, h3, ul, ol, li, a, strong, em 등)만 남습니다.",
    )


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label="이름", max_length=40, help_text=ApiClient._meta.get_field("name").help_text
    )
    scopes = forms.MultipleChoiceField(
        label="권한",
        choices=ApiClient.Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiClient.Scope.READ],
    )
    rate_per_minute = forms.IntegerField(label="분당 요청 한도", initial=60)


class PortalRangeForm(forms.Form):
    start = forms.DateField(label="시작일", **DATE)
    end = forms.DateField(label="종료일 (포함)", **DATE)

    @staticmethod
    def default_range() -> dict[str, object]:
        """Return the last seven KST days, today included (what a review usually asks for)."""
        today = timezone.localdate()
        return {"start": today - timedelta(days=6), "end": today}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(BAD_RANGE)
        return data
