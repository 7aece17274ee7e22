from django.utils import timezone

from sinmun.newsroom import selectors


def site(request):
    """Give every page the outlet, its legal block, the section menu and today's date."""
    return {
        "outlet": selectors.outlet(),
        "navigation": selectors.navigation(),
        "now": timezone.now(),
    }
