"""Fixtures shared by every app's tests: a small newsroom built through the services."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article, Reporter, Section, Series


def pytest_configure(config):
    # The real password hasher, each answer computed once a run (sinmun/testhashing.py).
    from sinmun import testhashing

    testhashing.install()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Selectors cache the outlet and menu; each test starts cold so counts are repeatable."""
    from sinmun.public.pagecache import store
    from sinmun.public.templatetags import fragments

    for alias in ("default", "local"):
        caches[alias].clear()
    store.clear()
    fragments.forget_all()
    yield
    for alias in ("default", "local"):
        caches[alias].clear()
    store.clear()
    fragments.forget_all()


@pytest.fixture
def front():
    """A client that goes through the page cache in front of Django (sinmun/testfront.py)."""
    from sinmun.testfront import FrontClient

    return FrontClient()


@pytest.fixture
def fragments_kept(settings):
    """Render as the site does between changes: fragments kept, no whole-page cache."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_SECONDS = 60


@pytest.fixture
def front_server():
    """The site's whole WSGI application served for the browser (sinmun/testfront.py)."""
    from sinmun.testfront import serving_front

    with serving_front() as server:
        yield server


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Return a context manager that runs the on-commit follow-ups of the writes inside it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@dataclass
class Newsroom:
    politics: Section
    assembly: Section
    tech: Section
    bigtech: Section
    column: Series
    kim: Reporter
    lee: Reporter
    park: Reporter
    articles: list[Article] = field(default_factory=list)

    def article(self, *, minutes_ago: int = 60, publish: bool = True, **fields) -> Article:
        """Create (and by default publish) an article with sensible defaults."""
        defaults = {
            "headline": "한결전자, 평택에 반도체 새 공장 짓는다",
            "subheadlines": ["총 4조 원 투입해 2028년 가동", "지역 일자리 1200개 예상"],
            "body": "<p>한결전자가 새 공장을 짓기로 했다.</p><p>회사는 12일 이렇게 밝혔다.</p>",
            "section": self.bigtech,
            "reporters": [self.kim],
            "keywords": ["반도체", "한결전자"],
        }
        defaults.update(fields)
        article = services.article_create(by=actors.DEMO, **defaults)
        if publish:
            services.article_publish(
                article=article, by=actors.DEMO, at=timezone.now() - timedelta(minutes=minutes_ago)
            )
        self.articles.append(article)
        return article


@pytest.fixture
def newsroom(db) -> Newsroom:
    """Return an outlet with two two-level sections, a series and three reporters (no articles)."""
    services.outlet_update(
        by=actors.DEMO,
        name="새나루일보",
        title="새나루일보",
        company="(주)새나루미디어",
        address="서울특별시 중구 새나루로 12",
        phone="02-0000-0000",
        registration_number="서울 아09999",
        publisher="정하늘",
        editor="오가람",
        youth_officer="한누리",
    )
    politics = services.section_create(by=actors.DEMO, name="정치", slug="politics", order=1)
    tech = services.section_create(by=actors.DEMO, name="IT·과학", slug="it-science", order=2)
    return Newsroom(
        politics=politics,
        assembly=services.section_create(
            by=actors.DEMO, name="국회", slug="assembly", parent=politics
        ),
        tech=tech,
        bigtech=services.section_create(by=actors.DEMO, name="빅테크", slug="bigtech", parent=tech),
        column=services.series_create(by=actors.DEMO, name="기자수첩", slug="column"),
        kim=services.reporter_create(by=actors.DEMO, name="김민준", slug="kim-minjun"),
        lee=services.reporter_create(by=actors.DEMO, name="이서연", slug="lee-seoyeon"),
        park=services.reporter_create(
            by=actors.DEMO, name="박하준", slug="park-hajun", title="특파원"
        ),
    )
