"""The WSGI application: Django behind the page cache (sinmun/public/pagecache.py).

A cached reader page is answered by ``PageCacheFront`` before Django's middleware and views.
``sinmun serve`` imports this module once in the server's main process and forks the web
workers from it, so the Korean analyzer and Django are loaded once and shared copy-on-write
(sinmun/public/management/commands/serve.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
django_application = get_wsgi_application()

from sinmun.public.pagecache import PageCacheFront  # noqa: E402 - needs Django set up

application = PageCacheFront(django_application)

from sinmun.audience.pageviews import PageViewFront  # noqa: E402 - needs Django set up

# Readers' article views are counted on the way out, cache hit or render (audience/pageviews.py).
application = PageViewFront(application, answered=PageCacheFront.ANSWERED)

from sinmun.audience.front import BeaconFront  # noqa: E402 - needs Django set up

# The view beacon every article page sends is answered before Django too (audience/front.py).
application = BeaconFront(application)

from sinmun.ads.front import AdsFront  # noqa: E402 - needs Django set up

# So are the banner request and the banner view beacon of every page view (ads/front.py).
application = AdsFront(application)
