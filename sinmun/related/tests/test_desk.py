"""The desk's side of related articles: the editor's cards, pins and removals that survive
recomputation, and refusals that change nothing."""

from sinmun.related import engine, selectors, services, views
from sinmun.related.models import Override, RelatedLink

from .test_engine import listed


def edit_url(article) -> str:
    return f"/desk/articles/{article.pk}/"


def test_the_editor_shows_the_list_keyword_chips_and_a_summary(stories, desk_users):
    first, second, third = stories.ferry
    _, client = desk_users["desk"]
    html = client.get(edit_url(first)).content.decode()
    assert 'id="related-desk-title">관련기사</h2>' in html
    assert second.headline in html and third.headline in html
    assert html.count("data-related-keyword=") == 5
    assert 'data-related-keyword="새나루해운"' in html
    assert "data-related-subheadlines=" in html
    assert "메타 설명 제안" in html
    assert 'src="/static/related/desk.js"' in html
    assert "<script>" not in html.split('id="related-desk-title"')[1]


def test_a_pin_comes_first_and_survives_recomputation(stories, desk_users):
    first = stories.ferry[0]
    chess = stories.chess[0]
    _, client = desk_users["desk"]
    response = client.post(
        f"/desk/related/{first.pk}/pin/", {"target": f"/article/{chess.public_id}/"}
    )
    assert response.status_code == 302
    assert listed(first)[0] == chess.pk
    engine.article_changed(first.pk)
    engine.recompute(first.pk)
    assert listed(first)[0] == chess.pk
    box, total = selectors.box(article=first)
    assert box[0] == chess
    assert total == 3


def test_a_removal_survives_recomputation_and_undo_brings_it_back(stories, desk_users):
    first, second, _ = stories.ferry
    _, client = desk_users["desk"]
    client.post(f"/desk/related/{first.pk}/remove/{second.pk}/")
    assert second.pk not in listed(first)
    engine.article_changed(second.pk)  # a later update of the removed article
    engine.recompute(first.pk)
    assert second.pk not in listed(first)
    assert "뺀 기사" in client.get(edit_url(first)).content.decode()
    client.post(f"/desk/related/{first.pk}/undo/{second.pk}/")
    assert second.pk in listed(first)
    assert not Override.objects.exists()


def test_a_reporter_may_not_pin_and_nothing_changes(stories, desk_users):
    first = stories.ferry[0]
    _, client = desk_users["reporter"]
    before = listed(first)
    response = client.post(f"/desk/related/{first.pk}/pin/", {"target": stories.chess[0].public_id})
    assert response.status_code == 403
    assert listed(first) == before
    assert not Override.objects.exists()


def test_bad_input_gets_a_korean_message_and_changes_nothing(stories, newsroom, desk_users):
    first = stories.ferry[0]
    _, client = desk_users["desk"]
    before = list(RelatedLink.objects.values_list("article", "related", "rank"))
    draft = newsroom.article(headline="초안", publish=False)
    cases = {
        "없는주소!!": views.NO_SUCH_ARTICLE,
        "/article/zzzzzzzz/": views.NO_SUCH_ARTICLE,
        "x" * 5000: views.NO_SUCH_ARTICLE,
        first.get_absolute_url(): services.NOT_ITSELF,
        draft.public_id: services.NOT_VISIBLE,
    }
    for target, message in cases.items():
        response = client.post(f"/desk/related/{first.pk}/pin/", {"target": target}, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode(), target
    assert client.post(f"/desk/related/{first.pk}/undo/{draft.pk}/", follow=True).status_code == 200
    assert client.post("/desk/related/999999/pin/", {"target": "x"}).status_code == 404
    assert client.get(f"/desk/related/{first.pk}/pin/").status_code == 405
    assert list(RelatedLink.objects.values_list("article", "related", "rank")) == before
    assert not Override.objects.exists()
