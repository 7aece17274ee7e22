"""Forms of the ads pages in the desk: they parse; ``ads.services`` decides what is valid."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from sinmun.newsroom.models import Section

from ..models import Advertiser, Campaign, Creative
from ..slots import FORMAT_CHOICES, SLOT_CHOICES

BAD_RANGE = "시작일이 종료일보다 늦습니다."
RANGE_TOO_LONG = "기간은 최대 366일입니다."
DATETIME = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}
DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class AdvertiserForm(forms.Form):
    name = forms.CharField(label="광고주", max_length=100)
    contact = forms.CharField(label="담당자", max_length=100, required=False)
    email = forms.EmailField(label="이메일", required=False)
    phone = forms.CharField(label="전화", max_length=40, required=False)
    memo = forms.CharField(label="메모", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CampaignForm(forms.Form):
    name = forms.CharField(label="캠페인 이름", max_length=120)
    is_house = forms.BooleanField(
        label="자사 광고 (유료 광고가 없을 때 채움, 한도 없음)", required=False
    )
    advertiser = forms.ModelChoiceField(
        label="광고주", queryset=Advertiser.objects.all(), required=False, empty_label="(없음)"
    )
    status = forms.ChoiceField(label="상태", choices=Campaign.Status.choices)
    starts_at = forms.DateTimeField(label="시작", **DATETIME)
    ends_at = forms.DateTimeField(
        label="종료", required=False, help_text="자사 광고는 비워 두면 계속 나갑니다.", **DATETIME
    )
    priority = forms.IntegerField(
        label="우선순위", min_value=1, max_value=10, initial=5, help_text="높은 숫자가 먼저 (1–10)"
    )
    weight = forms.IntegerField(
        label="가중치",
        min_value=1,
        max_value=100,
        initial=10,
        help_text="같은 우선순위끼리 나눠 갖는 비율",
    )
    daily_cap = forms.IntegerField(
        label="하루 노출 한도", min_value=1, required=False, help_text="비우면 없음"
    )
    total_cap = forms.IntegerField(
        label="전체 노출 한도", min_value=1, required=False, help_text="비우면 없음"
    )
    device = forms.ChoiceField(label="기기", choices=Campaign.Device.choices)
    slots = forms.MultipleChoiceField(
        label="광고 자리",
        choices=SLOT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="고르지 않으면 소재의 형태가 맞는 모든 자리",
    )
    sections = forms.ModelMultipleChoiceField(
        label="섹션",
        queryset=Section.objects.select_related("parent"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="고르지 않으면 모든 면 (상위 섹션을 고르면 하위 섹션에도 나감)",
    )


class CreativeForm(forms.Form):
    name = forms.CharField(label="소재 이름", max_length=120)
    format = forms.ChoiceField(label="형태", choices=FORMAT_CHOICES)
    kind = forms.ChoiceField(label="종류", choices=Creative.Kind.choices)
    image_mobile = forms.FileField(
        label="휴대폰 이미지",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text="띠 320×100, 사각 300×250, 하단 고정 320×50 (또는 두 배 크기)",
    )
    image_desktop = forms.FileField(
        label="PC 이미지",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text="띠 728×90, 사각 300×250 (사각은 비우면 휴대폰 이미지를 씀)",
    )
    alt_text = forms.CharField(label="대체 텍스트", max_length=200, required=False)
    link_url = forms.CharField(label="연결 주소", max_length=500, required=False)
    html = forms.CharField(
        label="HTML·외부 태그",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="격리된 iframe 안에서만 실행됩니다. 클릭 집계 주소는 %%CLICK_URL%%",
    )
    active = forms.BooleanField(label="사용", required=False, initial=True)


class ReportForm(forms.Form):
    start = forms.DateField(label="시작일", **DATE)
    end = forms.DateField(label="종료일", **DATE)
    campaign = forms.ModelChoiceField(
        label="캠페인", queryset=Campaign.objects.all(), required=False, empty_label="(모두)"
    )

    @staticmethod
    def default_range() -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(days=29), "end": today}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(BAD_RANGE)
            if (end - start).days > 366:
                raise forms.ValidationError(RANGE_TOO_LONG)
        return data
