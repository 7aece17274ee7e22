from django.utils import timezone

from sinmun.newsroom import generation, selectors
from sinmun.weather import selectors as weather


def site(request):
    """Give every page the outlet, its legal block, the menu, today's date, the weather and the
    generations its fragments are keyed on."""
    return {
        "outlet": selectors.outlet(),
        "navigation": selectors.navigation(),
        "now": timezone.now(),
        "weather_ticker": weather.ticker_items(),
        # Keys of the page fragments (templatetags/fragments.py).
        "generation": generation.current(),
        "names_generation": generation.current(generation.NAMES),
    }
