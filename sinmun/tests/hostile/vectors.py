"""The hostile-input corpus (issue #15): well-known XSS vectors mixed into invented Korean text.

Written by hand, not drawn from a fuzzing list, because every string has to survive the field it
goes into untouched so that a test can ask for it back exactly: one line, single spaces, NFC,
no control characters, and at most ``MAX_NAME`` characters so that even a 50-character name
field (sections, series, reporters, keywords) holds it with its field label in front.

Every vector is plain text to a field that is plain text: the exact safe outcome is that the
reader sees the characters as typed, never markup and never ``&lt;`` where ``<`` was typed.
"""

from dataclasses import dataclass

# 50 (the shortest name field) minus the longest field label used in front of a vector.
MAX_NAME = 44


@dataclass(frozen=True)
class Vector:
    name: str
    text: str
    # A variant of a class another vector already carries through every output; it goes
    # through the sanitiser, the analyzer and search only (each output costs a render).
    variant: bool = False

    def __str__(self) -> str:  # the parametrised test ids
        return self.name


VECTORS = [
    Vector("script", "속보<script>alert('시민')</script>단독"),
    Vector("script-mixed-case", "단독 <ScRiPt>alert(1)</sCrIpT> 취재"),
    Vector("script-src", '발표<script src="//악성.example/x.js"></script>', variant=True),
    Vector("img-onerror", "사진 <img src=x onerror=alert(1)> 설명"),
    Vector("svg-onload", "<svg/onload=alert('도형')> 그래픽"),
    Vector("svg-script", "<svg><script>alert(1)</script></svg>표", variant=True),
    Vector("javascript-url", '<a href="javascript:alert(1)">링크</a>'),
    Vector("javascript-entity", '<a href="&#106;avascript:alert(1)">엔티티</a>', variant=True),
    Vector("data-url", '<a href="data:text/html,<b>x</b>">자료</a>'),
    Vector("css-expression", '<p style="x:expression(alert(1))">표현식</p>'),
    Vector("encoded", "&lt;script&gt;alert(1)&lt;/script&gt; 인코딩"),
    Vector("broken-tag", "<scr<script>ipt>alert(1)</scr</script>ipt>깨짐"),
    Vector("unclosed-attr", '<img src="x" onerror="alert(1)" 닫히지 않음', variant=True),
    Vector("json-ld-breakout", '"}</script><script>alert(1)</script>제목'),
    Vector("comment", "<!-- 주석 --> 본문 <!--<script>"),
    Vector("attr-breakout", '" onmouseover="alert(1)" x=\' 따옴표'),
    Vector("iframe", '<iframe src="javascript:alert(1)">틀</iframe>', variant=True),
    Vector("template", "{{ request.user }} {% debug %} 템플릿"),
    Vector("cdata", "]]><![CDATA[<script>alert(1)</script> 피드"),
    Vector("unicode-js", "\\u003cscript\\u003e ＜script＞ 전각", variant=True),
]

# What goes through every output: one vector of each class.
OUTPUT_VECTORS = [v for v in VECTORS if not v.variant]

assert all(len(v.text) <= MAX_NAME for v in VECTORS), [v.name for v in VECTORS if len(v.text) > 44]
assert len({v.name for v in VECTORS}) == len(VECTORS)

# Strings a search box or a filter receives: operators of SQLite FTS5 and PostgreSQL tsquery,
# SQL, NUL and control characters, unbalanced quotes and brackets, a long run of operators.
SEARCH_INPUTS = [
    "반도체' OR '1'='1",
    '반도체"; DROP TABLE newsroom_article; --',
    "'); DELETE FROM search_searchdocument; --",
    "반도체 NEAR(공장 평택, 2)",
    "headline:반도체",
    "{headline body}: 공장",
    "반도체*",
    "* OR *",
    "-",
    "--",
    '"',
    '"""',
    '"반도체 공장',
    "(((반도체",
    "반도체)))",
    "반도체 AND NOT 공장",
    "반도체 & 공장 | !평택",
    "반도체:* <-> 공장",
    "^반도체",
    "반도체\x00공장",
    "\x00",
    "\x1b[31m반도체",
    "\u200b\u200b",
    "\ud7a3\ufffd\U0001f600",
    "%' OR 1=1 --",
    "반도체 " + "OR " * 60,
    "(" * 100 + "반도체" + ")" * 100,
    "\\",
    "'",
    "＂반도체＂",
]
