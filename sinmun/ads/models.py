"""Advertisers, their campaigns and creatives, and the daily counts the worker writes.

Creatives and campaigns are never deleted once they have counts (``PROTECT`` from
``DailyStat``): a report must keep adding up. A campaign is stopped by pausing it or ending it.
"""

from django.db import models
from django.urls import reverse

from sinmun.newsroom.models import Section

from .slots import FORMAT_CHOICES


class Advertiser(models.Model):
    name = models.CharField("광고주", max_length=100, unique=True)
    contact = models.CharField("담당자", max_length=100, blank=True)
    email = models.EmailField("이메일", blank=True)
    phone = models.CharField("전화", max_length=40, blank=True)
    memo = models.TextField("메모", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "광고주"
        verbose_name_plural = "광고주"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("desk:ads:advertiser-edit", kwargs={"pk": self.pk})


class Campaign(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "집행"
        PAUSED = "paused", "중지"

    class Device(models.TextChoices):
        ALL = "all", "모든 기기"
        MOBILE = "m", "휴대폰만"
        DESKTOP = "d", "PC만"

    advertiser = models.ForeignKey(
        Advertiser,
        verbose_name="광고주",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField("캠페인 이름", max_length=120)
    # House ads (the outlet's own: subscriptions, the app, events) fill a slot no paid campaign
    # takes; they have no caps and need no advertiser.
    is_house = models.BooleanField("자사 광고", default=False)
    status = models.CharField("상태", max_length=10, choices=Status, default=Status.ACTIVE)
    starts_at = models.DateTimeField("시작")
    ends_at = models.DateTimeField("종료", null=True, blank=True)
    priority = models.PositiveSmallIntegerField("우선순위", default=5)
    weight = models.PositiveSmallIntegerField("가중치", default=10)
    daily_cap = models.PositiveIntegerField("하루 노출 한도", null=True, blank=True)
    total_cap = models.PositiveIntegerField("전체 노출 한도", null=True, blank=True)
    device = models.CharField("기기", max_length=3, choices=Device, default=Device.ALL)
    # Slot names (``slots.SLOTS``); empty: every slot of the creative's format.
    slots = models.JSONField("광고 자리", default=list, blank=True)
    sections = models.ManyToManyField(
        Section, verbose_name="섹션", blank=True, related_name="ad_campaigns"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_house", "-starts_at", "id"]
        verbose_name = "캠페인"
        verbose_name_plural = "캠페인"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("desk:ads:campaign", kwargs={"pk": self.pk})


class Creative(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "이미지"
        HTML = "html", "HTML·외부 태그"

    campaign = models.ForeignKey(
        Campaign, verbose_name="캠페인", on_delete=models.PROTECT, related_name="creatives"
    )
    name = models.CharField("소재 이름", max_length=120)
    format = models.CharField("형태", max_length=20, choices=FORMAT_CHOICES)
    kind = models.CharField("종류", max_length=10, choices=Kind, default=Kind.IMAGE)
    image_mobile = models.FileField("휴대폰 이미지", upload_to="ads/", blank=True, max_length=200)
    image_desktop = models.FileField("PC 이미지", upload_to="ads/", blank=True, max_length=200)
    alt_text = models.CharField("대체 텍스트", max_length=200, blank=True)
    link_url = models.URLField("연결 주소", max_length=500, blank=True)
    # Shown only inside a sandboxed iframe of its own origin-less document (views.frame).
    html = models.TextField("HTML", blank=True)
    active = models.BooleanField("사용", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = "광고 소재"
        verbose_name_plural = "광고 소재"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("desk:ads:creative-edit", kwargs={"pk": self.pk})


class DailyStat(models.Model):
    """Viewable impressions and clicks of one creative in one slot on one day (KST)."""

    day = models.DateField("날짜")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="stats")
    creative = models.ForeignKey(Creative, on_delete=models.PROTECT, related_name="stats")
    slot = models.CharField("광고 자리", max_length=30)
    impressions = models.PositiveBigIntegerField("노출", default=0)
    clicks = models.PositiveBigIntegerField("클릭", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "creative", "slot"], name="ads_stat_one_row")
        ]
        indexes = [models.Index(fields=["campaign", "day"], name="ads_stat_campaign_day")]
        verbose_name = "일별 집계"
        verbose_name_plural = "일별 집계"

    def __str__(self) -> str:
        return f"{self.day} {self.creative_id} {self.slot}"


class FlushMark(models.Model):
    """A batch of counts the worker applied, so a batch retried after a crash counts once."""

    batch = models.CharField(max_length=200, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.batch
