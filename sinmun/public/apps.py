from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sinmun.public"
    label = "public"
    verbose_name = "독자 사이트"
