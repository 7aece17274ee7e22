from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "sinmun.desk"
    label = "desk"
    verbose_name = "데스크"
