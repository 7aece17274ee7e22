from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sinmun.demo"
    label = "demo"
    verbose_name = "데모 편집국"
