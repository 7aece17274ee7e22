from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sinmun.search"
    label = "search"
    verbose_name = "검색"
