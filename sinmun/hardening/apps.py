from django.apps import AppConfig


class HardeningConfig(AppConfig):
    name = "sinmun.hardening"
    label = "hardening"
    verbose_name = "보안"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
