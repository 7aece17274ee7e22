"""Register the Korean text helpers so their template library can be loaded."""

from django.apps import AppConfig


class KoreanConfig(AppConfig):
    name = "sinmun.korean"
    label = "korean"
    verbose_name = "한국어"
