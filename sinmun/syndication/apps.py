from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "sinmun.syndication"
    label = "syndication"
    verbose_name = "배포"
