"""The demo loader (``sinmun demo``): what it creates, that it runs once, and the page it makes."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone
from PIL import Image

from sinmun.demo import corpus
from sinmun.demo.loader import DESK_USERNAME, accounts_file, load_demo
from sinmun.newsroom import photos, selectors
from sinmun.newsroom.models import (
    Article,
    ArticleRevision,
    Keyword,
    OutletSettings,
    Reporter,
    Section,
    Series,
)
from sinmun.public.tests.conftest import parse_html

KST = ZoneInfo("Asia/Seoul")
WEEKDAYS = "월화수목금토일"


def counts() -> dict[str, int]:
    return {
        "outlet": OutletSettings.objects.count(),
        "sections": Section.objects.count(),
        "series": Series.objects.count(),
        "reporters": Reporter.objects.count(),
        "keywords": Keyword.objects.count(),
        "articles": Article.objects.count(),
        "revisions": ArticleRevision.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def var_dir(settings, tmp_path):
    """Point VAR_DIR at an empty folder so the password file is this test's own."""
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def demo(db, var_dir):
    """Load the demo without photos (fast); return the loader's result."""
    return load_demo(with_photos=False)


def test_demo_creates_the_outlet_sections_series_and_reporters(demo):
    outlet = OutletSettings.objects.get()
    assert outlet.pk == 1
    assert outlet.name == "새나루일보"
    assert outlet.registration_number == "서울 아09999"
    assert outlet.youth_officer == "하연주"
    top = Section.objects.filter(parent=None)
    assert top.count() >= 8
    children = Section.objects.exclude(parent=None)
    assert children.count() > 0
    assert Section.objects.get(slug="bigtech").parent.slug == "it-science"
    assert all(child.parent.parent_id is None for child in children)
    assert Series.objects.count() == 3
    assert Reporter.objects.count() == 12
    assert all(r.photo and default_storage.exists(r.photo.name) for r in Reporter.objects.all())


def test_demo_creates_published_articles_in_the_past(demo):
    now = timezone.now()
    articles = Article.objects.all()
    assert articles.count() >= 150
    assert demo.articles_created == demo.articles_total == articles.count()
    assert articles.count() == len(corpus.articles())
    assert set(articles.values_list("status", flat=True)) == {Article.Status.PUBLISHED}
    assert not articles.filter(first_published_at=None).exists()
    assert not articles.filter(first_published_at__gte=now).exists()
    assert not articles.filter(updated_at__gte=now).exists()
    # With photos off, no article carries one.
    assert not articles.exclude(lead_photo="").exists()


def test_demo_creates_one_account_per_role_whose_passwords_work(demo, var_dir):
    assert demo.desk_username == DESK_USERNAME == "desk"
    assert [(role, name) for role, name, _ in demo.accounts] == [
        ("기자", "reporter"),
        ("데스크", "desk"),
        ("관리자", "admin"),
    ]
    # The test database is not ./var's SQLite file: its passwords have a file of their own.
    path = accounts_file()
    assert path.parent == var_dir and path.name.startswith("demo-accounts-")
    assert path.read_text() == "".join(f"{u} {p}\n" for _, u, p in demo.accounts)
    assert path.stat().st_mode & 0o777 == 0o600
    for role, username, password in demo.accounts:
        user = get_user_model().objects.get(username=username)
        assert not user.is_superuser  # Django's admin is for a superuser the owner creates
        assert list(user.groups.values_list("name", flat=True)) == [role]
        # django-axes counts logins per request: authenticate() needs one (settings.py).
        login = RequestFactory().post("/desk/login/")
        assert authenticate(login, username=username, password=password) == user
        assert authenticate(login, username=username, password=password + "x") is None
    # The reporter account writes under a demo reporter's name (its byline).
    assert get_user_model().objects.get(username="reporter").reporter is not None
    assert demo.desk_password == dict((u, p) for _, u, p in demo.accounts)["desk"]


def test_second_run_creates_nothing_and_changes_nothing(demo):
    before = counts()
    modified = dict(Article.objects.values_list("uri", "modified_at"))
    password = get_user_model().objects.get(username="desk").password
    again = load_demo(with_photos=False)
    assert again.articles_created == 0
    assert again.articles_total == before["articles"]
    assert again.desk_password == demo.desk_password
    assert counts() == before
    assert dict(Article.objects.values_list("uri", "modified_at")) == modified
    assert get_user_model().objects.get(username="desk").password == password


def test_second_run_keeps_an_editors_change(demo):
    article = Article.objects.order_by("id").first()
    article.headline = "편집자가 고친 제목"
    article.save(update_fields=["headline"])
    load_demo(with_photos=False)
    article.refresh_from_db()
    assert article.headline == "편집자가 고친 제목"


def test_top_story_is_the_corpus_top_entry(demo):
    [top] = [spec for spec in corpus.articles() if spec["top"]]
    story = selectors.top_story()
    assert story.uri == top["uri"]
    assert story.headline == top["headline"]
    assert Article.objects.filter(is_top=True).count() == 1


# --- With photos -------------------------------------------------------------------------------


@pytest.fixture
def demo_with_photos(db, var_dir, committed):
    # The follow-ups run as the worker would: search indexes, the related lists are computed.
    # Loading with photos costs a minute of CPU (120 photos, 15 renditions each), so one test
    # checks both what the photos became and the page they end up on.
    with committed():
        return load_demo()


# The photos are files and their renditions; the loader's rows and the page's reads are checked
# on PostgreSQL by the tests above and the page tests (decision 0028).
@pytest.mark.first_pass
@pytest.mark.heavy
def test_the_demo_with_photos_stores_each_as_a_jpeg_and_shows_a_whole_article_page(
    client, demo_with_photos
):
    _check_every_corpus_photo_is_a_1200x675_jpeg()
    _check_the_article_page_shows_every_anatomy_element(client)


def _check_every_corpus_photo_is_a_1200x675_jpeg():
    specs = {spec["uri"]: spec for spec in corpus.articles()}
    with_photo = [uri for uri, spec in specs.items() if spec["photo"]]
    assert with_photo
    for article in Article.objects.all():
        spec = specs[article.uri]
        if not spec["photo"]:
            assert not article.lead_photo, article.uri
            continue
        assert article.lead_photo, article.uri
        assert default_storage.exists(article.lead_photo.name), article.uri
        assert article.lead_photo_caption == spec["photo"]["caption"]
        assert article.lead_photo_credit == spec["photo"]["credit"]
        with default_storage.open(article.lead_photo.name, "rb") as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        image.verify()
        assert image.format == "JPEG", article.uri
        assert image.size == (1200, 675), article.uri


def _showcase(specs: list[dict]) -> dict:
    """Return a corpus entry with a photo, several 부제, a series, keywords and one reporter."""
    for spec in specs:
        if (
            spec["photo"]
            and len(spec["subheadlines"]) >= 2
            and spec["series"]
            and spec["keywords"]
            and len(spec["reporters"]) == 1
        ):
            return spec
    raise AssertionError("the corpus has no article with every anatomy element")


def _kst(moment: datetime) -> datetime:
    return moment.astimezone(KST)


def _check_the_article_page_shows_every_anatomy_element(client):
    spec = _showcase(corpus.articles())
    article = Article.objects.get(uri=spec["uri"])
    reporter = Reporter.objects.get(name=spec["reporters"][0])
    section = Section.objects.get(slug=spec["section"])

    before = timezone.localdate(timezone=KST)
    response = client.get(article.get_absolute_url())
    after = timezone.localdate(timezone=KST)
    assert response.status_code == 200
    root = parse_html(response.content.decode())

    # Date strip: YYYY.MM.DD (요일), today in Seoul.
    strip = root.find("time", cls="today").text
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2} \([월화수목금토일]\)", strip)
    assert strip in {
        f"{d.year:04d}.{d.month:02d}.{d.day:02d} ({WEEKDAYS[d.weekday()]})" for d in (before, after)
    }

    page = root.find("article", cls="article")
    label = page.find("p", cls="section-label").find_all("a")[0]
    assert label.attrs["href"] == f"/section/{section.slug}/"
    assert label.text == section.name
    assert page.find("h1").text == spec["headline"]
    subheadlines = page.find("ul", cls="subheadlines")
    assert [li.text for li in subheadlines.find_all("li")] == spec["subheadlines"]

    published = _kst(article.first_published_at)
    times = page.find("p", cls="times").text
    assert times.startswith(
        f"입력 {published.year:04d}.{published.month:02d}.{published.day:02d} "
        f"{published.hour:02d}:{published.minute:02d}"
    )

    byline = f"[새나루일보={reporter.name} {reporter.title}]"
    first = page.find("div", cls="article-body").find_all("p")[0]
    assert first.find("span", cls="byline").text == byline
    assert first.text == f"{byline} {spec['paragraphs'][0]}"

    figure = page.find("figure", cls="lead-photo")
    # The lead rendition made when the demo stored the photo (newsroom/photos.py).
    lead = photos.rendition(article.lead_photo.name, "lead")
    assert lead is not None
    assert figure.find("img").attrs["src"] == lead.url
    assert figure.find("figcaption").text == f"{spec['photo']['caption']} {spec['photo']['credit']}"

    keywords = page.find("ul", cls="keywords")
    assert sorted(a.text for a in keywords.find_all("a")) == sorted(
        f"#{k}" for k in spec["keywords"]
    )

    related = page.find("section", cls="related")
    assert related.find("h2").text == "관련기사"
    teasers = related.find_all("a", cls="teaser-title")
    more = related.find("p", cls="more").text
    match = re.fullmatch(r"(\d+)건의 관련기사 더보기", more)
    assert match, more
    assert len(teasers) == min(5, int(match.group(1)))
    assert len(teasers) >= 1

    footer = root.find("footer", cls="site-footer").find("dl", cls="legal")
    legal = {div.find("dt").text: div.find("dd").text for div in footer.find_all("div")}
    assert legal["등록번호"] == "서울 아09999"
    assert legal["청소년보호책임자"] == "하연주"
