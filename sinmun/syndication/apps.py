from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "sinmun.syndication"
    label = "syndication"
    verbose_name = "배포"

    def ready(self):
        from . import checks  # noqa: F401 - registers the startup checks
