"""Requests per minute, counted in the shared cache so every process counts together.

A fixed one-minute window: simple to explain to a partner ("60 a minute, counted from the
start of each minute") and one counter per client per minute. On Redis the count is exact
(INCR); on the file cache two processes counting at the same instant may both read the same
value, so the limit there is approximate by a request or two — a guard, not a meter.
"""

import math
import time
from collections.abc import Callable

from django.core.cache import caches

WINDOW_SECONDS = 60


def over_limit(key: str, limit: int, *, clock: Callable[[], float] | None = None) -> int | None:
    """Count one request for ``key``; return seconds until the window ends if over ``limit``."""
    now = clock() if clock else time.time()
    window = int(now // WINDOW_SECONDS)
    cache = caches["default"]
    cache_key = f"api:rate:{key}:{window}"
    # Kept a little past its window so a slow request at the edge still finds it.
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
