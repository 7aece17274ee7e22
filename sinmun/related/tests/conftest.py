"""Related-article fixtures: small stories published through the services, follow-ups run."""

from dataclasses import dataclass

import pytest

from sinmun.newsroom.models import Article

# Invented stories. Each has its own words; two share a section with an unrelated one.
FERRY = [
    (
        "새나루해운 여객선 엔진 고장…섬 주민 300명 발 묶여",
        "새나루해운의 여객선 누리호가 엔진 고장으로 멈춰 서면서 가람섬 주민 300명이 뭍으로 "
        "나오지 못했다. 새나루해운은 예비 여객선을 투입하겠다고 밝혔다.",
    ),
    (
        "누리호 엔진 고장 사흘째…가람섬 주민들 “병원 가는 길 막혀”",
        "새나루해운 여객선 누리호의 엔진 고장이 사흘째 이어지며 가람섬 주민들이 병원 진료를 "
        "미루고 있다. 해양수산청은 새나루해운에 예비 여객선 운항을 서두르라고 요구했다.",
    ),
    (
        "가람섬 여객선 운항 재개…새나루해운 “엔진 전면 교체”",
        "엔진 고장으로 멈췄던 새나루해운의 누리호가 닷새 만에 운항을 재개했다. 가람섬 주민들은 "
        "여객선이 다시 닿자 안도했다. 새나루해운은 엔진을 전면 교체하기로 했다.",
    ),
]
CHESS = [
    (
        "청소년 바둑대회 결승…열두 살 한별 초단 우승",
        "전국 청소년 바둑대회 결승에서 열두 살 한별 초단이 흑으로 불계승을 거두며 우승했다. "
        "한별 초단은 바둑을 배운 지 4년 만에 정상에 올랐다.",
    ),
    (
        "한별 초단 “다음 목표는 세계 청소년 바둑 정상”",
        "청소년 바둑대회 우승자 한별 초단이 세계 청소년 바둑 선수권에 도전하겠다고 밝혔다. "
        "한별 초단은 매일 바둑 기보 세 판을 복기한다고 했다.",
    ),
]
# Same section as the ferry story, nothing in common with it.
OTHER = (
    "새나루시 도서관 야간 열람실 연장 운영",
    "새나루시가 시립 도서관 야간 열람실을 밤 11시까지 연장 운영한다. 시험 기간 학생들의 "
    "요청을 반영했다고 시는 설명했다.",
)


@dataclass
class Stories:
    ferry: list[Article]
    chess: list[Article]
    other: Article


def publish(newsroom, committed, headline: str, body: str, *, section=None, minutes_ago=60, **kw):
    with committed():
        return newsroom.article(
            headline=headline,
            subheadlines=[],
            body=f"<p>{body}</p>",
            section=section or newsroom.politics,
            keywords=kw.pop("keywords", []),
            minutes_ago=minutes_ago,
            **kw,
        )


@pytest.fixture
def stories(newsroom, committed) -> Stories:
    """Publish the ferry story (3, politics), the go story (2, IT) and one other (politics)."""
    ferry = [
        publish(newsroom, committed, h, b, minutes_ago=600 - 100 * n)
        for n, (h, b) in enumerate(FERRY)
    ]
    chess = [
        publish(newsroom, committed, h, b, section=newsroom.tech, minutes_ago=550 - 100 * n)
        for n, (h, b) in enumerate(CHESS)
    ]
    other = publish(newsroom, committed, *OTHER, minutes_ago=30)
    return Stories(ferry, chess, other)


@pytest.fixture
def desk_users(newsroom, django_user_model):
    """Return a 데스크 (all sections: none assigned) and a 기자, both signed-in clients."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from sinmun.newsroom import roles

    def make(username, role):
        user = django_user_model.objects.create_user(username=username, password="x-Passw0rd!")
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        return user, client

    return {"desk": make("desk", roles.DESK), "reporter": make("kim", roles.REPORTER)}
