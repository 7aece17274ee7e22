from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sinmun.search"
    label = "search"
    verbose_name = "검색"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_save

        from . import dictionary, followups

        followups.subscribe()

        def names_saved(**kwargs):
            transaction.on_commit(dictionary.words_changed)

        for model in dictionary.MODELS:
            post_save.connect(
                names_saved, sender=model, weak=False, dispatch_uid=f"dictionary-{model.__name__}"
            )
