"""View counts as the worker flushes them: no reader, no address, no hash — only numbers.

- ``ViewBucket``: views of one article in one 10-minute bucket (UTC start), kept
  ``KEEP_BUCKET_DAYS``: the rankings (1 h, 24 h, 7 days, trending) and the desk's hourly
  chart read it.
- ``DailyViews``: views of one article on one day in Asia/Seoul, kept for good: the desk's
  per-article, per-reporter and per-section tables read it.
- ``ReferrerDaily``: views per day by the referring site's domain (``naver.com``, ``daum.net``,
  ``google.com``; ``direct`` without one).
- ``FlushedBatch``: the batches already added, so a batch is never added twice when the worker
  dies between the database commit and emptying the buffer (``flushing``).
"""

from django.db import models
from django.urls import reverse

from sinmun.newsroom.models import Article

from .counting import BUCKET_SECONDS

__all__ = ["BUCKET_SECONDS", "DailyViews", "FlushedBatch", "ReferrerDaily", "ViewBucket"]
KEEP_BUCKET_DAYS = 8


class ViewBucket(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField("구간 시작")
    views = models.PositiveIntegerField("조회수", default=0)

    class Meta:
        verbose_name = "10분 조회수"
        verbose_name_plural = "10분 조회수"
        constraints = [
            models.UniqueConstraint(fields=["article", "start"], name="audience_bucket_unique")
        ]
        # The rankings read every bucket of a window, newest first.
        indexes = [models.Index(fields=["start", "article"], name="audience_bucket_start")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.start:%Y-%m-%d %H:%M} {self.views}"

    def get_absolute_url(self) -> str:
        return reverse("desk:stats-article", kwargs={"pk": self.article_id})


class DailyViews(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    day = models.DateField("날짜(KST)")
    views = models.PositiveIntegerField("조회수", default=0)

    class Meta:
        verbose_name = "일별 조회수"
        verbose_name_plural = "일별 조회수"
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="audience_daily_unique")
        ]
        indexes = [models.Index(fields=["day", "article"], name="audience_daily_day")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day} {self.views}"

    def get_absolute_url(self) -> str:
        return reverse("desk:stats-article", kwargs={"pk": self.article_id})


class ReferrerDaily(models.Model):
    day = models.DateField("날짜(KST)")
    domain = models.CharField("유입 도메인", max_length=100)
    views = models.PositiveIntegerField("조회수", default=0)

    class Meta:
        verbose_name = "유입 경로별 조회수"
        verbose_name_plural = "유입 경로별 조회수"
        constraints = [
            models.UniqueConstraint(fields=["day", "domain"], name="audience_referrer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.domain} {self.views}"

    def get_absolute_url(self) -> str:
        return reverse("desk:stats")


class FlushedBatch(models.Model):
    batch = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "반영한 묶음"
        verbose_name_plural = "반영한 묶음"

    def __str__(self) -> str:
        return self.batch

    def get_absolute_url(self) -> str:
        return reverse("desk:stats")
