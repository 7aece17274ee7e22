from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "sinmun.pages"
    label = "pages"
    verbose_name = "법적 고지 페이지"

    def ready(self):
        from . import checks  # noqa: F401 - registers the legal-fields startup check
