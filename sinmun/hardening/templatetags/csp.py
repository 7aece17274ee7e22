"""``{% csp_media form.media %}``: a form's assets with the request's CSP nonce.

django-prose-editor's import map is an inline ``<script type="importmap">``, which a
Content-Security-Policy without 'unsafe-inline' runs only with the page's nonce
(sinmun/hardening/headers.py gives staff pages one per request).
"""

from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def csp_media(context, media):
    """Render ``media`` with the request's nonce, or as it is where the page has none."""
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return Media.from_media(media, nonce=nonce) if nonce else media
