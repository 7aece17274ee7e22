from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("pages/includes/legal_links.html")
def legal_links():
    """Render the footer's links to the legal pages."""
    return {"links": selectors.footer_links()}
