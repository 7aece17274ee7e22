"""Check the photo markup on reader pages: <picture> of the renditions, the original otherwise."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from sinmun.newsroom import photos

CAPTION = "평택 새 공장 조감도"


def stored(size=(1600, 900), colour=(40, 90, 160)) -> str:
    """Return the storage name of a photo stored the way the desk stores one, renditions made."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return photos.store_upload(ContentFile(out.getvalue(), name="upload.jpg"))


def served(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def srcset_urls(value: str) -> dict[int, str]:
    pairs = (entry.split() for entry in value.split(","))
    return {int(width.removesuffix("w")): url for url, width in pairs}


def test_the_lead_photo_is_a_picture_of_its_renditions(get, client, newsroom):
    name = stored()
    article = newsroom.article(lead_photo=name, lead_photo_caption=CAPTION)
    figure = get(article.get_absolute_url()).root.find("figure", cls="lead-photo")
    source = figure.find("picture").find("source")
    image = figure.find("picture").find("img")
    assert source.attrs["type"] == "image/webp"
    webp = srcset_urls(source.attrs["srcset"])
    jpeg = srcset_urls(image.attrs["srcset"])
    assert sorted(webp) == sorted(jpeg) == [320, 640, 1280]
    assert image.attrs["src"] == photos.rendition(name, "lead").url
    assert (image.attrs["width"], image.attrs["height"]) == ("1280", "720")
    assert image.attrs["alt"] == CAPTION
    assert image.attrs["loading"] == "eager"
    assert image.attrs["decoding"] == "async"
    assert source.attrs["sizes"] == image.attrs["sizes"]
    assert "828px" in image.attrs["sizes"]
    for width, url in webp.items():
        data = served(client, url)
        assert data[8:12] == b"WEBP"
        assert Image.open(io.BytesIO(data)).width == width
    for url in jpeg.values():
        assert served(client, url)[:3] == b"\xff\xd8\xff"


def test_a_lead_photo_without_renditions_is_the_original(get, newsroom, photo):
    # Stored as photos were before renditions existed: the file alone.
    name = default_storage.save("photos/2024/05/old.jpg", photo())
    article = newsroom.article(lead_photo=name, lead_photo_caption=CAPTION)
    figure = get(article.get_absolute_url()).root.find("figure", cls="lead-photo")
    assert figure.find_all("picture") == []
    image = figure.find("img")
    assert image.attrs["src"] == article.lead_photo.url
    assert (image.attrs["width"], image.attrs["height"]) == ("1200", "675")
    assert image.attrs["alt"] == CAPTION


def test_teasers_show_the_thumb_rendition(get, newsroom):
    name = stored()
    newsroom.article(lead_photo=name)
    teaser = get(newsroom.bigtech.get_absolute_url()).root.find("a", cls="teaser-photo")
    image = teaser.find("picture").find("img")
    assert image.attrs["src"] == photos.rendition(name, "thumb").url
    assert (image.attrs["width"], image.attrs["height"]) == ("320", "180")
    assert image.attrs["loading"] == "lazy"
    assert image.attrs["sizes"] == "(min-width: 960px) 160px, 112px"
    assert "-thumb.webp 320w" in teaser.find("source").attrs["srcset"]


def test_the_top_story_shows_the_card_rendition(get, newsroom):
    name = stored()
    newsroom.article(lead_photo=name, is_top=True)
    story = get("/").root.find("section", cls="top-story")
    image = story.find("picture").find("img")
    assert image.attrs["src"] == photos.rendition(name, "card").url
    assert (image.attrs["width"], image.attrs["height"]) == ("640", "360")


def test_inline_body_photos_get_their_renditions(get, newsroom):
    name = stored(size=(1000, 500))
    article = newsroom.article(
        body=(
            "<p>첫 문단.</p>"
            f'<figure><img src="/media/{name}" alt="공장 내부"><figcaption>공장 내부'
            " (사진=한결전자)</figcaption></figure><p>둘째 문단.</p>"
        )
    )
    body = get(article.get_absolute_url()).root.find("div", cls="article-body")
    figure = body.find("figure")
    image = figure.find("picture").find("img")
    assert image.attrs["src"] == photos.rendition(name, "lead").url
    assert (image.attrs["width"], image.attrs["height"]) == ("1000", "500")
    assert image.attrs["alt"] == "공장 내부"
    assert image.attrs["loading"] == "lazy"
    assert sorted(srcset_urls(image.attrs["srcset"])) == [320, 640, 1000]
    assert sorted(srcset_urls(figure.find("source").attrs["srcset"])) == [320, 640, 1000]
    assert figure.find("figcaption").text == "공장 내부 (사진=한결전자)"


def test_an_inline_photo_without_renditions_is_left_as_it_was(get, newsroom):
    article = newsroom.article(
        body='<p>본문.</p><figure><img src="https://img.example.com/a.jpg" alt="외부"></figure>'
    )
    body = get(article.get_absolute_url()).root.find("div", cls="article-body")
    assert body.find_all("picture") == []
    assert body.find("img").attrs == {"src": "https://img.example.com/a.jpg", "alt": "외부"}


@pytest.mark.parametrize(
    "src",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "/desk/logout/",
        "/media/../desk/logout/",
        "//evil.example/pixel.gif",
    ],
)
def test_hostile_body_images_never_reach_the_page(get, newsroom, src):
    article = newsroom.article(body=f'<p>본문.</p><figure><img src="{src}" alt="x"></figure>')
    page = get(article.get_absolute_url())
    body = page.root.find("div", cls="article-body")
    assert body.find_all("img") == []
    assert src not in page.html
