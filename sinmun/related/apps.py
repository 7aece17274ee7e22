from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "sinmun.related"
    label = "related"
    verbose_name = "관련기사"

    def ready(self):
        from . import followups

        followups.subscribe()
