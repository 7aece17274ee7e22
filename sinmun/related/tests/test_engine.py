"""The engine through the services: what a publish, an update, a withdrawal or an embargo does
to the stored lists the pages read."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinmun.newsroom import actors, services
from sinmun.newsroom.models import Article
from sinmun.related import engine, selectors
from sinmun.related.models import ListState, RelatedLink, Signature

from .conftest import FERRY, publish


def listed(article: Article) -> list[int]:
    return list(
        RelatedLink.objects.filter(article=article)
        .order_by("rank")
        .values_list("related", flat=True)
    )


def test_a_story_lists_its_own_follow_ups_not_its_section_neighbour(stories):
    first, second, third = stories.ferry
    assert set(listed(first)) == {second.pk, third.pk}
    # The library story shares the section (and the newest time) but no subject.
    assert stories.other.pk not in listed(first)
    assert set(listed(stories.chess[0])) == {stories.chess[1].pk}
    assert listed(stories.other) == []


def test_never_the_article_itself_nor_a_draft(stories, newsroom, committed):
    first = stories.ferry[0]
    with committed():
        draft = newsroom.article(
            headline=FERRY[1][0] + " (초안)", body=f"<p>{FERRY[1][1]}</p>", publish=False
        )
    engine.recompute(first.pk)
    assert first.pk not in listed(first)
    assert draft.pk not in listed(first)


def test_a_publish_places_the_new_article_in_the_lists_it_belongs_to(stories, newsroom, committed):
    first = stories.ferry[0]
    before = listed(first)
    later = publish(
        newsroom,
        committed,
        "새나루해운, 누리호 대체 여객선 발주…가람섬 항로 두 척 체제로",
        "엔진 고장을 겪은 새나루해운이 가람섬 항로에 투입할 새 여객선을 발주했다. 누리호와 함께 "
        "두 척이 번갈아 운항한다.",
        minutes_ago=5,
    )
    # The first article's list was not recomputed by anyone: the publish placed it there.
    assert later.pk in listed(first)
    assert set(before) <= set(listed(first))


def test_a_refresh_that_changes_nothing_writes_nothing(stories):
    first = stories.ferry[0]
    # Once with the idf as it is now (the sample was counted while the stories were published).
    engine.article_changed(first.pk)
    state = ListState.objects.get(article=first)
    with CaptureQueriesContext(connection) as queries:
        engine.article_changed(first.pk)
    sqls = [q["sql"] for q in queries.captured_queries]
    assert [sql for sql in sqls if sql.startswith(("INSERT", "DELETE"))] == []
    assert [sql for sql in sqls if sql.startswith("UPDATE") and '"version" +' in sql] == []
    after = ListState.objects.get(article=first)
    assert after.version == state.version
    assert after.computed_at > state.computed_at  # the catch-up sweep reads it


def test_a_placement_rewrites_a_list_only_below_its_place(stories, newsroom, committed):
    first, second, third = stories.ferry
    top = RelatedLink.objects.get(article=first, rank=0)
    assert top.related_id in {second.pk, third.pk}
    version = ListState.objects.get(article=first).version
    # Alike enough to be listed, less than the two follow-ups: placed below the first row.
    later = publish(
        newsroom,
        committed,
        "가람섬 주민 설문…“여객선 한 척으론 부족”",
        "가람섬 주민 설문에서 여객선 증편 요구가 많았다. 누리호 엔진 고장 이후 새나루해운에 "
        "대한 불만이 컸다.",
        minutes_ago=5,
    )
    rows = list(RelatedLink.objects.filter(article=first).order_by("rank"))
    assert later.pk in [r.related_id for r in rows]
    assert [r.rank for r in rows] == list(range(len(rows)))
    assert rows[0].pk == top.pk  # the row above the new one was left as it was
    assert ListState.objects.get(article=first).version == version + 1


def test_a_withdrawn_article_leaves_every_box_at_once_and_the_stored_lists_after(
    stories, committed
):
    first, second, _ = stories.ferry
    with committed():
        services.article_withdraw(article=second, by=actors.DEMO, reason="사실관계 확인 중")
    assert second not in selectors.box(article=first)[0]
    assert second.pk not in listed(first)
    assert not Signature.objects.filter(article=second).exists()


def test_an_embargoed_article_shows_only_once_its_time_has_come(
    stories, newsroom, committed, monkeypatch
):
    first = stories.ferry[0]
    with committed():
        ahead = newsroom.article(
            headline="누리호 엔진 고장 원인 조사 결과 발표 예정",
            body="<p>새나루해운 여객선 누리호 엔진 고장 원인 조사 결과가 가람섬 주민에게 "
            "공개된다.</p>",
            publish=False,
        )
        services.article_publish(
            article=ahead, by=actors.DEMO, at=timezone.now() + timedelta(hours=2), embargo=True
        )
    box, total = selectors.box(article=first)
    assert ahead not in box
    assert total == 2
    assert ahead not in selectors.page(article=first, page=1).object_list
    # Two hours later it is in the box, with no job run: the list was stored with it, and the
    # page leaves out what readers may not see yet.
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    box, total = selectors.box(article=first)
    assert ahead in box
    assert total == 3


def test_an_update_that_changes_the_subject_takes_the_article_out(stories, committed):
    first, second, _ = stories.ferry
    with committed():
        services.article_update(
            article=second,
            by=actors.DEMO,
            headline="새나루시 벚꽃 축제 다음 주 개막",
            body="<p>새나루시 벚꽃 축제가 다음 주 강변 공원에서 열린다. 야시장과 공연이 "
            "이어진다.</p>",
        )
    assert second.pk not in listed(first)


def test_a_refiled_copy_collapses_to_the_newest(stories, newsroom, committed):
    first, second, third = stories.ferry
    copy = publish(newsroom, committed, FERRY[2][0], FERRY[2][1], minutes_ago=10)
    ids = listed(first)
    assert copy.pk in ids
    assert third.pk not in ids
    assert second.pk in ids


def test_unrelated_articles_stay_below_the_threshold(stories):
    assert engine.scored(stories.other) == []
    assert selectors.box(article=stories.other) == ([], 0)


def test_a_renamed_keyword_signs_its_articles_again_under_the_new_name(newsroom, committed):
    # Two stories with no word in common but the desk's keyword: after the rename, an article
    # filed under the new name meets the older one only if the older one was signed again.
    older = publish(
        newsroom,
        committed,
        "가람섬 해변 쓰레기 수거에 주민 200명 나서",
        "가람섬 주민들이 해변을 치웠다.",
        keywords=["해양 쓰레기"],
        minutes_ago=300,
    )
    keyword = older.keywords.get()
    with committed():
        services.keyword_rename(by=actors.DEMO, keyword=keyword, name="바다 쓰레기")
    terms_now = set(engine.signature_of(older.pk))
    assert "바다쓰레기" in terms_now
    assert "해양쓰레기" not in terms_now
    later = publish(
        newsroom,
        committed,
        "새나루항 어민들, 버려진 그물 회수 작업 시작",
        "새나루항 어민들이 통발을 건졌다.",
        keywords=["바다 쓰레기"],
        minutes_ago=10,
    )
    # Their only shared term is the keyword's new name, so the later one finds the older.
    assert older.pk in engine.likeness(later.pk, engine.signature_of(later.pk))
