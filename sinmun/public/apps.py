from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sinmun.public"
    label = "public"
    verbose_name = "독자 사이트"

    def ready(self):
        from sinmun.newsroom import followups

        from . import pagecache

        # Every announcement is something readers could see: pages start a new generation.
        followups.subscribe(
            tuple(followups.Event), pagecache.purge_on_change, phase=followups.Phase.AFTER_COMMIT
        )
