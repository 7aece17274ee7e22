from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sinmun.search"
    label = "search"
    verbose_name = "검색"

    def ready(self):
        from . import followups

        followups.subscribe()
