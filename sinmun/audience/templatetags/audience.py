"""Template tags the reader's pages load: ``{% audience_beacon article %}``, ``{% most_read %}``.

The shared templates carry one line each; the markup is this app's.
"""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from .. import selectors

register = template.Library()


@register.inclusion_tag("audience/beacon.html", takes_context=True)
def audience_beacon(context, article):
    """Load the beacon that counts this page view, when the site counts with it (not the
    server itself, ``pageviews``); never in the desk's preview."""
    return {
        "count": settings.AUDIENCE_COUNTING == "beacon" and not context.get("preview"),
        "src": static("audience/beacon.js"),
        "endpoint": reverse("audience:beacon"),
        "public_id": article.public_id,
    }


@register.inclusion_tag("audience/most_read.html")
def most_read(section=None):
    """Show 많이 본 뉴스 (1시간 · 24시간 · 7일) and 급상승 for the site or ``section``."""
    return {"box": selectors.most_read(section=section), "section": section}
