"""``sinmun check --deploy``: Sinmun's own production checks beside Django's.

Registered with ``deploy=True``, so they run only under ``--deploy`` (a laptop's ``make run``
is not a production site and must start). Each problem is an ``Error`` — ``check`` exits 1 on
one — except the weather keys, whose absence only shows the labelled sample. README
("Production checklist") gives a configuration that passes with nothing to report.

Django's own deploy checks (security.W0xx) stay Warnings; ``sinmun check --deploy
--fail-level WARNING`` fails on those too, and the README's configuration passes that as well.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from sinmun.pages.checks import empty_legal_fields
from sinmun.syndication.checks import LOCAL_HOSTS

DEBUG_ON = "SINMUN_DEBUG가 켜져 있습니다. 운영 서버에서는 오류 화면이 설정과 코드를 보여 줍니다."
WEAK_KEY = (
    "SINMUN_SECRET_KEY가 약합니다: 50자 이상의 무작위 값이어야 하고 예시·개발용 값이면 안 됩니다."
)
KEY_HINT = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 로 만드세요."
HOSTS_LOCAL = (
    "SINMUN_ALLOWED_HOSTS에 이 컴퓨터 주소(127.0.0.1, localhost)만 있습니다. "
    "사이트의 도메인(news.example.kr)을 넣으세요."
)
HOSTS_ANY = "SINMUN_ALLOWED_HOSTS에 '*'가 있습니다. 사이트의 도메인만 넣으세요."
HTTPS_OFF = (
    "SINMUN_HTTPS가 꺼져 있습니다. 로그인 쿠키가 암호화되지 않은 연결로도 오가고 HSTS가 없습니다."
)
HTTPS_HINT = (
    "https로 서비스하고 SINMUN_HTTPS=1, SINMUN_PROXY_SSL_HEADER=X-Forwarded-Proto를 설정하세요."
)
SITE_URL_NOT_HTTPS = "SINMUN_HTTPS가 켜져 있는데 SINMUN_SITE_URL이 https://로 시작하지 않습니다."
LEGAL_EMPTY = "매체 설정의 법정 표시 항목이 비어 있습니다: {fields}"
LEGAL_HINT = "신문법 제21조 항목입니다. 데스크의 관리 › 매체 정보에서 채우세요."
LEGAL_UNREADABLE = (
    "매체 설정을 데이터베이스에서 읽지 못했습니다 ({error}). sinmun migrate를 했나요?"
)
KMA_KEYS_EMPTY = (
    "기상청 인증키(SINMUN_KMA_API_HUB_KEY, SINMUN_KMA_DATA_GO_KR_KEY)가 없어 날씨 줄에 "
    "예시 자료가 나옵니다."
)
# Keys seen in documentation and examples: anyone could sign sessions with them.
KNOWN_KEYS = frozenset({"change-me", "changeme", "secret", "sinmun", "dev", "development"})


def _secret_is_weak(key: str) -> bool:
    return (
        len(key) < 50
        or len(set(key)) < 5
        or key.startswith("django-insecure")
        or key.lower() in KNOWN_KEYS
    )


@register(Tags.security, deploy=True)
def deploy_settings_check(app_configs=None, **kwargs) -> list[Error]:
    """Refuse debug, a weak key, local-only hosts and plain http for a production site."""
    problems = []
    if settings.DEBUG:
        problems.append(Error(DEBUG_ON, hint="SINMUN_DEBUG=0", id="hardening.E001"))
    if _secret_is_weak(settings.SECRET_KEY):
        problems.append(Error(WEAK_KEY, hint=KEY_HINT, id="hardening.E002"))
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS]
    if "*" in hosts:
        problems.append(Error(HOSTS_ANY, id="hardening.E003"))
    elif all(host in LOCAL_HOSTS for host in hosts):
        problems.append(
            Error(HOSTS_LOCAL, hint="SINMUN_ALLOWED_HOSTS=news.example.kr", id="hardening.E003")
        )
    if not settings.HTTPS:
        problems.append(Error(HTTPS_OFF, hint=HTTPS_HINT, id="hardening.E004"))
    elif not settings.SITE_URL.startswith("https://"):
        problems.append(Error(SITE_URL_NOT_HTTPS, id="hardening.E005"))
    return problems


@register("sinmun", deploy=True)
def deploy_outlet_check(app_configs=None, **kwargs) -> list[Error | Warning]:
    """Refuse empty 신문법 §21 fields; warn while the weather has no keys."""
    problems = []
    try:
        empty = empty_legal_fields()
    except DatabaseError as error:
        problems.append(Error(LEGAL_UNREADABLE.format(error=error), id="hardening.E006"))
    else:
        if empty:
            problems.append(
                Error(
                    LEGAL_EMPTY.format(fields=", ".join(empty)),
                    hint=LEGAL_HINT,
                    id="hardening.E006",
                )
            )
    if not (settings.KMA_API_HUB_KEY or settings.KMA_DATA_GO_KR_KEY):
        problems.append(Warning(KMA_KEYS_EMPTY, id="hardening.W001"))
    return problems
