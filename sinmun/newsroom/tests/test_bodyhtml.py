"""Check body HTML sanitising, hostile-markup detection, plain text and the byline."""

import pytest

from sinmun.newsroom import bodyhtml

BYLINE = "[새나루일보=김민준 기자]"


def test_sanitize_keeps_allowed_markup_unchanged():
    body = (
        "<h2>소제목</h2>"
        "<p>한결전자가 <strong>새 공장</strong>을 <em>평택</em>에 짓는다.<br>2028년 가동 예정.</p>"
        "<blockquote>“일자리가 늘어난다”</blockquote>"
        "<ul><li>총 4조 원</li><li>1200명 고용</li></ul>"
        '<figure><img src="https://img.example.com/a.jpg" alt="공장 조감도">'
        "<figcaption>조감도</figcaption></figure>"
        '<table><tbody><tr><th scope="col">연도</th><td colspan="2">2028</td></tr></tbody></table>'
    )
    assert bodyhtml.sanitize(body) == body


def test_sanitize_gives_links_rel_noopener():
    assert (
        bodyhtml.sanitize('<p><a href="https://example.com/a" title="원문">원문</a></p>')
        == '<p><a href="https://example.com/a" title="원문" rel="noopener noreferrer">원문</a></p>'
    )


def test_sanitize_unwraps_disallowed_tags_but_keeps_their_text():
    assert bodyhtml.sanitize("<div><span>가</span><font>나</font></div>") == "가나"


def test_sanitize_drops_attributes_outside_the_allow_list():
    assert (
        bodyhtml.sanitize('<p class="lead" style="color:red" onclick="steal()">본문</p>')
        == "<p>본문</p>"
    )


def test_sanitize_removes_script_and_style_with_their_content():
    assert (
        bodyhtml.sanitize("<p>가</p><script>alert(1)</script><style>p{}</style><p>나</p>")
        == "<p>가</p><p>나</p>"
    )


def test_sanitize_removes_script_urls_and_comments():
    cleaned = bodyhtml.sanitize(
        '<p><a href="javascript:alert(1)">링크</a><!-- 메모 -->'
        '<img src="data:image/png;base64,AA"></p>'
    )
    assert "javascript" not in cleaned
    assert "data:" not in cleaned
    assert "메모" not in cleaned
    assert "링크" in cleaned


@pytest.mark.parametrize(
    ("html", "marker"),
    [
        ("<p>가</p><script>alert(1)</script>", "script"),
        ("<p>가</p><SCRIPT SRC='//evil.example/x.js'></SCRIPT>", "script"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<p>가</p><img src="x.jpg" onerror="alert(1)">', "onerror"),
        ('<p onmouseover="alert(1)">가</p>', "onmouseover"),
        ('<a href="javascript:alert(1)">가</a>', "javascript"),
        ('<a href="  JavaScript:alert(1)">가</a>', "javascript"),
        ('<a href="java\tscript:alert(1)">가</a>', "javascript"),
        ('<a href="java\nscript:alert(1)">가</a>', "javascript"),
        ('<a href="java\x01script:alert(1)">가</a>', "javascript"),
        ('<a href="java&#x09;script:alert(1)">가</a>', "javascript"),
        ('<a href="&#106;avascript:alert(1)">가</a>', "javascript"),
        ('<a href="vbscript:msgbox(1)">가</a>', "vbscript"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">가</a>', "data"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "data"),
        ("<svg><circle r='1'/></svg>", "svg"),
        ("<svg/onload=alert(1)>", "svg"),
        ("<style>body{}</style><p>가</p>", "style"),
        ('<form action="https://evil.example"><input name="q"></form>', "form"),
        ('<object data="x.swf"></object>', "object"),
        ("<math><mi>x</mi></math>", "math"),
    ],
)
def test_hostile_parts_finds_scripts_handlers_and_script_urls(html, marker):
    found = bodyhtml.hostile_parts(html)
    assert found
    assert marker in " ".join(found).lower()


@pytest.mark.parametrize(
    "html",
    [
        "<p>한결전자가 새 공장을 짓는다.</p>",
        '<p><a href="https://example.com/javascript:/guide">자바스크립트 안내</a></p>',
        '<p><a href="mailto:desk@example.com">제보</a></p>',
        '<figure><img src="https://img.example.com/a.jpg" alt="사진"></figure>',
        "<p>&lt;script&gt; 태그와 onerror 속성은 위험하다.</p>",
        "<p>data: 2026년 통계</p>",
    ],
)
def test_hostile_parts_finds_nothing_in_a_clean_body(html):
    assert bodyhtml.hostile_parts(html) == []


def test_to_text_separates_paragraphs_with_one_newline():
    assert (
        bodyhtml.to_text("<p>첫 문단.</p><p>둘째 <strong>문단</strong>입니다.</p>")
        == "첫 문단.\n둘째 문단입니다."
    )


def test_to_text_breaks_lines_at_br_and_list_items_and_collapses_spaces():
    assert (
        bodyhtml.to_text("<p>  가   나 <br>다</p><ul><li>하나</li><li>둘</li></ul>")
        == "가 나\n다\n하나\n둘"
    )


def test_to_text_unescapes_entities():
    assert bodyhtml.to_text("<p>R&amp;D &lt;공시&gt;</p>") == "R&D <공시>"


def test_to_text_of_markup_without_text_is_empty():
    assert bodyhtml.to_text("<p></p><p> </p><br>") == ""


def test_with_byline_opens_the_first_paragraph():
    assert (
        bodyhtml.with_byline("<p>가</p><p>나</p>", BYLINE)
        == '<p><span class="byline">[새나루일보=김민준 기자]</span> 가</p><p>나</p>'
    )


def test_with_byline_before_a_heading_gets_its_own_paragraph():
    assert (
        bodyhtml.with_byline("<h2>소제목</h2><p>가</p>", BYLINE)
        == '<p><span class="byline">[새나루일보=김민준 기자]</span></p><h2>소제목</h2><p>가</p>'
    )


def test_with_byline_escapes_the_byline():
    result = bodyhtml.with_byline("<p>가</p>", "[R&D<신문>=김민준 기자]")
    assert result == ('<p><span class="byline">[R&amp;D&lt;신문&gt;=김민준 기자]</span> 가</p>')


def test_with_an_empty_byline_the_body_is_unchanged():
    assert bodyhtml.with_byline("<p>가</p>", "") == "<p>가</p>"


def test_split_after_paragraph_splits_after_the_nth_closing_p():
    body = "<p>1</p><h2>소제목</h2><p>2</p><p>3</p>"
    assert bodyhtml.split_after_paragraph(body, 2) == (
        "<p>1</p><h2>소제목</h2><p>2</p>",
        "<p>3</p>",
    )


def test_split_after_paragraph_with_fewer_paragraphs_keeps_the_whole_body():
    body = "<p>1</p><p>2</p>"
    assert bodyhtml.split_after_paragraph(body, 3) == (body, "")
    assert bodyhtml.split_after_paragraph(body, 2) == (body, "")
    assert bodyhtml.split_after_paragraph("<h2>제목만</h2>", 1) == ("<h2>제목만</h2>", "")


def test_paragraphs_to_html_escapes_and_drops_blank_paragraphs():
    assert (
        bodyhtml.paragraphs_to_html(["  가 <b>  ", "", "   ", "R&D"])
        == "<p>가 &lt;b&gt;</p><p>R&amp;D</p>"
    )
