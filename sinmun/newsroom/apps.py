from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    name = "sinmun.newsroom"
    label = "newsroom"
    verbose_name = "편집국"

    def ready(self) -> None:
        from . import roles

        # After every app's migrate, so permissions of apps that migrate later are included.
        post_migrate.connect(roles.ensure_groups, dispatch_uid="newsroom.roles")
