"""을/를 after a word: final consonant of the last syllable, digits and Latin read in Korean."""

import pytest

from sinmun.korean.particles import object_particle


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("국회", "를"),  # 회: no final consonant
        ("예산안", "을"),  # 안: ㄴ
        ("국회에서", "를"),
        ("삼성전자", "를"),
        ("반도체 협력", "을"),  # the last word decides
        ('"반도체 협력"', "을"),  # closing quotes are not read
        ("2025년", "을"),
        ("3", "을"),  # 삼
        ("2", "를"),  # 이
        ("10", "을"),  # 십 (read by its last digit: 영 → 을 as well)
        ("AI", "를"),  # 에이아이
        ("CEO", "를"),  # 씨이오
        ("URL", "을"),  # 유알엘
        ("ESG", "를"),  # 이에스지
        ("", "을(를)"),
        ("…", "을(를)"),
    ],
)
def test_object_particle(word, expected):
    assert object_particle(word) == expected
