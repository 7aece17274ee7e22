"""``sinmun api_client``: create (the token on stdout, once), list, revoke — as the shell."""

import io

import pytest
from django.core.management import CommandError, call_command

from sinmun import testcommand
from sinmun.api import services
from sinmun.api.models import ApiClient


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_client", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_create_prints_only_the_token_on_stdout():
    out, err = run("create", "wire", "--scope", "write", "--scope", "publish", "--rate", "30")
    token = out.strip()
    client = ApiClient.objects.get(name="wire")
    assert services.api_client_for_token(token=token) == client
    assert (client.scopes, client.rate_per_minute) == (["write", "publish"], 30)
    assert (client.created_by, client.created_by_actor) == (None, "shell")
    assert "한 번만" in err


@pytest.mark.django_db
def test_list_shows_scopes_rate_and_state():
    run("create", "wire", "--scope", "write")
    run("create", "old", "--scope", "read")
    run("revoke", "old")
    out, _ = run("list")
    lines = out.splitlines()
    assert lines[0].startswith("old\tread\t분당 60\t폐기 ")
    assert lines[1].startswith("wire\twrite\t분당 60\t사용 중\t마지막 사용 -")


@pytest.mark.django_db
def test_revoke_stops_the_token():
    token = run("create", "wire", "--scope", "write")[0].strip()
    out, _ = run("revoke", "wire")
    assert "폐기" in out
    assert services.api_client_for_token(token=token) is None
    assert ApiClient.objects.get(name="wire").revoked_by_actor == "shell"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "Wire", "--scope", "write"), services.BAD_NAME),
        (("create", "wire", "--scope", "publish"), services.PUBLISH_NEEDS_WRITE),
        (("create", "wire", "--scope", "write", "--rate", "0"), services.BAD_RATE),
        (("revoke", "nobody"), "없는 클라이언트입니다: nobody"),
    ],
)
def test_mistakes_are_reported_in_korean(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
    assert not ApiClient.objects.exists()


def test_the_installed_command_creates_lists_and_revokes(tmp_path):
    assert testcommand.run(tmp_path, "migrate", "--verbosity", "0").returncode == 0
    created = testcommand.run(tmp_path, "api_client", "create", "wire", "--scope", "write")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().startswith(services.TOKEN_PREFIX)
    listed = testcommand.run(tmp_path, "api_client", "list")
    assert listed.stdout.startswith("wire\twrite\t")
    revoked = testcommand.run(tmp_path, "api_client", "revoke", "wire")
    assert revoked.returncode == 0, revoked.stderr
    again = testcommand.run(tmp_path, "api_client", "revoke", "wire")
    assert again.returncode != 0
    assert services.ALREADY_REVOKED in again.stderr
