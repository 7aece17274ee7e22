"""Check the Korean news byline ``[매체명=기자명 기자]`` against hand-written examples."""

from dataclasses import dataclass

from sinmun.newsroom.bylines import byline


@dataclass
class Person:
    name: str
    title: str = "기자"


KIM = Person("김민준")
LEE = Person("이서연")
PARK = Person("박하준", "특파원")
CHOI = Person("최유나", "특파원")


def test_one_reporter():
    assert byline("새나루일보", [KIM]) == "[새나루일보=김민준 기자]"


def test_one_correspondent():
    assert byline("새나루일보", [PARK]) == "[새나루일보=박하준 특파원]"


def test_reporters_sharing_a_title_share_it_once():
    assert byline("새나루일보", [KIM, LEE]) == "[새나루일보=김민준·이서연 기자]"
    assert byline("새나루일보", [PARK, CHOI]) == "[새나루일보=박하준·최유나 특파원]"


def test_byline_order_is_kept():
    assert byline("새나루일보", [LEE, KIM]) == "[새나루일보=이서연·김민준 기자]"


def test_mixed_titles_keep_each_title():
    assert byline("새나루일보", [KIM, PARK]) == "[새나루일보=김민준 기자·박하준 특파원]"
    assert (
        byline("새나루일보", [PARK, KIM, LEE])
        == "[새나루일보=박하준 특파원·김민준 기자·이서연 기자]"
    )


def test_no_reporters_is_the_outlet_alone():
    assert byline("새나루일보", []) == "[새나루일보]"


def test_without_an_outlet_name_the_reporters_stand_alone():
    assert byline("", [KIM]) == "[김민준 기자]"
    assert byline("", []) == ""
