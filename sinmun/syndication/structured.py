"""What crawlers and link previews read from an article page: JSON-LD, Open Graph, Twitter.

- NewsArticle JSON-LD (schema.org, as Google's article rich results ask): headline, dates with
  ``+09:00``, authors as Person with their page, the publisher with its logo, images in 1:1, 4:3
  and 16:9 when renditions of those shapes exist, the section, the page it describes.
- BreadcrumbList: 홈 › section (› child section) › article.
- The share image (og:image, twitter:image): the 1200×630 ``share`` rendition, whose URL
  changes with the photo (KakaoTalk caches previews by URL); else the original photo.

``json_ld`` escapes ``<``, ``>`` and ``&`` inside the JSON (as Django's ``json_script`` does), so
no string — a headline ``</script><script>…`` — can close the script element or open a comment.
"""

import json
from dataclasses import dataclass

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from sinmun.korean.dates import to_kst
from sinmun.korean.excerpts import excerpt
from sinmun.newsroom import selectors
from sinmun.newsroom.models import Article, OutletSettings, Reporter

from . import canonical

DESCRIPTION_LENGTH = 150
FALLBACK_LOGO = "syndication/publisher-logo.png"
FALLBACK_LOGO_SIZE = (600, 60)
# Google's article guidelines ask for images in these shapes (width / height).
IMAGE_RATIOS = ((1, 1), (4, 3), (16, 9))
RATIO_TOLERANCE = 0.02
RENDITION_KINDS = ("square", "4x3", "16x9", "lead", "share")
SHARE_KIND = "share"
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Image:
    url: str  # absolute
    width: int | None = None
    height: int | None = None


def json_ld(data: dict) -> SafeString:
    """Return ``data`` as JSON safe to place inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_JSON_ESCAPES))  # noqa: S308 - <, >, & escaped above


def w3c(value) -> str:
    """Return an aware datetime in KST as ISO 8601 without microseconds (``…+09:00``)."""
    return to_kst(value).replace(microsecond=0).isoformat()


def description(article: Article) -> str:
    """Return the meta description: the first 부제 line, else the teaser excerpt."""
    for line in article.subheadlines or ():
        if str(line).strip():
            return str(line).strip()
    return excerpt(selectors.article_teaser_text(article), DESCRIPTION_LENGTH)


def _photos():
    """Return the rendition module when it is installed (it is written separately)."""
    try:
        from sinmun.newsroom import photos
    except ImportError:
        return None
    return photos


def _rendition(article: Article, kind: str, request: HttpRequest | None) -> Image | None:
    photos = _photos()
    if photos is None or not article.lead_photo:
        return None
    try:
        found = photos.rendition(article.lead_photo.name, kind)
    except (OSError, ValueError, LookupError):
        # A photo the renderer cannot read gets the original instead, never a broken page.
        return None
    if found is None:
        return None
    return Image(canonical.absolute(found.url, request), found.width, found.height)


def _original(article: Article, request: HttpRequest | None) -> Image | None:
    if not article.lead_photo:
        return None
    url = canonical.absolute(article.lead_photo.url, request)
    try:
        return Image(url, article.lead_photo.width, article.lead_photo.height)
    except (OSError, ValueError):
        return Image(url)


def article_images(article: Article, request: HttpRequest | None = None) -> list[Image]:
    """Return the article's images in 1:1, 4:3 and 16:9 when renditions allow, else the photo."""
    renditions = [r for k in RENDITION_KINDS if (r := _rendition(article, k, request))]
    shaped = []
    for w, h in IMAGE_RATIOS:
        for image in renditions:
            if image.width and image.height and image not in shaped:
                if abs(image.width / image.height - w / h) <= RATIO_TOLERANCE * (w / h):
                    shaped.append(image)
                    break
    if shaped:
        return shaped
    original = _original(article, request)
    return [original] if original else []


def share_image(
    article: Article, outlet: OutletSettings, request: HttpRequest | None = None
) -> Image:
    """Return the link-preview image: the share rendition, the photo, or the outlet's logo."""
    return (
        _rendition(article, SHARE_KIND, request)
        or _original(article, request)
        or publisher_logo(outlet, request)
    )


def publisher_logo(outlet: OutletSettings, request: HttpRequest | None = None) -> Image:
    """Return the outlet's logo (``OutletSettings.logo``), else the logo shipped with Sinmun."""
    if outlet.logo:
        url = canonical.absolute(outlet.logo.url, request)
        try:
            return Image(url, outlet.logo.width, outlet.logo.height)
        except (OSError, ValueError):
            return Image(url)
    return Image(canonical.absolute(static(FALLBACK_LOGO), request), *FALLBACK_LOGO_SIZE)


def _image_object(image: Image) -> dict:
    data = {"@type": "ImageObject", "url": image.url}
    if image.width and image.height:
        data.update(width=image.width, height=image.height)
    return data


def news_article(
    *,
    article: Article,
    reporters: list[Reporter],
    outlet: OutletSettings,
    request: HttpRequest | None = None,
) -> dict:
    """Return the article's NewsArticle JSON-LD object."""
    url = canonical.absolute(article.get_absolute_url(), request)
    modified = article.updated_at or article.first_published_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": description(article),
        "datePublished": w3c(article.first_published_at),
        "dateModified": w3c(modified),
        "author": [
            {
                "@type": "Person",
                "name": person.name,
                "jobTitle": person.title,
                "url": canonical.absolute(person.get_absolute_url(), request),
            }
            for person in reporters
        ],
        "publisher": {
            "@type": "Organization",
            "name": outlet.name,
            "url": canonical.absolute(reverse("public:home"), request),
            "logo": _image_object(publisher_logo(outlet, request)),
        },
        "articleSection": article.section.name,
        "inLanguage": "ko-KR",
        "isAccessibleForFree": True,
    }
    images = article_images(article, request)
    if images:
        data["image"] = [_image_object(image) for image in images]
    keywords = [word.name for word in article.keywords.all()]
    if keywords:
        data["keywords"] = keywords
    return data


def breadcrumbs(*, article: Article, request: HttpRequest | None = None) -> dict:
    """Return the BreadcrumbList: 홈, the parent section if any, the section, the article."""
    trail = [("홈", reverse("public:home"))]
    if article.section.parent_id:
        parent = article.section.parent
        trail.append((parent.name, parent.get_absolute_url()))
    trail.append((article.section.name, article.section.get_absolute_url()))
    trail.append((article.headline, article.get_absolute_url()))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": canonical.absolute(path, request),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }
