from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "sinmun.ads"
    label = "ads"
    verbose_name = "광고"

    def load_demo(self) -> str:
        """Called by ``sinmun demo``: house ads and two invented campaigns."""
        from . import demo

        return demo.load()
