"""Every hostile vector through every field that reaches an output, checked on every output.

For each vector of ``vectors.VECTORS`` one newsroom is built through the real services with the
vector in every plain-text field (each behind its own label, so each cell of the table can be
told apart): headline, 부제, body, photo caption and credit, reporter name and bio, keyword,
section and series names, the series' description and the outlet's name and legal fields. Then
every output is fetched and parsed:

- pages (lxml.html): no script the site did not write, no ``on*`` attribute, no
  ``javascript:``/``data:`` URL, no CSS expression; each field's text shown literally;
- JSON-LD: parses, no ``</script``/``<!--`` inside, the values equal the fields exactly;
- Open Graph and Twitter ``content``: equal the fields exactly;
- feeds and sitemaps (lxml.etree, strict): parse, the text equals the fields, the HTML inside
  a feed's descriptions is safe;
- API JSON (list, detail, ninjs, sections, reporters): the values equal the fields exactly, the
  HTML body is safe;
- the desk's dashboard and editor.

The body is HTML: it goes through the sanitiser, so its check is "safe, and the Korean kept".
"""

import io
import unicodedata

import lxml.html
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from sinmun.newsroom import actors, roles, services
from sinmun.newsroom.models import Article
from sinmun.syndication import ninjs

from . import checks
from .vectors import OUTPUT_VECTORS, VECTORS

LEGAL_FIELDS = ("company", "address", "publisher", "editor", "youth_officer")


def _jpeg() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (96, 54), (40, 90, 160)).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="hostile.jpg")


def build(text: str):
    """Create an outlet, taxonomy and one published article with ``text`` in every field."""
    fields = {
        "outlet": f"매체 {text}",
        "headline": f"제목 {text} 반도체",
        "subheadline": f"부제 {text}",
        "caption": f"사진 설명 {text}",
        "credit": f"출처 {text}",
        "reporter": f"기자 {text}",
        "bio": f"소개 {text}",
        "section": f"섹션 {text}",
        "series": f"연재 {text}",
        "series_description": f"연재 소개 {text}",
        "keyword": f"키워드 {text}",
        **{name: f"{name} {text}" for name in LEGAL_FIELDS},
    }
    services.outlet_update(
        by=actors.DEMO,
        name=fields["outlet"],
        title=fields["outlet"],
        **{name: fields[name] for name in LEGAL_FIELDS},
    )
    section = services.section_create(by=actors.DEMO, name=fields["section"], slug="hostile")
    series = services.series_create(
        by=actors.DEMO,
        name=fields["series"],
        slug="hostile-series",
        description=fields["series_description"],
    )
    reporter = services.reporter_create(
        by=actors.DEMO, name=fields["reporter"], slug="hostile-reporter", bio=fields["bio"]
    )
    # A keyword may not hold a slash (its page's address); that refusal has its own test.
    keywords = [fields["keyword"]] if "/" not in text else []
    article = services.article_create(
        by=actors.DEMO,
        headline=fields["headline"],
        subheadlines=[fields["subheadline"]],
        # The vector comes last: an unclosed ``<!--`` ends a body as it would in a browser.
        body=f"<p>본문 첫 문단 반도체 공장을 짓는다.</p><p>마지막 문단이다.</p><p>{text}</p>",
        section=section,
        series=series,
        reporters=[reporter],
        keywords=keywords,
        lead_photo=_jpeg(),
        lead_photo_caption=fields["caption"],
        lead_photo_credit=fields["credit"],
    )
    services.article_publish(article=article, by=actors.DEMO)
    article.refresh_from_db()
    if not keywords:
        del fields["keyword"]
    return fields, article, section, series, reporter


def _admin_client(django_user_model) -> Client:
    # No password: hashing one costs a second, and force_login needs none.
    user = django_user_model.objects.create(username="hostile-admin")
    user.groups.add(Group.objects.get(name=roles.ADMIN))
    client = Client()
    client.force_login(user)
    return client


class Table:
    """Collect the failed cells of one vector's fields × outputs table."""

    def __init__(self):
        self.failures: list[str] = []

    def page(self, output: str, html: bytes, shows: dict[str, str], **options) -> str:
        for problem in checks.page_problems(html, **options):
            self.failures.append(f"{output}: {problem}")
        text = checks.visible_text(html)
        for field, value in shows.items():
            if value not in text:
                self.failures.append(f"{output}: {field} not shown as typed: {value!r}")
        return text

    def equal(self, output: str, field: str, got: object, want: object) -> None:
        if got != want:
            self.failures.append(f"{output}: {field} is {got!r}, not {want!r}")

    def contains(self, output: str, field: str, strings: list[str], want: str) -> None:
        if want not in strings:
            self.failures.append(f"{output}: {field} {want!r} not among {strings!r}")


@pytest.mark.parametrize("vector", OUTPUT_VECTORS, ids=str)
def test_every_field_reaches_every_output_safely_and_literally(
    client, db, django_user_model, committed, vector
):
    with committed():  # the search index and the related lists follow the commit
        fields, article, section, series, reporter = build(vector.text)
    table = Table()
    footer = {"outlet": fields["outlet"], **{n: fields[n] for n in LEGAL_FIELDS}}
    keyword = {"keyword": fields["keyword"]} if "keyword" in fields else {}

    def get(url: str, status: int = 200) -> bytes:
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response.content

    # The article page, its head and its JSON-LD.
    html = get(article.get_absolute_url())
    text = table.page(
        "article",
        html,
        {
            **{n: fields[n] for n in ("headline", "subheadline", "caption", "credit")},
            **{n: fields[n] for n in ("reporter", "section")},
            **keyword,
            **footer,
        },
    )
    assert "본문 첫 문단 반도체 공장을 짓는다." in text and "마지막 문단이다." in text
    for key, field in [
        ("og:title", "headline"),
        ("twitter:title", "headline"),
        ("og:description", "subheadline"),
        ("twitter:description", "subheadline"),
        ("og:image:alt", "caption"),
        ("og:site_name", "outlet"),
    ]:
        table.equal(f"article <meta {key}>", field, checks.meta_content(html, key), [fields[field]])
    news, crumbs = checks.json_ld_blocks(html)
    table.equal("JSON-LD NewsArticle", "headline", news["headline"], fields["headline"])
    table.equal("JSON-LD NewsArticle", "description", news["description"], fields["subheadline"])
    table.equal("JSON-LD NewsArticle", "publisher", news["publisher"]["name"], fields["outlet"])
    table.contains("JSON-LD NewsArticle", "author", checks.strings_in(news), fields["reporter"])
    table.contains(
        "JSON-LD BreadcrumbList", "section", checks.strings_in(crumbs), fields["section"]
    )

    # Lists and taxonomy pages.
    table.page("home", get("/"), {"headline": fields["headline"], **footer})
    table.page("section", get(section.get_absolute_url()), {**{
        n: fields[n] for n in ("section", "headline")}, **footer})  # fmt: skip
    table.page("series", get(series.get_absolute_url()), {**{
        n: fields[n] for n in ("series", "series_description", "headline")}, **footer})  # fmt: skip
    table.page("reporter", get(reporter.get_absolute_url()), {**{
        n: fields[n] for n in ("reporter", "bio", "headline")}, **footer})  # fmt: skip
    if keyword:
        url = article.keywords.get().get_absolute_url()
        table.page("keyword", get(url), {**keyword, "headline": fields["headline"]})
    table.page("related", get(f"{article.get_absolute_url()}related/"), {
        "headline": fields["headline"]})  # fmt: skip

    # Search: the article found, and the vector itself as the query, echoed as typed.
    found = get("/search/?q=반도체")
    table.page("search", found, {"headline": fields["headline"]})
    results = lxml.html.fromstring(found).xpath('//ol[contains(@class, "search-results")]')
    table.equal("search results", "headline", [" ".join(r.text_content().split()) for r in results
        if fields["headline"] in " ".join(r.text_content().split())] != [], True)  # fmt: skip
    query = " ".join(unicodedata.normalize("NFKC", vector.text).split())
    search_page = client.get("/search/", {"q": vector.text})
    table.equal("search ?q=vector", "status", search_page.status_code, 200)
    table.page("search ?q=vector", search_page.content, {"query": f"‘{query}’"})

    # Feeds and sitemaps: strict XML, the text as typed, the HTML inside safe.
    for url, shown in [
        ("/rss/", ("headline", "reporter", "outlet")),
        (f"/rss/section/{section.slug}/", ("headline", "section")),
        (f"/rss/series/{series.slug}/", ("headline", "series")),
        (f"/rss/reporter/{reporter.slug}/", ("headline", "reporter")),
        ("/sitemap-news.xml", ("headline", "outlet")),
    ]:
        xml = get(url)
        texts = checks.xml_texts(xml)
        for field in shown:
            if not any(fields[field] in t for t in texts):
                table.failures.append(f"{url}: {field} {fields[field]!r} not in the XML text")
        for problem in checks.feed_description_problems(xml):
            table.failures.append(f"{url}: {problem}")
    # The outlet may send whole bodies in its feeds: the sanitised body and its byline.
    services.outlet_update(by=actors.DEMO, feed_full_text=True)
    xml = get("/rss/")
    for problem in checks.feed_description_problems(xml):
        table.failures.append(f"/rss/ (full text): {problem}")
    for url in ("/sitemap.xml", f"/sitemap-articles-{article.first_published_at:%Y-%m}.xml"):
        checks.xml_texts(get(url))  # parses strictly

    # The API: values exactly as stored by the services, the body safe.
    detail = client.get(f"/api/v1/articles/{article.public_id}").json()["data"]
    table.equal("API detail", "headline", detail["headline"], fields["headline"])
    table.equal("API detail", "subheadlines", detail["subheadlines"], [fields["subheadline"]])
    table.contains("API detail", "reporter", checks.strings_in(detail), fields["reporter"])
    table.contains("API detail", "section", checks.strings_in(detail), fields["section"])
    if keyword:
        table.contains("API detail", "keyword", checks.strings_in(detail), fields["keyword"])
    for problem in checks.page_problems(f"<div>{detail['body']}</div>"):
        table.failures.append(f"API detail body: {problem}")
    listed = client.get("/api/v1/articles").json()["data"]
    table.equal("API list", "headline", [a["headline"] for a in listed], [fields["headline"]])
    ninjs = client.get(f"/api/v1/articles/{article.public_id}", {"format": "ninjs"}).json()
    table.contains("API ninjs", "headline", checks.strings_in(ninjs), fields["headline"])
    table.contains("API ninjs", "caption", checks.strings_in(ninjs), fields["caption"])
    table.contains("API sections", "section", checks.strings_in(
        client.get("/api/v1/sections").json()), fields["section"])  # fmt: skip
    table.contains("API reporters", "reporter", checks.strings_in(
        client.get("/api/v1/reporters").json()), fields["reporter"])  # fmt: skip
    table.contains("API search", "headline", checks.strings_in(
        client.get("/api/v1/search", {"q": "반도체"}).json()), fields["headline"])  # fmt: skip

    # The desk renders the same names to its users.
    desk = _admin_client(django_user_model)
    dashboard = desk.get("/desk/")
    table.equal("/desk/", "status", dashboard.status_code, 200)
    table.page("/desk/", dashboard.content, {"headline": fields["headline"]})
    editor = desk.get(f"/desk/articles/{article.pk}/")
    table.equal("desk editor", "status", editor.status_code, 200)
    table.page("desk editor", editor.content, {"section": fields["section"]})
    table.equal("desk editor", "headline", checks.input_values(editor.content, "headline"), [
        fields["headline"]])  # fmt: skip

    assert table.failures == [], "\n".join(table.failures)


@pytest.mark.parametrize("vector", [v for v in VECTORS if v.variant], ids=str)
def test_each_variant_is_sanitised_in_a_body_and_literal_in_a_headline(client, newsroom, vector):
    body, text = services.clean_body(f"<p>변종 본문이다.</p><p>{vector.text}</p>")
    assert checks.page_problems(f"<div>{body}</div>") == []
    assert "변종 본문이다." in text
    article = newsroom.article(headline=f"제목 {vector.text}", body=body)
    html = client.get(article.get_absolute_url()).content
    assert checks.page_problems(html) == []
    assert f"제목 {vector.text}" in checks.visible_text(html)
    [news, _] = checks.json_ld_blocks(html)
    assert news["headline"] == f"제목 {vector.text}"


@pytest.mark.parametrize("vector", OUTPUT_VECTORS, ids=str)
def test_a_ninjs_item_carrying_the_vector_imports_literally_or_is_refused_whole(
    client, newsroom, vector
):
    """The wire's fields are the vector's way in without the desk: plain-text fields land
    as typed; a body holding active content refuses the whole item (README, ninjs import)."""
    text = vector.text
    item = {
        "uri": f"urn:hostile:{vector.name}",
        "headlines": [
            {"role": "main", "value": f"제목 {text}"},
            {"role": "sub", "value": f"부제 {text}"},
        ],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": "<p>통신 기사 본문이다.</p>"}
        ],
        "by": f"통신 {text}".replace(",", " "),
        "subjects": [{"name": f"분야 {text}", "rel": "section"}],
        "pubstatus": "usable",
    }
    if "/" not in text:
        item["subjects"].append({"name": f"낱말 {text}", "rel": "keyword"})
    [imported] = ninjs.import_items([item], by=actors.IMPORT)
    html = client.get(imported.path).content
    assert checks.page_problems(html) == []
    shown = checks.visible_text(html)
    for value in (f"제목 {text}", f"부제 {text}", f"분야 {text}", " ".join(item["by"].split())):
        assert value in shown, value
    detail = client.get(f"/api/v1/articles/{imported.article.public_id}").json()["data"]
    assert detail["headline"] == f"제목 {text}"

    hostile_body = {**item, "uri": f"urn:hostile:body:{vector.name}"}
    hostile_body["bodies"] = [
        {"role": "main", "contenttype": "text/html", "value": f"<p>본문 {text}</p>"}
    ]
    before = Article.objects.count()
    try:
        [second] = ninjs.import_items([hostile_body], by=actors.IMPORT)
    except ninjs.NinjsError as error:
        [problem] = error.errors
        # The reason names what was found (`<script>`, `<img onerror=…>`).
        assert problem.field == "bodies" and problem.message.startswith(ninjs.HOSTILE_HTML + ": <")
        assert Article.objects.count() == before
    else:
        # Nothing active was in it (text only): stored sanitised, with its Korean.
        assert checks.page_problems(f"<div>{second.article.body}</div>") == []
        assert "본문" in second.article.body_text
