from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "sinmun.newsroom"
    label = "newsroom"
    verbose_name = "편집국"
