"""The legal pages an outlet publishes, one row per page once a 관리자 has edited it."""

from django.db import models
from django.urls import reverse


class LegalPage(models.Model):
    class Slug(models.TextChoices):
        YOUTH = "youth-protection", "청소년보호정책"
        PRIVACY = "privacy", "개인정보처리방침"
        NO_EMAIL_COLLECTION = "no-email-collection", "이메일무단수집거부"
        ETHICS = "ethics", "윤리강령"
        ARRANGEMENT = "article-arrangement", "기사배열 기본방침"

    slug = models.CharField("종류", max_length=30, choices=Slug.choices, unique=True)
    title = models.CharField("제목", max_length=100)
    body = models.TextField("본문", help_text="허용 목록으로 정화된 HTML")
    updated_at = models.DateTimeField("수정", auto_now=True)
    # Who saved the text last: a username or a system actor's name.
    updated_by = models.CharField("수정한 사람", max_length=150, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "법적 고지 페이지"
        verbose_name_plural = "법적 고지 페이지"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:legal", kwargs={"slug": self.slug})
