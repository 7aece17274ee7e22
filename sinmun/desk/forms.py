"""The desk's forms: they read what the editor sent; the services decide what is valid.

Fields here only parse (text, ids, a file, a time); every rule a save must pass lives in
``newsroom.services`` so that the desk, the API and the command line refuse the same things
with the same words.
"""

from django import forms
from django.utils import timezone
from django_prose_editor.fields import ProseEditorFormField

from sinmun.newsroom.models import Correction, Reporter, Section, Series

# What the body editor offers; the body sanitiser (newsroom.bodyhtml) keeps the same tags.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HardBreak": True,
}


class ArticleForm(forms.Form):
    headline = forms.CharField(label="제목", max_length=300, required=False)
    subheadlines = forms.CharField(
        label="부제", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = ProseEditorFormField(
        label="본문", required=False, config={"extensions": BODY_EXTENSIONS}, sanitize=False
    )
    section = forms.ModelChoiceField(
        label="섹션", queryset=Section.objects.all(), required=False, empty_label="섹션 선택"
    )
    series = forms.ModelChoiceField(
        label="연재", queryset=Series.objects.all(), required=False, empty_label="없음"
    )
    keywords = forms.CharField(label="키워드", required=False, help_text="쉼표로 구분")
    lead_photo = forms.FileField(label="대표 사진", required=False)
    lead_photo_caption = forms.CharField(label="사진 설명", max_length=300, required=False)
    lead_photo_credit = forms.CharField(label="사진 출처", max_length=100, required=False)
    is_top = forms.BooleanField(label="톱기사", required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, reporter_ids: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reporter_ids = reporter_ids or []

    def reporters(self) -> list[Reporter]:
        """Return the byline in the order the editor arranged it (unknown ids dropped)."""
        ids = [int(i) for i in self.reporter_ids if str(i).isdigit()]
        rows = {r.pk: r for r in Reporter.objects.filter(pk__in=ids)}
        return [rows[i] for i in dict.fromkeys(ids) if i in rows]

    def changes(self, *, may_mark_top: bool) -> dict[str, object]:
        """Return the service keyword arguments for what the editor sent."""
        data = self.cleaned_data
        changes: dict[str, object] = {
            "headline": data["headline"],
            "subheadlines": data["subheadlines"].splitlines(),
            "body": data["body"],
            "section": data["section"],
            "series": data["series"],
            "reporters": self.reporters(),
            "keywords": [k.strip() for k in data["keywords"].split(",") if k.strip()],
            "lead_photo_caption": data["lead_photo_caption"],
            "lead_photo_credit": data["lead_photo_credit"],
        }
        if data.get("lead_photo"):
            changes["lead_photo"] = data["lead_photo"]
        if may_mark_top:
            changes["is_top"] = data["is_top"]
        return changes


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label="출고 시각",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    embargo = forms.BooleanField(label="엠바고", required=False)

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError("예약 시각은 지금보다 뒤여야 합니다.")
        return at


class MemoForm(forms.Form):
    memo = forms.CharField(label="사유", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(label="종류", choices=Correction.Kind.choices)
    requested_on = forms.DateField(
        label="청구일", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decision = forms.CharField(label="결정", max_length=300, required=False)
    text = forms.CharField(label="내용", widget=forms.Textarea(attrs={"rows": 6}))
