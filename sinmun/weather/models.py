"""Ticker stations and the last good observation of each."""

from datetime import timedelta

from django.db import models
from django.urls import reverse


class Station(models.Model):
    """A KMA ASOS station shown in the ticker, in ``order``; ``nx``/``ny`` is its 5 km grid cell.

    The grid cell is computed from ``lat``/``lon`` by ``services.station_save`` (the data.go.kr
    fallback asks by grid cell, not by station).
    """

    stn_id = models.PositiveIntegerField("지점번호", unique=True, help_text="기상청 ASOS 지점번호")
    name = models.CharField("지점명", max_length=20, help_text="티커에 보이는 이름 (예: 강진군)")
    lat = models.FloatField("위도")
    lon = models.FloatField("경도")
    nx = models.PositiveSmallIntegerField("격자 X", editable=False)
    ny = models.PositiveSmallIntegerField("격자 Y", editable=False)
    order = models.PositiveIntegerField("순서", default=0)
    active = models.BooleanField("티커에 표시", default=True)

    class Meta:
        ordering = ["order", "stn_id"]
        verbose_name = "날씨 지점"
        verbose_name_plural = "날씨 지점"

    def __str__(self) -> str:
        return f"{self.name} ({self.stn_id})"

    def get_absolute_url(self) -> str:
        # The ticker is in every page's header; the home page is where a reader meets it.
        return reverse("public:home")


class Observation(models.Model):
    """The last good observation of a station (one row per station, replaced as news comes)."""

    class Source(models.TextChoices):
        API_HUB = "api_hub", "기상청 API허브 (지상관측)"
        DATA_GO_KR = "data_go_kr", "공공데이터포털 (초단기실황)"
        SNAPSHOT = "snapshot", "예시 자료 (키 없음)"

    station = models.OneToOneField(
        Station, verbose_name="지점", on_delete=models.CASCADE, related_name="observation"
    )
    observed_at = models.DateTimeField("관측 시각")
    temperature = models.FloatField("기온 (℃)", null=True, blank=True)
    sky = models.CharField("하늘 상태", max_length=10, blank=True)
    precipitation = models.CharField("강수 형태", max_length=10, blank=True)
    source = models.CharField("출처", max_length=20, choices=Source.choices)
    fetched_at = models.DateTimeField("받은 시각")

    class Meta:
        ordering = ["station__order", "station__stn_id"]
        verbose_name = "관측값"
        verbose_name_plural = "관측값"

    def __str__(self) -> str:
        return f"{self.station.name} {self.observed_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return self.station.get_absolute_url()


# How long an observation may be shown (KMA observes hourly): after STALE_AFTER the ticker says
# which hour the value is from; after HIDE_AFTER it is not shown at all.
STALE_AFTER = timedelta(hours=3)
HIDE_AFTER = timedelta(hours=12)
