"""Check ninjs reading, import (all or nothing), export and the export → import round trip."""

import copy
import io
import json
from datetime import UTC, datetime, timedelta

import hypothesis
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st
from PIL import Image

from sinmun.newsroom import actors, services
from sinmun.newsroom.models import (
    Article,
    ArticleRevision,
    Keyword,
    Reporter,
    Section,
    Series,
)
from sinmun.syndication import ninjs
from sinmun.syndication.ninjs import ItemError, NinjsError

URI = "urn:newsml:saenaru.example:20260312:0001"
OTHER_URI = "urn:newsml:saenaru.example:20260312:0002"
OLD_HEADLINE = "옛 제목: 한결전자 공장 계획"
NEW_HEADLINE = "한결전자, 평택에 반도체 새 공장 짓는다"
FIRST = datetime(2026, 3, 12, 0, 30, tzinfo=UTC)  # 2026-03-12 09:30 KST
LATER = datetime(2026, 3, 12, 2, 5, tzinfo=UTC)  # 2026-03-12 11:05 KST
# The smallest valid PNG (1×1): enough for a lead photo that export links and import finds.


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (10, 90, 160)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def good_item(**overrides):
    """Return a valid item that, imported, creates a reporter, a keyword and a section.

    Failure tests change one thing in it, so a refused item differs from an accepted one only
    in what is being tested.
    """
    item = {
        "uri": URI,
        "type": "text",
        "language": "ko",
        "pubstatus": "usable",
        "headlines": [
            {"role": "main", "value": NEW_HEADLINE},
            {"role": "sub", "value": "총 4조 원 투입해 2028년 가동"},
            {"role": "sub", "value": "지역 일자리 1200개 예상"},
        ],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": "<p>한결전자가 새 공장을 짓기로 했다.</p><p>회사는 12일 밝혔다.</p>",
            }
        ],
        "by": "김민준, 최유나",
        "subjects": [
            {"name": "경제", "rel": "section"},
            {"name": "기자수첩", "rel": "series", "uri": "sinmun:series:column"},
            {"name": "반도체", "rel": "keyword"},
            {"name": "전고체 배터리", "rel": "keyword"},
        ],
        "firstcreated": "2026-03-12T09:30:00+09:00",
        "versioncreated": "2026-03-12T11:05:00+09:00",
    }
    item.update(overrides)
    return item


def counts():
    return {
        "articles": Article.objects.count(),
        "sections": Section.objects.count(),
        "series": Series.objects.count(),
        "reporters": Reporter.objects.count(),
        "keywords": Keyword.objects.count(),
        "revisions": ArticleRevision.objects.count(),
    }


@pytest.fixture
def existing(newsroom):
    """Return the article that ``good_item()`` would update (same uri, old headline)."""
    return newsroom.article(uri=URI, headline=OLD_HEADLINE, keywords=["반도체"])


def import_refused(items):
    """Import ``items``, expect ``NinjsError``, check nothing changed, return its errors."""
    before = counts()
    with pytest.raises(NinjsError) as excinfo:
        ninjs.import_items(items, by=actors.IMPORT)
    assert counts() == before
    assert Article.objects.get(uri=URI).headline == OLD_HEADLINE
    return excinfo.value.errors


def reporters_of(article):
    return [b.reporter.name for b in article.bylines.order_by("order")]


# read_items -------------------------------------------------------------------------------------


def test_read_items_accepts_a_json_array():
    assert ninjs.read_items('[{"uri": "a"}, {"uri": "b"}]') == [{"uri": "a"}, {"uri": "b"}]


def test_read_items_accepts_a_single_object():
    assert ninjs.read_items('{"uri": "a"}') == [{"uri": "a"}]


def test_read_items_accepts_json_lines():
    text = '{"uri": "a"}\n\n{"uri": "b", "headlines": []}\n{"uri": "c"}\n'
    assert ninjs.read_items(text) == [{"uri": "a"}, {"uri": "b", "headlines": []}, {"uri": "c"}]


def test_read_items_accepts_a_byte_order_mark():
    assert ninjs.read_items('\ufeff[{"uri": "a"}]') == [{"uri": "a"}]
    assert ninjs.read_items('\ufeff{"uri": "a"}\n{"uri": "b"}') == [{"uri": "a"}, {"uri": "b"}]


def test_read_items_of_an_empty_file_is_empty():
    assert ninjs.read_items("  \n") == []


def test_read_items_refuses_text_that_is_not_json():
    with pytest.raises(NinjsError) as excinfo:
        ninjs.read_items("uri: a")
    [error] = excinfo.value.errors
    # Not JSON Lines either: the place belongs to the file (index 0), not to an item.
    assert (error.index, error.field) == (0, "1행 1열")
    assert error.message.startswith(ninjs.NOT_JSON)


def test_read_items_names_the_bad_line_of_json_lines():
    with pytest.raises(NinjsError) as excinfo:
        ninjs.read_items('{"uri": "a"}\n{"uri": "b"}\n{"uri": "c",}\n{"uri": "d"}')
    [error] = excinfo.value.errors
    assert (error.index, error.field) == (3, "3행 13열")
    assert error.message.startswith(ninjs.NOT_JSON)


def test_read_items_names_the_bad_line_of_a_pretty_printed_array():
    # The trailing comma is on line 3; the file is one JSON document, not JSON Lines.
    text = '[\n  {"uri": "a"},\n  {"uri": "b",}\n]\n'
    with pytest.raises(NinjsError) as excinfo:
        ninjs.read_items(text)
    [error] = excinfo.value.errors
    assert (error.index, error.field) == (0, "3행 15열")
    assert error.message.startswith(ninjs.NOT_JSON)
    assert str(error).startswith("파일: 3행 15열: ")


def test_read_items_refuses_json_nested_too_deeply_for_the_parser():
    with pytest.raises(NinjsError):
        ninjs.read_items("[" * 100_000 + "]" * 100_000)


# import: a good item ----------------------------------------------------------------------------


def test_import_creates_a_published_article(newsroom):
    before = counts()
    [result] = ninjs.import_items([good_item()], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert result.created is True
    assert result.uri == URI
    assert result.path == f"/article/{article.public_id}/"
    assert article.status == Article.Status.PUBLISHED
    assert article.headline == NEW_HEADLINE
    assert article.subheadlines == ["총 4조 원 투입해 2028년 가동", "지역 일자리 1200개 예상"]
    assert article.body == "<p>한결전자가 새 공장을 짓기로 했다.</p><p>회사는 12일 밝혔다.</p>"
    assert article.body_text == "한결전자가 새 공장을 짓기로 했다.\n회사는 12일 밝혔다."
    assert reporters_of(article) == ["김민준", "최유나"]
    assert article.bylines.order_by("order")[0].reporter == newsroom.kim
    assert article.section.name == "경제"
    assert article.section.parent is None
    assert article.series == newsroom.column
    assert sorted(k.name for k in article.keywords.all()) == ["반도체", "전고체 배터리"]
    assert article.first_published_at == FIRST
    assert article.updated_at == LATER
    assert counts() == {
        **before,
        "articles": before["articles"] + 1,
        "sections": before["sections"] + 1,
        "reporters": before["reporters"] + 1,
        "keywords": before["keywords"] + 2,
        "revisions": before["revisions"] + 1,
    }
    assert article.revisions.get().action == ArticleRevision.Action.IMPORT


def test_import_updates_the_existing_article_with_the_same_uri(existing):
    before = counts()
    [result] = ninjs.import_items([good_item()], by=actors.IMPORT)
    assert result.created is False
    assert Article.objects.filter(uri=URI).count() == 1
    article = Article.objects.get(uri=URI)
    assert article.pk == existing.pk
    assert article.public_id == existing.public_id
    assert article.headline == NEW_HEADLINE
    # One new reporter (최유나), one new keyword (전고체 배터리), one new section (경제).
    assert counts() == {
        **before,
        "sections": before["sections"] + 1,
        "reporters": before["reporters"] + 1,
        "keywords": before["keywords"] + 1,
        "revisions": before["revisions"] + 1,
    }


def test_reimporting_the_same_file_never_duplicates(newsroom):
    items = [good_item(), good_item(uri=OTHER_URI)]
    first = ninjs.import_items(copy.deepcopy(items), by=actors.IMPORT)
    after_first = counts()
    second = ninjs.import_items(copy.deepcopy(items), by=actors.IMPORT)
    assert [r.created for r in first] == [True, True]
    assert [r.created for r in second] == [False, False]
    assert [r.path for r in second] == [r.path for r in first]
    assert counts() == {**after_first, "revisions": after_first["revisions"] + 2}


def test_section_subject_uri_picks_an_existing_section_by_slug(newsroom):
    subjects = [{"name": "의회", "rel": "section", "uri": "sinmun:section:assembly"}]
    before = Section.objects.count()
    ninjs.import_items([good_item(subjects=subjects)], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).section == newsroom.assembly
    assert Section.objects.count() == before


def test_section_subject_name_picks_an_existing_section(newsroom):
    before = Section.objects.count()
    ninjs.import_items([good_item(subjects=[{"name": "정치", "rel": "section"}])], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).section == newsroom.politics
    assert Section.objects.count() == before


def test_an_unknown_section_is_created_once(newsroom):
    before = Section.objects.count()
    ninjs.import_items([good_item(), good_item(uri=OTHER_URI)], by=actors.IMPORT)
    assert Section.objects.count() == before + 1
    first, second = Article.objects.get(uri=URI), Article.objects.get(uri=OTHER_URI)
    assert first.section == second.section
    assert (first.section.name, first.section.parent) == ("경제", None)


def test_an_unknown_series_is_created(newsroom):
    subjects = [{"name": "경제", "rel": "section"}, {"name": "현장에서", "rel": "series"}]
    ninjs.import_items([good_item(subjects=subjects)], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).series.name == "현장에서"


def test_reporters_come_from_by_in_order_and_unknown_names_are_created(newsroom):
    before = Reporter.objects.count()
    ninjs.import_items([good_item(by="이서연, 정다온 ,김민준,, ")], by=actors.IMPORT)
    assert reporters_of(Article.objects.get(uri=URI)) == ["이서연", "정다온", "김민준"]
    assert Reporter.objects.count() == before + 1
    assert Reporter.objects.get(name="정다온").title == Reporter.Title.REPORTER


def test_an_item_without_by_has_no_reporters(newsroom):
    item = good_item()
    del item["by"]
    ninjs.import_items([item], by=actors.IMPORT)
    assert reporters_of(Article.objects.get(uri=URI)) == []


@pytest.mark.parametrize(
    ("pubstatus", "status"),
    [
        ("usable", Article.Status.PUBLISHED),
        ("withheld", Article.Status.DRAFT),
        ("canceled", Article.Status.WITHDRAWN),
    ],
)
def test_pubstatus_sets_the_status(newsroom, pubstatus, status):
    ninjs.import_items([good_item(pubstatus=pubstatus)], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).status == status


def test_an_item_without_pubstatus_is_usable(newsroom):
    item = good_item()
    del item["pubstatus"]
    ninjs.import_items([item], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).status == Article.Status.PUBLISHED


@pytest.mark.parametrize("language", ["ko", "ko-KR", "KO", None])
def test_language_ko_or_absent_is_accepted(newsroom, language):
    item = good_item(language=language)
    if language is None:
        del item["language"]
    ninjs.import_items([item], by=actors.IMPORT)
    assert Article.objects.filter(uri=URI).exists()


def test_versioncreated_equal_to_firstcreated_is_no_update(newsroom):
    ninjs.import_items([good_item(versioncreated="2026-03-12T09:30:00+09:00")], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert (article.first_published_at, article.updated_at) == (FIRST, None)


def test_times_in_other_offsets_are_the_same_instants(newsroom):
    ninjs.import_items(
        [
            good_item(
                firstcreated="2026-03-12T00:30:00Z",
                versioncreated="2026-03-11T21:05:00-05:00",
            )
        ],
        by=actors.IMPORT,
    )
    article = Article.objects.get(uri=URI)
    assert (article.first_published_at, article.updated_at) == (FIRST, LATER)


def test_a_usable_item_without_firstcreated_takes_versioncreated_as_first(newsroom):
    item = good_item()
    del item["firstcreated"]
    ninjs.import_items([item], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert (article.first_published_at, article.updated_at) == (LATER, None)


def test_other_markup_is_cleaned_not_refused(newsroom):
    body = '<div class="x"><p style="color:red">본문 <span>안</span></p></div>'
    ninjs.import_items(
        [good_item(bodies=[{"contenttype": "text/html", "value": body}])], by=actors.IMPORT
    )
    assert Article.objects.get(uri=URI).body == "<p>본문 안</p>"


def test_photo_caption_and_credit_are_imported(newsroom):
    image = {
        "type": "picture",
        "descriptions": [{"role": "caption", "value": "평택 공장 조감도"}],
        "by": "한결전자 제공",
        "renditions": {"original": {"href": "https://elsewhere.example/a.jpg"}},
    }
    ninjs.import_items([good_item(associations={"featureimage": image})], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert (article.lead_photo_caption, article.lead_photo_credit) == (
        "평택 공장 조감도",
        "한결전자 제공",
    )
    assert not article.lead_photo  # a remote image is never fetched


def test_a_photo_in_this_sites_media_is_linked(newsroom, settings):
    name = default_storage.save("photos/import/lead.png", ContentFile(PNG))
    href = f"{settings.SITE_URL}{settings.MEDIA_URL}{name}"
    image = {"type": "picture", "renditions": {"original": {"href": href}}}
    ninjs.import_items([good_item(associations={"featureimage": image})], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).lead_photo.name == name


def test_a_photo_path_leaving_the_media_folder_is_not_linked(newsroom, settings):
    href = f"{settings.SITE_URL}{settings.MEDIA_URL}photos/../../secret_key"
    image = {"type": "picture", "renditions": {"original": {"href": href}}}
    ninjs.import_items([good_item(associations={"featureimage": image})], by=actors.IMPORT)
    assert not Article.objects.get(uri=URI).lead_photo


# import: bad input ------------------------------------------------------------------------------


def test_a_good_item_is_accepted_where_the_bad_ones_are_refused(existing):
    # The counterpart of every refusal below: the same item, unchanged, imports.
    ninjs.import_items([good_item()], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).headline == NEW_HEADLINE


def without(key):
    item = good_item()
    del item[key]
    return item


def body(value, contenttype="text/html"):
    return good_item(bodies=[{"role": "main", "contenttype": contenttype, "value": value}])


def subjects(*entries):
    return good_item(subjects=list(entries))


SECTION = {"name": "경제", "rel": "section"}


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        pytest.param(42, "item", ninjs.NOT_OBJECT, id="not-an-object"),
        pytest.param([good_item()], "item", ninjs.NOT_OBJECT, id="nested-array"),
        pytest.param(without("uri"), "uri", ninjs.URI_REQUIRED, id="no-uri"),
        pytest.param(good_item(uri="  "), "uri", ninjs.URI_REQUIRED, id="blank-uri"),
        pytest.param(good_item(uri=7), "uri", ninjs.URI_REQUIRED, id="uri-not-text"),
        pytest.param(good_item(uri="u" * 256), "uri", ninjs.URI_REQUIRED, id="uri-too-long"),
        pytest.param(good_item(type="picture"), "type", ninjs.BAD_TYPE, id="type"),
        pytest.param(without("headlines"), "headlines", ninjs.HEADLINE_MISSING, id="no-headlines"),
        pytest.param(
            good_item(headlines=[{"role": "sub", "value": "부제만"}]),
            "headlines",
            ninjs.HEADLINE_MISSING,
            id="only-sub",
        ),
        pytest.param(
            good_item(headlines=[{"role": "main", "value": "   "}]),
            "headlines",
            ninjs.HEADLINE_MISSING,
            id="blank-headline",
        ),
        pytest.param(
            good_item(headlines=[{"role": "main", "value": 42}]),
            "headlines",
            ninjs.HEADLINE_MISSING,
            id="headline-value-not-text",
        ),
        pytest.param(good_item(headlines=NEW_HEADLINE), "headlines", ninjs.WRONG_TYPE, id="str"),
        pytest.param(
            good_item(headlines=[NEW_HEADLINE]), "headlines", ninjs.WRONG_TYPE, id="list-of-str"
        ),
        pytest.param(
            good_item(headlines=[{"value": NEW_HEADLINE}, {"role": "sub", "value": ["x"]}]),
            "headlines",
            ninjs.WRONG_TYPE,
            id="sub-not-text",
        ),
        pytest.param(
            good_item(headlines=[{"value": "가" * 301}]),
            "headlines",
            services.HEADLINE_TOO_LONG,
            id="headline-too-long",
        ),
        pytest.param(
            good_item(headlines=[{"value": NEW_HEADLINE}] + [{"role": "sub", "value": "줄"}] * 7),
            "headlines",
            services.SUBHEADLINES_TOO_MANY,
            id="seven-subs",
        ),
        pytest.param(without("bodies"), "bodies", ninjs.BODY_MISSING, id="no-bodies"),
        pytest.param(body("본문", "text/plain"), "bodies", ninjs.BODY_MISSING, id="plain-body"),
        pytest.param(body(["<p>가</p>"]), "bodies", ninjs.BODY_MISSING, id="body-not-text"),
        pytest.param(good_item(bodies={"value": "x"}), "bodies", ninjs.WRONG_TYPE, id="bodies"),
        pytest.param(body("<p> </p>"), "bodies", services.BODY_REQUIRED, id="empty-body"),
        pytest.param(good_item(by=["김민준"]), "by", ninjs.WRONG_TYPE, id="by-not-text"),
        pytest.param(subjects(), "subjects", ninjs.SECTION_MISSING, id="no-subjects"),
        pytest.param(
            subjects({"name": "반도체", "rel": "keyword"}),
            "subjects",
            ninjs.SECTION_MISSING,
            id="no-section",
        ),
        pytest.param(
            subjects(SECTION, {"name": "정치", "rel": "section"}),
            "subjects",
            ninjs.SECTION_TWICE,
            id="two-sections",
        ),
        pytest.param(
            subjects(SECTION, {"name": "가", "rel": "series"}, {"name": "나", "rel": "series"}),
            "subjects",
            ninjs.SERIES_TWICE,
            id="two-series",
        ),
        pytest.param(
            subjects(SECTION, {"rel": "keyword"}), "subjects", ninjs.WRONG_TYPE, id="no-name"
        ),
        pytest.param(
            subjects({"name": "경제", "rel": "section", "uri": 3}),
            "subjects",
            ninjs.WRONG_TYPE,
            id="subject-uri-not-text",
        ),
        pytest.param(good_item(subjects="경제"), "subjects", ninjs.WRONG_TYPE, id="subjects-str"),
        pytest.param(good_item(language="en"), "language", ninjs.BAD_LANGUAGE, id="english"),
        pytest.param(good_item(language="kor"), "language", ninjs.BAD_LANGUAGE, id="kor"),
        pytest.param(good_item(language=1), "language", ninjs.BAD_LANGUAGE, id="language-int"),
        pytest.param(good_item(pubstatus="deleted"), "pubstatus", ninjs.BAD_PUBSTATUS, id="del"),
        pytest.param(
            good_item(firstcreated="2026-03-12T09:30:00"),
            "firstcreated",
            ninjs.BAD_TIME,
            id="naive-firstcreated",
        ),
        pytest.param(
            good_item(firstcreated="어제 오후"), "firstcreated", ninjs.BAD_TIME, id="garbage"
        ),
        pytest.param(
            good_item(firstcreated=1773275400), "firstcreated", ninjs.BAD_TIME, id="epoch"
        ),
        pytest.param(
            good_item(versioncreated="2026-03-12"),
            "versioncreated",
            ninjs.BAD_TIME,
            id="naive-versioncreated",
        ),
        pytest.param(
            good_item(associations={"featureimage": "a.jpg"}),
            "associations",
            ninjs.WRONG_TYPE,
            id="featureimage-not-object",
        ),
    ],
)
def test_a_bad_item_is_refused_with_its_field(existing, item, field, message):
    errors = import_refused([item])
    # A wrong shape may also leave the field missing; every error must name this item and field.
    assert (1, field, message) in [(e.index, e.field, e.message) for e in errors]
    assert {(e.index, e.field) for e in errors} == {(1, field)}


@pytest.mark.parametrize(
    ("value", "marker"),
    [
        ("<p>본문</p><script>alert(1)</script>", "script"),
        ('<p>본문</p><img src="x.jpg" onerror="alert(1)">', "onerror"),
        ('<p><a href="javascript:alert(1)">본문</a></p>', "javascript"),
        ('<p><a href="java\tscript:alert(1)">본문</a></p>', "javascript"),
        ('<p>본문</p><iframe src="https://evil.example"></iframe>', "iframe"),
        ('<p>본문</p><img src="data:image/svg+xml;base64,PHN2Zz4=">', "data"),
        ("<p>본문</p><svg><circle r='1'/></svg>", "svg"),
    ],
)
def test_a_body_with_hostile_markup_is_refused(existing, value, marker):
    errors = import_refused([body(value)])
    assert [(e.index, e.uri, e.field) for e in errors] == [(1, URI, "bodies")]
    assert errors[0].message.startswith(ninjs.HOSTILE_HTML)
    assert marker in errors[0].message.lower()


def test_an_unknown_rel_is_refused(existing):
    errors = import_refused([subjects(SECTION, {"name": "경제", "rel": "topic"})])
    assert [(e.index, e.field) for e in errors] == [(1, "subjects")]
    assert errors[0].message.startswith(ninjs.UNKNOWN_REL)
    assert "topic" in errors[0].message


def test_a_bad_keyword_is_refused(existing):
    errors = import_refused([subjects(SECTION, {"name": "1/2", "rel": "keyword"})])
    assert [(e.index, e.field) for e in errors] == [(1, "subjects")]
    assert errors[0].message.startswith(services.KEYWORD_SLASH)


def test_every_problem_of_an_item_is_reported(existing):
    item = good_item(language="en", pubstatus="deleted", firstcreated="어제")
    del item["bodies"]
    errors = import_refused([item])
    assert sorted((e.index, e.uri, e.field, e.message) for e in errors) == sorted(
        [
            (1, URI, "language", ninjs.BAD_LANGUAGE),
            (1, URI, "pubstatus", ninjs.BAD_PUBSTATUS),
            (1, URI, "bodies", ninjs.BODY_MISSING),
            (1, URI, "firstcreated", ninjs.BAD_TIME),
        ]
    )


def test_a_uri_twice_in_one_file_is_refused(existing):
    errors = import_refused([good_item(), good_item(headlines=[{"value": "둘째"}])])
    assert errors == [ItemError(2, URI, "uri", ninjs.URI_DUPLICATE)]


def test_one_bad_item_stops_the_whole_file(existing):
    errors = import_refused([good_item(), good_item(uri=OTHER_URI, language="en")])
    assert errors == [ItemError(2, OTHER_URI, "language", ninjs.BAD_LANGUAGE)]
    assert not Article.objects.filter(uri=OTHER_URI).exists()


def test_every_bad_item_of_a_file_is_reported(existing):
    errors = import_refused(
        [good_item(language="en"), good_item(uri=OTHER_URI), {"uri": "urn:x:3"}, "항목"]
    )
    assert [(e.index, e.field) for e in errors] == [
        (1, "language"),
        (3, "headlines"),
        (3, "bodies"),
        (3, "subjects"),
        (4, "item"),
    ]


def test_a_write_error_in_a_later_item_undoes_the_earlier_ones(existing):
    # A series name longer than the model allows passes the item check and fails only on save.
    long_series = subjects(SECTION, {"name": "가" * 60, "rel": "series"})
    long_series["uri"] = OTHER_URI
    errors = import_refused([good_item(), long_series])
    assert [(e.index, e.uri, e.field) for e in errors] == [(2, OTHER_URI, "item")]


def test_a_photo_caption_too_long_for_the_model_is_an_item_error(existing):
    image = {"descriptions": [{"value": "가" * 301}]}
    errors = import_refused([good_item(associations={"featureimage": image})])
    assert [(e.index, e.field) for e in errors] == [(1, "item")]


# import: inputs that must be item errors, never crashes ----------------------------------------


def test_a_pubstatus_that_is_a_list_is_an_item_error(existing):
    errors = import_refused([good_item(pubstatus=["usable"])])
    assert [(e.index, e.field, e.message) for e in errors] == [
        (1, "pubstatus", ninjs.BAD_PUBSTATUS)
    ]


def test_a_rel_that_is_an_object_is_an_item_error(existing):
    errors = import_refused([subjects(SECTION, {"name": "경제", "rel": {"x": 1}})])
    assert [(e.index, e.field) for e in errors] == [(1, "subjects")]
    assert errors[0].message.startswith(ninjs.UNKNOWN_REL)


def test_photo_descriptions_that_are_not_a_list_are_an_item_error(existing):
    image = {"descriptions": 5}
    errors = import_refused([good_item(associations={"featureimage": image})])
    assert [(e.index, e.field, e.message) for e in errors] == [
        (1, "associations", ninjs.WRONG_TYPE)
    ]


@pytest.mark.parametrize(
    "href", ["http://[broken/a.jpg", "/media//etc/passwd", "http://127.0.0.1:8000/media//etc/hosts"]
)
def test_a_photo_href_outside_the_media_folder_is_skipped_or_refused(existing, href):
    # Only photos in this site's media are linked; anything else is ignored or named as an
    # associations error, never an uncaught exception.
    image = {"descriptions": [{"value": "사진"}], "renditions": {"original": {"href": href}}}
    before = counts()
    try:
        ninjs.import_items([good_item(associations={"featureimage": image})], by=actors.IMPORT)
    except NinjsError as error:
        assert {e.field for e in error.errors} == {"associations"}
        assert counts() == before
    else:
        article = Article.objects.get(uri=URI)
        assert not article.lead_photo
        assert article.lead_photo_caption == "사진"


def test_a_nul_character_in_the_uri_is_refused(existing):
    # NUL is no URI character (RFC 3986), and PostgreSQL cannot store it: refuse it everywhere.
    errors = import_refused([good_item(uri=URI + "\x00")])
    assert [(e.index, e.field) for e in errors] == [(1, "uri")]


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(good_item(headlines=[{"value": "제목 \ud800"}]), id="headline"),
        pytest.param(good_item(uri=URI + "\udc00"), id="uri"),
        pytest.param(good_item(by="김민준, \ud83d"), id="by"),
    ],
)
def test_a_lone_surrogate_is_refused(existing, item):
    # JSON may spell one ("\\ud800"), but no database can store it as UTF-8.
    assert import_refused([item])


def test_a_time_outside_the_storable_range_is_stored_or_refused(existing):
    before = counts()
    try:
        ninjs.import_items([good_item(firstcreated="0001-01-01T00:00:00+09:00")], by=actors.IMPORT)
    except NinjsError as error:
        assert [(e.index, e.field) for e in error.errors] == [(1, "firstcreated")]
        assert counts() == before
    else:
        first = Article.objects.get(uri=URI).first_published_at
        assert first == datetime(1, 1, 1, 0, 0, tzinfo=timezone.get_fixed_timezone(540))


# the property -----------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
# Values a ninjs field plausibly holds, so that mutated items get past the first checks.
likely = json_values | st.sampled_from(
    ["main", "sub", "text/html", "section", "series", "keyword", "usable", "ko", "경제", ""]
)
entries = st.lists(
    st.dictionaries(
        st.sampled_from(["role", "value", "contenttype", "name", "rel", "uri"]), likely, max_size=4
    ),
    max_size=3,
)
mutated_items = st.builds(
    lambda changes: {**good_item(), **changes},
    st.dictionaries(
        st.sampled_from(
            [
                "uri",
                "type",
                "language",
                "pubstatus",
                "headlines",
                "bodies",
                "by",
                "subjects",
                "firstcreated",
                "versioncreated",
                "associations",
            ]
        ),
        likely | entries,
        max_size=3,
    ),
)


@hypothesis.settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(item=json_values | mutated_items)
@example(item={"pubstatus": []})
@example(item=good_item(subjects=[{"name": "x", "rel": ["section"]}]))
def test_any_json_item_imports_or_raises_ninjs_error(newsroom, item):
    before = Article.objects.count()
    try:
        ninjs.import_items([item], by=actors.IMPORT)
    except NinjsError as error:
        assert error.errors
        assert Article.objects.count() == before


# export and the round trip ----------------------------------------------------------------------


def test_to_ninjs_writes_the_documented_shape(newsroom, settings):
    n = newsroom
    article = n.article(
        uri=URI,
        headline=NEW_HEADLINE,
        subheadlines=["부제 하나", "부제 둘"],
        body="<p>본문.</p>",
        section=n.assembly,
        series=n.column,
        reporters=[n.kim, n.park],
        keywords=["한결전자", "반도체"],
        lead_photo_caption="평택 공장",
        lead_photo_credit="한결전자 제공",
        publish=False,
    )
    services.article_publish(article=article, by=actors.DEMO, at=FIRST)
    item = next(iter(ninjs.export_items()))
    assert item == {
        "uri": URI,
        "type": "text",
        "representationtype": "complete",
        "language": "ko",
        "pubstatus": "usable",
        "headlines": [
            {"role": "main", "value": NEW_HEADLINE},
            {"role": "sub", "value": "부제 하나"},
            {"role": "sub", "value": "부제 둘"},
        ],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>본문.</p>"}],
        "by": "김민준, 박하준",
        "subjects": [
            {"name": "국회", "rel": "section", "uri": "sinmun:section:assembly"},
            {"name": "기자수첩", "rel": "series", "uri": "sinmun:series:column"},
            {"name": "반도체", "rel": "keyword"},
            {"name": "한결전자", "rel": "keyword"},
        ],
        "firstcreated": "2026-03-12T09:30:00+09:00",
        "versioncreated": "2026-03-12T09:30:00+09:00",
        "altids": [{"role": "public_id", "value": article.public_id}],
        "links": [
            {"rel": "canonical", "href": f"{settings.SITE_URL}/article/{article.public_id}/"}
        ],
        "associations": {
            "featureimage": {
                "type": "picture",
                "descriptions": [{"role": "caption", "value": "평택 공장"}],
                "by": "한결전자 제공",
            }
        },
    }


@pytest.mark.parametrize(
    ("steps", "pubstatus"),
    [([], "withheld"), (["submit"], "withheld"), (["publish", "withdraw"], "canceled")],
)
def test_unpublished_articles_export_without_a_canonical_link(newsroom, steps, pubstatus):
    article = newsroom.article(publish=False)
    for step in steps:
        getattr(services, f"article_{step}")(article=article, by=actors.DEMO)
    [item] = ninjs.export_items()
    assert item["pubstatus"] == pubstatus
    assert "links" not in item


@pytest.fixture
def archive(newsroom):
    """Return a newsroom with every kind of article the export must carry."""
    n = newsroom
    now = timezone.now()
    photo = n.article(
        headline="사진 있는 기사",
        series=n.column,
        reporters=[n.kim, n.lee],
        keywords=["반도체", "한결전자"],
        lead_photo=ContentFile(PNG, name="lead.png"),
        lead_photo_caption="평택 공장 조감도",
        lead_photo_credit="한결전자 제공",
        publish=False,
    )
    services.article_publish(article=photo, by=actors.DEMO, at=now - timedelta(days=3))
    services.article_update(article=photo, by=actors.DEMO, headline="사진 있는 기사 (수정)")
    n.article(
        headline="국회 본회의 통과",
        subheadlines=["찬성 180표", "반대 90표", "기권 5표"],
        body="<h2>표결</h2><p>본회의가 열렸다.</p><ul><li>찬성</li><li>반대</li></ul>",
        section=n.assembly,
        reporters=[n.park, n.kim],
        keywords=["국회"],
        minutes_ago=60 * 30,
    )
    n.article(
        headline="캡션만 있는 기사",
        lead_photo_caption="자료 사진",
        lead_photo_credit="새나루일보 DB",
        section=n.politics,
        reporters=[n.lee],
        minutes_ago=60 * 20,
    )
    withdrawn = n.article(headline="출고 취소된 기사", minutes_ago=60 * 10)
    services.article_withdraw(article=withdrawn, by=actors.DEMO)
    n.article(headline="작성 중인 기사", reporters=[], keywords=[], publish=False)
    submitted = n.article(headline="송고된 기사", series=n.column, publish=False)
    services.article_submit(article=submitted, by=actors.DEMO)
    n.article(headline="예약 기사", minutes_ago=-60 * 24)
    return n


def comparable(items):
    """Return exported items without what an import cannot keep (new public ids and links)."""
    return [{k: v for k, v in item.items() if k not in {"altids", "links"}} for item in items]


def test_export_import_export_gives_the_same_items(archive):
    first = json.loads(json.dumps(list(ninjs.export_items()), ensure_ascii=False))
    assert len(first) == Article.objects.count() == 7
    # An empty archive to import into: the services never delete, the test clears the tables.
    ArticleRevision.objects.all().delete()
    Article.objects.all().delete()
    sections, reporters, keywords = (
        Section.objects.count(),
        Reporter.objects.count(),
        Keyword.objects.count(),
    )

    results = ninjs.import_items(copy.deepcopy(first), by=actors.IMPORT)
    assert [r.created for r in results] == [True] * 7
    second = list(ninjs.export_items())
    assert comparable(second) == comparable(first)
    assert (Section.objects.count(), Reporter.objects.count(), Keyword.objects.count()) == (
        sections,
        reporters,
        keywords,
    )

    again = ninjs.import_items(json.loads(json.dumps(second)), by=actors.IMPORT)
    assert [r.created for r in again] == [False] * 7
    assert Article.objects.count() == 7
    assert list(ninjs.export_items()) == second


def test_export_of_a_queryset_exports_only_those_articles(archive):
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    items = list(ninjs.export_items(published))
    assert len(items) == published.count() == 4
    assert {i["pubstatus"] for i in items} == {"usable"}


# embargo ----------------------------------------------------------------------------------------


def kst(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat()


@pytest.fixture
def under_embargo(newsroom):
    """Return ``(until, item)``: a usable wire item embargoed for an hour, sent 10 minutes ago."""
    now = timezone.now().replace(microsecond=0)
    until = now + timedelta(hours=1)
    sent = kst(now - timedelta(minutes=10))
    item = good_item(
        firstcreated=sent,
        versioncreated=sent,
        embargoed=kst(until),
        # Names the newsroom has, so that a client without taxonomy rights may send it too.
        by="김민준",
        subjects=[{"name": "IT·과학", "rel": "section", "uri": "sinmun:section:it-science"}],
    )
    return until, item


def test_an_item_under_embargo_is_released_with_the_embargo_as_its_first_time(under_embargo):
    until, item = under_embargo
    ninjs.import_items([item], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert article.status == Article.Status.PUBLISHED
    assert article.embargoed is True
    assert article.first_published_at == until
    assert article.updated_at is None
    assert article.release_at is None


def test_an_item_whose_own_time_is_after_its_embargo_keeps_its_own_time(under_embargo):
    until, item = under_embargo
    later = until + timedelta(minutes=30)
    ninjs.import_items([{**item, "firstcreated": kst(later)}], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert (article.first_published_at, article.embargoed) == (later, True)


def test_an_embargo_already_over_is_ignored(under_embargo):
    _, item = under_embargo
    past = timezone.now() - timedelta(minutes=1)
    ninjs.import_items([{**item, "embargoed": kst(past)}], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert article.embargoed is False
    assert article.first_published_at < past


def test_an_embargo_of_null_is_no_embargo(under_embargo):
    _, item = under_embargo
    ninjs.import_items([{**item, "embargoed": None}], by=actors.IMPORT)
    assert Article.objects.get(uri=URI).embargoed is False


def test_a_withheld_item_under_embargo_keeps_the_time_for_its_release(under_embargo):
    until, item = under_embargo
    ninjs.import_items([{**item, "pubstatus": "withheld"}], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert article.status == Article.Status.DRAFT
    assert (article.embargoed, article.release_at) == (True, until)


def test_a_canceled_item_carries_no_embargo(existing, under_embargo):
    _, item = under_embargo
    ninjs.import_items([{**item, "pubstatus": "canceled"}], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert article.status == Article.Status.WITHDRAWN
    assert (article.embargoed, article.release_at) == (False, None)


@pytest.mark.parametrize(
    "value", ["내일 오전 9시", "2026-03-12T09:00:00", 1773273600, ["2026-03-12T09:00:00+09:00"]]
)
def test_a_malformed_embargo_refuses_the_item(existing, value):
    errors = import_refused([good_item(embargoed=value)])
    assert [(e.field, e.message) for e in errors] == [("embargoed", ninjs.BAD_EMBARGO)]


def reader_sees(client, article, word) -> dict[str, bool]:
    """Return, for each reader path, whether ``article`` shows there."""
    return {
        "article": client.get(article.get_absolute_url()).status_code == 200,
        "home": article.headline in client.get("/").content.decode(),
        "section": article.headline
        in client.get(article.section.get_absolute_url()).content.decode(),
        "search": article.headline in client.get("/search/", {"q": word}).content.decode(),
    }


def test_an_imported_embargo_is_invisible_everywhere_until_its_time(
    client, under_embargo, committed, monkeypatch
):
    """As a desk 엠바고: the read selectors hide it, then it is live by itself."""
    until, item = under_embargo
    with committed():  # the search index job runs after commit
        ninjs.import_items([item], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    hidden = dict.fromkeys(("article", "home", "section", "search"), False)
    assert reader_sees(client, article, "평택") == hidden

    monkeypatch.setattr(timezone, "now", lambda: until - timedelta(seconds=1))
    assert reader_sees(client, article, "평택") == hidden
    monkeypatch.setattr(timezone, "now", lambda: until + timedelta(seconds=1))
    assert reader_sees(client, article, "평택") == dict.fromkeys(hidden, True)


def test_the_sweep_announces_an_imported_embargo_when_it_lifts(under_embargo):
    until, item = under_embargo
    sweep = services.embargoes_announce_due
    assert sweep(by=actors.SCHEDULE, now=timezone.now()) == []
    ninjs.import_items([item], by=actors.IMPORT)
    article = Article.objects.get(uri=URI)
    assert sweep(by=actors.SCHEDULE, now=until - timedelta(seconds=1)) == []
    assert sweep(by=actors.SCHEDULE, now=until + timedelta(seconds=1)) == [article.pk]


def test_export_writes_the_embargo_of_a_released_article_until_it_lifts(under_embargo, monkeypatch):
    until, item = under_embargo
    ninjs.import_items([item], by=actors.IMPORT)
    [exported] = ninjs.export_items()
    assert exported["embargoed"] == kst(until)
    assert exported["embargoed"].endswith("+09:00")
    assert exported["firstcreated"] == kst(until)
    monkeypatch.setattr(timezone, "now", lambda: until + timedelta(seconds=1))
    [after] = ninjs.export_items()
    assert "embargoed" not in after


def test_export_writes_the_embargo_of_an_article_not_released_yet(under_embargo):
    until, item = under_embargo
    ninjs.import_items([{**item, "pubstatus": "withheld"}], by=actors.IMPORT)
    [exported] = ninjs.export_items()
    assert (exported["pubstatus"], exported["embargoed"]) == ("withheld", kst(until))


def test_export_omits_embargoed_for_an_article_without_one(newsroom):
    newsroom.article(headline="보통 기사")
    newsroom.article(headline="예약 기사", minutes_ago=-60)  # 예약, not 엠바고
    assert all("embargoed" not in item for item in ninjs.export_items())


@pytest.mark.parametrize("pubstatus", ["usable", "withheld"])
def test_an_embargo_survives_the_round_trip(under_embargo, pubstatus):
    _, item = under_embargo
    ninjs.import_items([{**item, "pubstatus": pubstatus}], by=actors.IMPORT)
    first = list(ninjs.export_items())
    ArticleRevision.objects.all().delete()
    Article.objects.all().delete()
    ninjs.import_items(copy.deepcopy(first), by=actors.IMPORT)
    assert comparable(ninjs.export_items()) == comparable(first)


# into the desk (API clients without release rights) ---------------------------------------------


def desk_client(name="wire", publish=False):
    return actors.api_client(name, may_publish=publish)


def test_submit_lands_a_usable_item_in_the_desk_queue(under_embargo):
    until, item = under_embargo
    [result] = ninjs.import_items([item], by=desk_client(), submit=True)
    article = Article.objects.get(uri=URI)
    assert result.created is True
    assert article.status == Article.Status.SUBMITTED
    assert (article.first_published_at, article.updated_at) == (None, None)
    assert (article.embargoed, article.release_at) == (True, until)
    assert list(article.revisions.order_by("id").values_list("action", "actor")) == [
        ("import", "api:wire"),
        ("submit", "api:wire"),
    ]


def test_submit_updates_an_item_already_at_the_desk(under_embargo):
    _, item = under_embargo
    ninjs.import_items([item], by=desk_client(), submit=True)
    changed = {**item, "headlines": [{"role": "main", "value": "고친 제목"}]}
    [result] = ninjs.import_items([changed], by=desk_client(), submit=True)
    article = Article.objects.get(uri=URI)
    assert (result.created, article.headline, article.status) == (
        False,
        "고친 제목",
        Article.Status.SUBMITTED,
    )


def test_submit_refuses_to_move_an_embargo_the_desk_holds(under_embargo):
    until, item = under_embargo
    ninjs.import_items([item], by=desk_client(), submit=True)
    moved = {**item, "embargoed": kst(until + timedelta(hours=1))}
    with pytest.raises(NinjsError) as excinfo:
        ninjs.import_items([moved], by=desk_client(), submit=True)
    assert excinfo.value.errors[0].message == ninjs.EMBARGO_FIXED_AT_DESK
    assert Article.objects.get(uri=URI).release_at == until


def test_submit_refuses_to_change_a_released_article(existing):
    before = counts()
    with pytest.raises(PermissionDenied, match=ninjs.LIVE_NOT_SUBMITTABLE):
        ninjs.import_items([good_item()], by=desk_client(), submit=True)
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"subjects": [{"name": "없는섹션", "rel": "section"}]}, "subjects", "NO_SUCH_SECTION"),
        ({"by": "처음 보는 기자"}, "by", "NO_SUCH_REPORTER"),
    ],
)
def test_a_client_without_taxonomy_rights_gets_an_item_error(newsroom, change, field, message):
    item = good_item(
        **{"by": "김민준", "subjects": [{"name": "IT·과학", "rel": "section"}], **change}
    )
    before = counts()
    with pytest.raises(NinjsError) as excinfo:
        ninjs.import_items([item], by=desk_client(), submit=True)
    [error] = excinfo.value.errors
    assert error.field == field
    assert error.message.startswith(getattr(ninjs, message))
    assert counts() == before


def test_submit_sends_a_returned_item_back_to_the_desk(under_embargo):
    """The wire corrects an item the desk returned (반려): it is 송고 again, with the fix."""
    _, item = under_embargo
    ninjs.import_items([item], by=desk_client(), submit=True)
    article = Article.objects.get(uri=URI)
    services.article_return(article=article, by=actors.DEMO, memo="출처를 밝혀 주세요")
    fixed = {**item, "headlines": [{"role": "main", "value": "출처를 밝힌 제목"}]}
    ninjs.import_items([fixed], by=desk_client(), submit=True)
    article.refresh_from_db()
    assert (article.headline, article.status) == ("출처를 밝힌 제목", Article.Status.SUBMITTED)
