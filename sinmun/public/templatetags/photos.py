"""Photo markup for reader pages: ``<picture>`` of the renditions, the original as fallback.

``{% picture article.lead_photo "lead" alt=… sizes="article" %}`` renders WebP renditions for
browsers that take them and JPEG for the rest, each with a ``srcset`` so a phone downloads the
320 or 640 px file instead of the 1280 one. Nothing is decoded: the sizes come from the
renditions' manifest (``newsroom.photos``). A photo stored before renditions existed renders as
the original file with the width and height the template gives.
"""

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sinmun.newsroom import bodyhtml, photos

register = template.Library()

# The width each photo slot takes in site.css: the page is 1200 px at most with 16 px padding;
# from 960 px the article column leaves 340 px for the sidebar and the home grid is 2fr / 1fr.
SIZES = {
    "article": "(min-width: 1200px) 828px, (min-width: 960px) calc(100vw - 372px), 100vw",
    "top": "(min-width: 1200px) 757px, (min-width: 960px) 66vw, 100vw",
    "teaser": "(min-width: 960px) 160px, 112px",
}


@register.simple_tag
def picture(
    photo,
    kind: str,
    *,
    alt: str = "",
    sizes: str = "100vw",
    width: int | None = None,
    height: int | None = None,
    loading: str = "lazy",
) -> SafeString:
    """Render ``photo`` (a stored file or its name) as its rendition ``kind``, else as is.

    ``sizes`` is a key of ``SIZES`` or a ``sizes`` value; ``width``/``height`` are for the
    original when the photo has no renditions.
    """
    name = getattr(photo, "name", photo) or ""
    if not name:
        return mark_safe("")
    sizes = SIZES.get(sizes, sizes)
    jpeg = photos.rendition(name, kind, "jpeg")
    if jpeg is None:
        size = format_html(' width="{}" height="{}"', width, height) if width and height else ""
        return format_html(
            '<img src="{}" alt="{}"{} loading="{}" decoding="async">',
            photo.url if hasattr(photo, "url") else default_storage.url(name),
            alt,
            size,
            loading,
        )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async"></picture>',
        photos.srcset(name, "webp"),
        sizes,
        jpeg.url,
        photos.srcset(name, "jpeg"),
        sizes,
        jpeg.width,
        jpeg.height,
        alt,
        loading,
    )


@register.filter
def inline_photos(body: str, sizes: str = "article") -> SafeString:
    """Return sanitised body HTML with its stored photos as ``<picture>`` of their renditions."""
    # The body was sanitised on the way in (newsroom.services.cleaning.clean_body).
    return mark_safe(bodyhtml.with_srcset(body, sizes=SIZES.get(sizes, sizes)))  # noqa: S308
