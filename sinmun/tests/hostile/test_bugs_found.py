"""The bugs issue #15 found on the landed code, one test each (they failed before their fixes).

- ``/article/%00/`` and ``/keyword/%00/`` were a 500 on PostgreSQL (``DataError``), a 404 on
  SQLite: path segments that cannot be stored no longer reach the database;
- a search query longer than the box allows got the server's bare 414 (a URI over granian's
  64 KB) or was cut silently: the site now refuses it on its own page, saying why;
- ``/media/../..`` logged a traceback (``SuspiciousFileOperation``): now a quiet 404;
- an empty import file exited 0 printing nothing: now status 1 and a reason;
- a broken pretty-printed JSON file was reported as ``항목 41: 41행`` for a 3-item file: the
  place is the file's line and column;
- a keyword with ``/`` was refused as "1~50자": now for the slash;
- the demo against another database with the same ./var shared (and wrote) one password file.
"""

import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from sinmun.demo import loader
from sinmun.newsroom import roles, services
from sinmun.newsroom.models import Article, Keyword
from sinmun.search import selectors as search_selectors
from sinmun.syndication import ninjs

from . import checks

NOT_FOUND_TEXT = "페이지를 찾을 수 없습니다"


@pytest.mark.parametrize(
    "url",
    [
        "/article/%00/",
        "/article/%00/related/",
        "/article/a%00b/",
        "/keyword/%00/",
        "/keyword/%EB%B0%98%EB%8F%84%EC%B2%B4%00/",
    ],
)
def test_a_nul_byte_in_a_path_is_the_sites_404_on_every_database(client, newsroom, url):
    newsroom.article()
    response = client.get(url)
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()


def test_a_keyword_and_an_article_with_ordinary_names_are_still_found(client, newsroom):
    # The converter that refuses NUL must not refuse what the old one matched.
    article = newsroom.article(keywords=["AI 반도체", "3.5%", "C++"])
    assert client.get(article.get_absolute_url()).status_code == 200
    for word in article.keywords.all():
        assert client.get(word.get_absolute_url()).status_code == 200, word.name


@pytest.mark.parametrize(
    "path",
    ["/media/../../etc/passwd", "/media/..%2f..%2fetc%2fpasswd", "/media/photos/../../../x"],
)
def test_a_media_path_out_of_the_media_folder_is_a_quiet_404(client, db, caplog, path):
    with caplog.at_level(logging.WARNING):
        response = client.get(path)
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


def test_media_inside_the_folder_is_still_served(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.txt").write_bytes(b"photo")
    response = client.get("/media/photos/a.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"photo"


def test_a_search_query_longer_than_the_box_is_refused_on_the_sites_page(client, newsroom):
    newsroom.article()
    # 20,000 Korean characters: 180 KB once percent-encoded (the server itself refuses a
    # target over 64 KB before the site sees it; docs/decisions/0024).
    for text in ("반" * 201, "반도체 " * 3000):
        response = client.get("/search/", {"q": text})
        assert response.status_code == 400
        typed = len(" ".join(text.split()))
        message = f"검색어가 너무 깁니다. 200자까지 쓸 수 있습니다 (입력한 검색어: {typed:,}자)."
        assert message == search_selectors.QUERY_TOO_LONG.format(limit=200, length=typed)
        assert message in checks.visible_text(response.content)
        assert checks.page_problems(response.content) == []
        # The site's own page: its header and search box are there.
        assert 'maxlength="200"' in response.content.decode()


def test_a_query_of_exactly_the_limit_is_searched(client, newsroom):
    newsroom.article()
    response = client.get("/search/", {"q": "반도체 " + "가" * 196})
    assert response.status_code == 200
    assert "검색어가 너무 깁니다" not in response.content.decode()


def test_the_api_refuses_a_long_query_in_its_own_shape(client, db):
    response = client.get("/api/v1/search", {"q": "반" * 201})
    assert response.status_code == 422
    assert "error" in response.json()


# The import command ------------------------------------------------------------------------


def _import(path) -> tuple[CommandError, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_ninjs", str(path), stdout=out, stderr=err)
    return excinfo.value, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("content", ["", "\n  \n", "\ufeff", "[]"])
def test_an_empty_import_file_fails_with_a_reason(newsroom, tmp_path, content):
    path = tmp_path / "wire.json"
    path.write_text(content, encoding="utf-8")
    before = Article.objects.count()
    error, out, err = _import(path)
    assert ninjs.NO_ITEMS in err
    assert "아무것도 가져오지 않았습니다" in str(error)
    assert out == ""
    assert Article.objects.count() == before


def test_a_broken_pretty_printed_file_names_the_files_line_and_column(newsroom, tmp_path):
    # Three items written over 40-odd lines, the third missing a comma after its "uri".
    items = []
    for n in range(3):
        fields = [f'    "k{i}": "값 {i}",' for i in range(11)]
        last = f'    "uri": "urn:x:{n}"' + (' "pubstatus": "usable"' if n == 2 else "")
        items.append("  {\n" + "\n".join([*fields, last]) + "\n  }")
    text = "[\n" + ",\n".join(items) + "\n]\n"
    path = tmp_path / "wire.json"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    [line] = [n for n, t in enumerate(lines, start=1) if "pubstatus" in t]
    column = lines[line - 1].index('"pubstatus"') + 1
    assert line > 40  # the old report said 항목 <this line> for a 3-item file
    _, _, err = _import(path)
    assert err.strip() == f"파일: {line}행 {column}열: {ninjs.NOT_JSON} (Expecting ',' delimiter)"
    assert f"항목 {line}" not in err


def test_a_broken_json_lines_file_names_the_item_and_its_line(newsroom, tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text('{"uri": "a"}\n\n{"uri": "b"}\n{"uri": "c",}\n', encoding="utf-8")
    _, _, err = _import(path)
    assert (
        err.strip()
        == f"항목 3: 4행 13열: {ninjs.NOT_JSON} (Expecting property name enclosed in double quotes)"
    )


# Keywords -----------------------------------------------------------------------------------


def test_a_keyword_with_a_slash_is_refused_for_the_slash(db):
    with pytest.raises(ValidationError) as excinfo:
        services.keyword_for_name(name="AI/반도체")
    assert excinfo.value.messages == [services.KEYWORD_SLASH]
    assert "/" in services.KEYWORD_SLASH and "1~50" not in services.KEYWORD_SLASH
    with pytest.raises(ValidationError) as excinfo:
        services.keyword_for_name(name="가" * 51)
    assert excinfo.value.messages == [services.KEYWORD_INVALID]
    assert Keyword.objects.count() == 0


def test_the_desk_editor_shows_the_slash_reason(newsroom, django_user_model, client):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create(username="slash-desk")
    user.groups.add(Group.objects.get(name=roles.ADMIN))
    client.force_login(user)
    response = client.post(
        "/desk/articles/new/",
        {
            "headline": "키워드에 빗금이 든 기사",
            "subheadlines": "부제 한 줄",
            "body": "<p>본문이다.</p>",
            "section": newsroom.bigtech.pk,
            "series": "",
            "reporters": [newsroom.kim.pk],
            "keywords": "반도체, AI/반도체",
            "lead_photo_caption": "",
            "lead_photo_credit": "",
            "intent": "save",
        },
    )
    assert response.status_code == 400  # the editor again, with the field's error
    assert services.KEYWORD_SLASH in checks.visible_text(response.content)
    assert Article.objects.count() == 0


# The demo's passwords -----------------------------------------------------------------------


def test_each_database_keeps_its_own_demo_password_file(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert loader.accounts_file().parent == tmp_path
    # The test database is not ./var's SQLite file, so its file is not the README's one.
    assert loader.accounts_file().name != loader.ACCOUNTS_FILE
    assert loader.accounts_file().name.startswith("demo-accounts-")


def test_the_demo_never_rewrites_another_databases_logins(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    # Hashing is not what is tested here; PBKDF2 costs seconds on a busy machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sqlite_logins = "reporter aaa\ndesk bbb\nadmin ccc\n"
    (tmp_path / loader.ACCOUNTS_FILE).write_text(sqlite_logins)
    # This database already has a desk account under a password no file here knows.
    get_user_model().objects.create_user(username="desk", password="someone-elses")
    roles.ensure_groups()
    # The accounts step of load_demo alone: the whole demo takes minutes on a busy machine.
    accounts = {user: password for _, user, password in loader._accounts({})}
    assert accounts["desk"] is None  # never a password that would not work
    assert get_user_model().objects.get(username="desk").check_password("someone-elses")
    for user in ("reporter", "admin"):
        assert get_user_model().objects.get(username=user).check_password(accounts[user])
    assert (tmp_path / loader.ACCOUNTS_FILE).read_text() == sqlite_logins
    own = loader.accounts_file().read_text()
    assert "desk" not in own and own.count("\n") == 2
