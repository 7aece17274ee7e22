"""Every read of the legal pages: the edited text, or the default text with the outlet's fields."""

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.urls import reverse

from sinmun.newsroom import selectors

from .models import LegalPage


@dataclass(frozen=True)
class LegalPageView:
    """A legal page as readers see it."""

    slug: str
    title: str
    body: str  # sanitised (edited) or rendered from the shipped template (default): safe HTML
    updated_at: datetime | None
    is_default: bool

    def get_absolute_url(self) -> str:
        return reverse("pages:legal", kwargs={"slug": self.slug})


def default_body(*, slug: str) -> str:
    """Return the shipped default text of page ``slug`` with the outlet's fields filled in."""
    return render_to_string(f"pages/defaults/{slug}.html", {"outlet": selectors.outlet()})


def legal_page(*, slug: str) -> LegalPageView:
    """Return page ``slug``: its edited text, else its default text with the outlet's fields.

    Raise ``LegalPage.DoesNotExist`` for a slug that is not one of ``LegalPage.Slug``. The desk's
    editor opens a page with this too (the default text is where an edit starts).
    """
    if slug not in LegalPage.Slug.values:
        raise LegalPage.DoesNotExist(slug)
    page = LegalPage.objects.filter(slug=slug).first()
    if page is not None:
        return LegalPageView(page.slug, page.title, page.body, page.updated_at, False)
    title = LegalPage.Slug(slug).label
    return LegalPageView(slug, title, default_body(slug=slug), None, True)


def footer_links() -> list[tuple[str, str, str]]:
    """Return ``[(slug, label, url), …]`` for the footer: every legal page, by its legal name.

    No query: every page exists (edited or default), and the link reads the page's legal name
    whatever title the 관리자 gave it, so the footer costs nothing on a cold cache.
    """
    return [
        (slug, label, reverse("pages:legal", kwargs={"slug": slug}))
        for slug, label in LegalPage.Slug.choices
    ]
