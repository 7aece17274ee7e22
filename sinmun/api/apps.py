from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sinmun.api"
    label = "api"
    verbose_name = "API"
