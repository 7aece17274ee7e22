"""Kept fragments and article rows (the render path with the page cache off): a render after
an unrelated publish reuses the article's own parts, and every change readers could see is on
the page at once."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from sinmun.newsroom import actors, selectors, services
from sinmun.newsroom.models import Correction
from sinmun.public.templatetags import fragments
from sinmun.testfront import article_html as page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_kept")]


def test_a_second_render_reads_nothing_from_the_database(
    client, newsroom, committed, django_assert_num_queries
):
    with committed():
        article = newsroom.article()
    first = page(client, article)
    with django_assert_num_queries(0):
        second = page(client, article)
    assert second == first


def test_an_update_is_on_the_page_at_once(client, newsroom, committed):
    with committed():
        article = newsroom.article(headline="고치기 전 제목")
    assert "고치기 전 제목" in page(client, article)
    with committed():
        services.article_update(article=article, by=actors.DEMO, headline="고친 뒤 제목")
    shown = page(client, article)
    assert "고친 뒤 제목" in shown
    assert "고치기 전 제목" not in shown


def test_another_articles_publish_keeps_this_articles_parts_and_updates_the_lists(
    client, newsroom, committed
):
    with committed():
        article = newsroom.article(headline="오래 읽히는 기사")
    page(client, article)
    kept = {key: value for key, value in fragments._fragments.items() if "article-top" in key}
    assert kept
    with committed():
        newsroom.article(headline="방금 들어온 속보", minutes_ago=0)
    shown = page(client, article)
    assert "방금 들어온 속보" in shown  # the 최신 기사 list is keyed on the content generation
    for key, value in kept.items():
        assert fragments._fragments[key] is value  # the article's own part was not rendered again


def test_renaming_a_reporter_changes_the_byline(client, newsroom, committed):
    with committed():
        article = newsroom.article(reporters=[newsroom.kim])
    old_name = newsroom.kim.name
    assert old_name in page(client, article)
    with committed():
        services.reporter_update(by=actors.DEMO, reporter=newsroom.kim, name="오하늘")
    shown = page(client, article)
    assert "오하늘" in shown
    assert f"{old_name} 기자" not in shown


def test_a_correction_shows_at_once(client, newsroom, committed):
    with committed():
        article = newsroom.article()
    page(client, article)
    with committed():
        services.correction_publish(
            article=article,
            by=actors.DEMO,
            kind=Correction.Kind.CORRECTION,
            text="숫자를 바로잡습니다.",
        )
    assert "숫자를 바로잡습니다." in page(client, article)


def test_a_withdrawal_answers_gone_at_once(client, newsroom, committed):
    with committed():
        article = newsroom.article()
    page(client, article)
    with committed():
        services.article_withdraw(article=article, by=actors.DEMO, reason="사실과 달라 회수합니다")
    assert client.get(article.get_absolute_url()).status_code == 410


def test_the_desk_preview_never_reads_or_fills_a_fragment():
    template = Template('{% load fragments %}{% fragment "t" key %}{{ text }}{% endfragment %}')
    assert template.render(Context({"key": 1, "text": "공개된 글"})) == "공개된 글"
    assert template.render(Context({"key": 1, "text": "다른 글"})) == "공개된 글"  # kept
    preview = Context({"key": 1, "text": "미리보기 글", "preview": True})
    assert template.render(preview) == "미리보기 글"
    assert template.render(Context({"key": 1, "text": "다른 글"})) == "공개된 글"


def test_fragments_expire(settings, monkeypatch):
    template = Template('{% load fragments %}{% fragment "t" key %}{{ text }}{% endfragment %}')
    template.render(Context({"key": 2, "text": "처음"}))
    now = fragments.time.monotonic()
    monkeypatch.setattr(fragments.time, "monotonic", lambda: now + settings.FRAGMENT_SECONDS + 1)
    assert template.render(Context({"key": 2, "text": "나중"})) == "나중"


def test_the_store_keeps_at_most_its_bound(monkeypatch):
    monkeypatch.setattr(fragments, "MAX_FRAGMENTS", 3)
    template = Template('{% load fragments %}{% fragment "t" key %}{{ key }}{% endfragment %}')
    for key in range(10):
        template.render(Context({"key": key}))
    assert len(fragments._fragments) == 3


def test_the_home_and_section_pages_show_a_publish_at_once_and_read_nothing_in_between(
    client, newsroom, committed, django_assert_num_queries
):
    with committed():
        newsroom.article(headline="먼저 나간 기사")
    for url in ("/", "/section/bigtech/"):
        assert "먼저 나간 기사" in client.get(url).content.decode()
        with django_assert_num_queries(0):
            client.get(url)
    with committed():
        newsroom.article(headline="방금 출고한 속보", minutes_ago=0)
    for url in ("/", "/section/bigtech/"):
        assert "방금 출고한 속보" in client.get(url).content.decode(), url


def test_each_page_of_a_section_is_its_own_fragment(client, newsroom, committed, settings):
    with committed():
        for n in range(25):
            newsroom.article(headline=f"목록 기사 {n:02d}", minutes_ago=n + 1)
    first = client.get("/section/bigtech/").content.decode()
    second = client.get("/section/bigtech/?page=2").content.decode()
    assert "목록 기사 00" in first and "목록 기사 00" not in second


def test_a_lists_count_is_read_once_a_generation_and_follows_every_change(
    client, newsroom, committed, monkeypatch
):
    # One article a page, so the pages a list shows are its count.
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    with committed():
        made = [newsroom.article(minutes_ago=n + 1) for n in range(3)]
    url = newsroom.bigtech.get_absolute_url()
    assert "1 / 3" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as later:
        assert "2 / 3" in client.get(f"{url}?page=2").content.decode()
    # Counted for page 1 in this generation: page 2 (and every other page) reads no count.
    assert not [q["sql"] for q in later if "COUNT(*)" in q["sql"]]
    with committed():
        newsroom.article(minutes_ago=0)
    assert "2 / 4" in client.get(f"{url}?page=2").content.decode()
    with committed():
        services.article_withdraw(article=made[0], by=actors.DEMO)
    assert "2 / 3" in client.get(f"{url}?page=2").content.decode()
    with committed():
        services.article_update(article=made[1], by=actors.DEMO, section=newsroom.assembly)
    assert "2 / 2" in client.get(f"{url}?page=2").content.decode()
    moved_to = selectors.articles_for_section(section=newsroom.politics, page=1)
    assert moved_to.paginator.count == 1


def test_fragment_keys_resolve_as_django_resolves_them(newsroom):
    from django.template import engines
    from django.template.base import Parser

    from sinmun.public.templatetags.fragments import _Key

    def refused():
        raise AssertionError("a method that alters data is never called from a template")

    refused.alters_data = True
    engine = engines["django"].engine
    context = Context(
        {
            "name": "정치",
            "nothing": None,
            "section": newsroom.assembly,
            "counted": lambda: 7,
            "refused": refused,
            "mapping": {"pk": 3},
            "word": "abc",
        }
    )
    parser = Parser([], builtins=engine.template_builtins)
    cases = [
        "name", "missing", "missing.pk", "nothing.pk", "section.pk", "section.parent_id",
        "section.parent.slug", "section.modified_at", "section.nope", "counted", "refused",
        "mapping.pk", "word.upper", "name|length", "7", '"글"',
    ]  # fmt: skip
    with context.bind_template(engine.from_string("")):
        for case in cases:
            expression = parser.compile_filter(case)
            assert _Key(expression).resolve(context) == expression.resolve(context), case


def test_the_menu_is_kept_apart_for_each_current_section(client, newsroom, committed):
    with committed():
        article = newsroom.article(section=newsroom.assembly)

    def current(url):
        html = client.get(url).content.decode()
        menu = html[html.index('<nav class="sections"') : html.index("</nav>")]
        return [part.split('href="')[1].split('"')[0] for part in menu.split("<a ")[1:]
                if 'aria-current="page"' in part]  # fmt: skip

    assert current(article.get_absolute_url()) == []
    assert current("/section/it-science/") == ["/section/it-science/"]
    assert current("/section/assembly/") == ["/section/politics/"]  # a child marks its parent
    assert current("/") == []


def test_a_block_inside_a_fragment_is_refused():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match=fragments.BLOCK_INSIDE[:20]):
        Template(
            '{% load fragments %}{% fragment "t" key %}{% block b %}{% endblock %}{% endfragment %}'
        )
