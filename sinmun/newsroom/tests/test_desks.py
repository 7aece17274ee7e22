"""``services.section_set_desk_editors``: who may assign a section's desks, and whom."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from sinmun.newsroom import access, actors, roles, services
from sinmun.newsroom.models import Article
from sinmun.newsroom.services.desks import NOT_A_DESK


def _user(django_user_model, username: str, role: str | None):
    user = django_user_model.objects.create_user(username=username, password="x")
    if role:
        user.groups.add(Group.objects.get(name=role))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def people(django_user_model):
    return {
        role: _user(django_user_model, name, role)
        for name, role in (("gija", roles.REPORTER), ("desk", roles.DESK), ("boss", roles.ADMIN))
    }


def test_a_manager_assigns_desks_and_the_assignment_limits_release(newsroom, people):
    other = newsroom.article(section=newsroom.assembly, publish=False)
    services.section_set_desk_editors(
        by=people[roles.ADMIN], section=newsroom.tech, users=[people[roles.DESK]]
    )
    assert list(newsroom.tech.desk_editors.all()) == [people[roles.DESK]]
    own = newsroom.article(section=newsroom.bigtech, publish=False)
    assert access.may_release_article(people[roles.DESK], own)
    assert not access.may_release_article(people[roles.DESK], other)
    assert other.status == Article.Status.DRAFT


def test_an_empty_list_clears_the_assignment(newsroom, people):
    services.section_set_desk_editors(
        by=actors.DEMO, section=newsroom.tech, users=[people["데스크"]]
    )
    services.section_set_desk_editors(by=actors.DEMO, section=newsroom.tech, users=[])
    assert not newsroom.tech.desk_editors.exists()


@pytest.mark.parametrize("role", [roles.REPORTER, roles.DESK])
def test_only_who_may_change_sections_assigns(newsroom, people, role):
    with pytest.raises(PermissionDenied, match=services.NOT_ALLOWED_TAXONOMY):
        services.section_set_desk_editors(
            by=people[role], section=newsroom.tech, users=[people[roles.DESK]]
        )
    assert not newsroom.tech.desk_editors.exists()


def test_a_system_actor_without_taxonomy_rights_is_refused(newsroom, people):
    with pytest.raises(PermissionDenied):
        services.section_set_desk_editors(
            by=actors.SCHEDULE, section=newsroom.tech, users=[people[roles.DESK]]
        )


def test_nobody_is_refused(newsroom):
    with pytest.raises(TypeError):
        services.section_set_desk_editors(by=None, section=newsroom.tech, users=[])


@pytest.mark.parametrize("role", [roles.REPORTER, roles.ADMIN, None])
def test_only_desk_accounts_may_be_assigned(newsroom, people, django_user_model, role):
    wrong = people[role] if role else _user(django_user_model, "nobody", None)
    services.section_set_desk_editors(
        by=actors.DEMO, section=newsroom.tech, users=[people["데스크"]]
    )
    with pytest.raises(ValidationError) as caught:
        services.section_set_desk_editors(
            by=actors.DEMO, section=newsroom.tech, users=[people[roles.DESK], wrong]
        )
    assert caught.value.messages == [NOT_A_DESK.format(names=wrong.username)]
    assert list(newsroom.tech.desk_editors.all()) == [people[roles.DESK]]


def test_a_stopped_desk_account_may_not_be_assigned(newsroom, people):
    desk = people[roles.DESK]
    desk.is_active = False
    desk.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.section_set_desk_editors(by=actors.DEMO, section=newsroom.tech, users=[desk])
