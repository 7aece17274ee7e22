"""Desk fixtures: one user per role, signed-in clients, an article written by the reporter."""

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.contenttypes.management import create_contenttypes
from django.test import Client

from sinmun.newsroom import roles, services


@pytest.fixture(autouse=True)
def _role_groups(request):
    """Make sure the role groups and their permissions exist in browser (live server) tests.

    A transactional test empties every table when it ends; after a serialized-rollback test
    (the backup tests) Django skips post_migrate, so permissions and groups stay gone for the
    next transactional test in the same process. Recreate them as post_migrate would.
    """
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    roles.ensure_groups()


def make_user(django_user_model, username: str, role: str | None, reporter=None):
    user = django_user_model.objects.create_user(username=username, password="x-Passw0rd!")
    if role:
        user.groups.add(Group.objects.get(name=role))
    if reporter is not None:
        reporter.user = user
        reporter.save(update_fields=["user"])
    return django_user_model.objects.get(pk=user.pk)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(newsroom, django_user_model):
    """Return the newsroom's accounts: 기자 김민준, another 기자, a desk, a 관리자, a reader."""
    return {
        "reporter": make_user(django_user_model, "kim", roles.REPORTER, newsroom.kim),
        "other": make_user(django_user_model, "lee", roles.REPORTER, newsroom.lee),
        "desk": make_user(django_user_model, "desk", roles.DESK),
        "admin": make_user(django_user_model, "admin", roles.ADMIN),
        "reader": make_user(django_user_model, "reader", None),
    }


@pytest.fixture
def clients(people):
    return {name: client_for(user) for name, user in people.items()}


@pytest.fixture
def draft(newsroom, people):
    """Return a draft the reporter wrote (owner and byline)."""
    return services.article_create(
        by=people["reporter"],
        headline="새나루시 버스 노선 개편",
        subheadlines=["다음 달부터 12개 노선 바뀐다"],
        body="<p>새나루시가 버스 노선을 바꾼다.</p><p>시민 의견을 듣는다.</p>",
        section=newsroom.assembly,
        reporters=[newsroom.kim],
        keywords=["버스"],
    )
