from django.utils import timezone

from sinmun.newsroom import generation, selectors
from sinmun.weather import selectors as weather

from .lazy import once


def site(request):
    """Give every page the outlet, its legal block, the menu, today's date, the weather and the
    generations its fragments are keyed on."""
    now = timezone.now()
    return {
        "outlet": selectors.outlet(),
        # The menu and the weather are shown inside kept fragments: read only when rendered.
        "navigation": once(selectors.navigation),
        "now": now,
        "weather_ticker": once(weather.ticker_items),
        # Keys of the page fragments (templatetags/fragments.py).
        "generation": generation.current(),
        "names_generation": generation.current(generation.NAMES),
        "today": timezone.localdate(now),
    }
