from django.utils import timezone

from sinmun.newsroom import selectors
from sinmun.weather import selectors as weather


def site(request):
    """Give every page the outlet, its legal block, the menu, today's date and the weather."""
    return {
        "outlet": selectors.outlet(),
        "navigation": selectors.navigation(),
        "now": timezone.now(),
        "weather_ticker": weather.ticker_items(),
    }
