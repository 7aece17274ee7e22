"""The 3-line summary: what is cleaned away, the lead-3 fallback, TextRank's choice."""

from sinmun.related import summaries

BODY = (
    "<p>[새나루일보=김민준 기자] 새나루시가 시내버스 노선 12개를 다음 달 1일부터 바꾼다. "
    "문의는 bus@saenaru.example 로 하면 된다.</p>"
    '<figure><img src="/media/a.jpg" alt=""><figcaption>새나루시청 앞 버스 정류장의 모습이다.'
    "</figcaption></figure>"
    "<p>노선 개편은 신도시 입주에 맞춘 것이다. 신도시 주민들은 버스 노선이 부족하다고 "
    "호소해 왔다.</p>"
    "<p>시는 버스 노선 개편으로 출퇴근 시간이 평균 10분 줄어들 것으로 본다. 버스 노선 "
    "개편에는 예산 30억 원이 든다.</p>"
    "<p>한편 시의회는 다음 주 임시회를 연다. 시의회 의장은 휴가 중이다.</p>"
)


def test_the_byline_captions_and_emails_are_removed_before_splitting():
    lines = summaries.sentences(BODY)
    text = " ".join(lines)
    assert lines[0] == "새나루시가 시내버스 노선 12개를 다음 달 1일부터 바꾼다."
    assert "새나루일보" not in text
    assert "@" not in text
    assert "정류장의 모습" not in text


def test_a_short_article_gets_its_lead():
    short = "<p>[새나루일보=김민준 기자] 첫 문장이다. 둘째 문장이다.</p><p>셋째 문장이다.</p>"
    assert summaries.summarize(short) == ["첫 문장이다.", "둘째 문장이다.", "셋째 문장이다."]
    assert summaries.summarize(short) == summaries.lead(short)


def test_textrank_keeps_the_story_and_leaves_the_aside_out():
    summary = summaries.textrank(BODY)
    assert len(summary) == 3
    # In the article's order; the closing aside (시의회) shares no words with the story.
    assert summary == sorted(summary, key=summaries.sentences(BODY).index)
    assert not any("시의회" in line for line in summary)
    assert summary[0] == "새나루시가 시내버스 노선 12개를 다음 달 1일부터 바꾼다."


def test_lines_fit_the_editor_and_the_meta_description_fits_search_results():
    long = ["가" * 300, "나", "다"]
    assert all(len(line) <= summaries.LINE_LIMIT for line in summaries.as_subheadlines(long))
    assert len(summaries.meta_description(long)) <= summaries.META_LIMIT
    assert summaries.meta_description([]) == ""


def test_the_desk_is_offered_the_cleaned_lead_which_measured_better():
    assert summaries.summarize(BODY) == [
        "새나루시가 시내버스 노선 12개를 다음 달 1일부터 바꾼다.",
        "노선 개편은 신도시 입주에 맞춘 것이다.",
        "신도시 주민들은 버스 노선이 부족하다고 호소해 왔다.",
    ]
