"""Check API clients: tokens shown once and stored hashed, scopes, revocation, who may."""

import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from sinmun.api import services
from sinmun.api.models import ApiClient
from sinmun.newsroom import actors


def create(name="wire", scopes=("write",), **kwargs):
    return services.api_client_create(by=actors.DEMO, name=name, scopes=list(scopes), **kwargs)


@pytest.mark.django_db
def test_a_token_is_returned_once_and_only_its_hash_is_stored():
    client, token = create()
    assert token.startswith(services.TOKEN_PREFIX)
    assert len(token) > 40
    client.refresh_from_db()
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiClient.objects.filter(pk=client.pk).values().get())
    assert token[len(services.TOKEN_PREFIX) :].startswith(client.token_prefix)


@pytest.mark.django_db
def test_the_token_finds_its_client_and_a_wrong_one_finds_nothing():
    client, token = create()
    assert services.api_client_for_token(token=token) == client
    wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (wrong, "", "sinmun_", "Bearer " + token, token[len(services.TOKEN_PREFIX) :]):
        assert services.api_client_for_token(token=bad) is None


@pytest.mark.django_db
def test_using_a_token_notes_when_it_was_last_used():
    client, token = create()
    assert client.last_used_at is None
    services.api_client_for_token(token=token)
    client.refresh_from_db()
    assert client.last_used_at is not None


@pytest.mark.django_db
def test_a_revoked_token_stops_working_and_records_who_revoked_it(admin_user):
    client, token = create()
    services.api_client_revoke(by=admin_user, client=client)
    client.refresh_from_db()
    assert services.api_client_for_token(token=token) is None
    assert (client.revoked_by, client.revoked_by_actor) == (admin_user, "")
    with pytest.raises(ValidationError, match=services.ALREADY_REVOKED):
        services.api_client_revoke(by=admin_user, client=client)


@pytest.mark.django_db
def test_the_creator_is_recorded_user_or_system(admin_user):
    by_user, _ = services.api_client_create(by=admin_user, name="partner", scopes=["read"])
    by_shell, _ = services.api_client_create(by=services.SHELL, name="feed", scopes=["read"])
    assert (by_user.created_by, by_user.created_by_actor) == (admin_user, "")
    assert (by_shell.created_by, by_shell.created_by_actor) == (None, "shell")


@pytest.mark.django_db
def test_only_an_outlet_manager_creates_or_revokes(django_user_model):
    desk = django_user_model.objects.create_user("desk", password="x")
    desk.user_permissions.add(Permission.objects.get(codename="publish_article"))
    with pytest.raises(PermissionDenied, match=services.NOT_ALLOWED):
        services.api_client_create(by=desk, name="wire", scopes=["write"])
    client, _ = create()
    with pytest.raises(PermissionDenied, match=services.NOT_ALLOWED):
        services.api_client_revoke(by=desk, client=client)
    with pytest.raises(PermissionDenied):
        services.api_client_create(by=actors.IMPORT, name="wire2", scopes=["write"])
    assert ApiClient.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_no_actor_is_refused():
    with pytest.raises(TypeError):
        services.api_client_create(by=None, name="wire", scopes=["write"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Wire"}, services.BAD_NAME),
        ({"name": "통신사"}, services.BAD_NAME),
        ({"name": "-wire"}, services.BAD_NAME),
        ({"name": "w" * 41}, services.BAD_NAME),
        ({"scopes": []}, services.BAD_SCOPES),
        ({"scopes": ["admin"]}, services.BAD_SCOPES),
        ({"scopes": "write"}, services.BAD_SCOPES),
        ({"scopes": ["publish"]}, services.PUBLISH_NEEDS_WRITE),
        ({"rate_per_minute": 0}, services.BAD_RATE),
        ({"rate_per_minute": 10_001}, services.BAD_RATE),
    ],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create(**{"name": "wire", "scopes": ["write"], **kwargs})
    assert not ApiClient.objects.exists()


@pytest.mark.django_db
def test_a_name_is_never_reused_even_after_revocation():
    """Revisions name the client ``api:<name>``: a new client must not inherit its history."""
    client, _ = create()
    services.api_client_revoke(by=actors.DEMO, client=client)
    with pytest.raises(ValidationError, match="이미 있는 이름"):
        create()


@pytest.mark.django_db
def test_scopes_are_stored_in_a_fixed_order():
    client, _ = create(scopes=["publish", "write", "write"])
    assert client.scopes == ["write", "publish"]
