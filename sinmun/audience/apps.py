from django.apps import AppConfig


class AudienceConfig(AppConfig):
    name = "sinmun.audience"
    label = "audience"
    verbose_name = "독자 통계"

    def load_demo(self) -> str:
        """Give the demo newsroom a synthetic view history (``sinmun demo`` calls this)."""
        from . import demo

        return demo.load_demo_views()
