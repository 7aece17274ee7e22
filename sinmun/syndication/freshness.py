"""Validators for conditional GET on feeds and sitemaps (ETag and Last-Modified → 304).

Django's ``condition`` decorator answers 304 from these; the view never renders then. Feed
readers and crawlers poll every few minutes, so a 304 must be cheap (two aggregate queries on
indexed columns) and must never hide a change:

- ``last_change`` is the newest 입력, 수정 or save time among the articles in scope that readers
  may see, the newest withdrawal among those that were taken down, and the outlet's settings (a
  feed's title and full-text switch). An embargo lifting raises it at its 입력 time, even
  before the worker's sweep announces it.
- the ETag adds the content generation (a rename, a menu change, anything readers could see),
  the base URL and the path, so it changes with everything ``last_change`` cannot see.
"""

import hashlib
from datetime import datetime

from django.db.models import Max, Q
from django.http import HttpRequest

from sinmun.newsroom import generation, selectors
from sinmun.newsroom.models import Article

from . import canonical


def last_change(scope: Q | None = None) -> datetime | None:
    """Return when the articles in ``scope`` (all when None) last changed for readers."""
    scope = scope if scope is not None else Q()
    visible = (
        selectors.published_articles()
        .filter(scope)
        .aggregate(
            published=Max("first_published_at"), updated=Max("updated_at"), saved=Max("modified_at")
        )
    )
    withdrawn = (
        Article.objects.filter(scope, status=Article.Status.WITHDRAWN)
        .aggregate(at=Max("modified_at"))
        .get("at")
    )
    outlet = selectors.outlet()
    times = [*visible.values(), withdrawn, outlet.updated_at if outlet.pk else None]
    times = [t for t in times if t is not None]
    # HTTP dates have whole seconds; a sub-second part would make every If-Modified-Since older.
    return max(times).replace(microsecond=0) if times else None


def etag(request: HttpRequest, changed: datetime | None, *extra: object) -> str:
    """Return an ETag for ``request``'s output given its ``last_change`` and any ``extra``."""
    parts = [
        generation.current(),
        changed.isoformat() if changed else "",
        canonical.site_url(request),
        request.get_full_path(),
        *extra,
    ]
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
