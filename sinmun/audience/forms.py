"""The desk statistics' filters: a date range (KST days), day or week columns, a section."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from sinmun.newsroom.models import Section

BAD_RANGE = "시작일이 종료일보다 늦습니다."
TOO_LONG = "기간은 최대 {days}일까지 볼 수 있습니다."
MAX_DAYS = 92
DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
UNITS = (("day", "일별"), ("week", "주별"))
KINDS = ("articles", "reporters", "sections", "referrers")
BAD_KIND = "내려받을 표를 고르세요 (기사, 기자, 섹션, 유입 경로)."


class StatsForm(forms.Form):
    start = forms.DateField(label="시작일", **DATE)
    end = forms.DateField(label="종료일 (포함)", **DATE)
    unit = forms.ChoiceField(label="단위", choices=UNITS, initial="day")
    section = forms.ModelChoiceField(
        label="섹션", queryset=Section.objects.all(), required=False, empty_label="전체"
    )

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {"start": today - timedelta(days=6), "end": today, "unit": "day"}
        if data is not None:
            data = {
                **{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in defaults.items()},
                **data.dict(),
            }
        super().__init__(data, initial=defaults, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(BAD_RANGE)
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(TOO_LONG.format(days=MAX_DAYS))
        return data
