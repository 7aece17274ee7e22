"""``sinmun api_client create|revoke|list``: API clients from the server's command line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sinmun.api import services
from sinmun.api.models import ApiClient

UNKNOWN_CLIENT = "없는 클라이언트입니다: {name}"
SHOWN_ONCE = "토큰은 지금 한 번만 보입니다. 안전한 곳에 옮겨 두세요."


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "API 클라이언트(파트너·통신사 시스템의 토큰)를 만들고, 폐기하고, 나열합니다."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="클라이언트를 만들고 토큰을 한 번 보여 줍니다")
        create.add_argument("name", help="영문 소문자 이름 (기사 이력에 api:이름으로 남음)")
        create.add_argument(
            "--scope",
            action="append",
            choices=ApiClient.Scope.values,
            required=True,
            help="read, write(송고), publish(출고; write와 함께). 여러 번 쓸 수 있습니다",
        )
        create.add_argument("--rate", type=int, default=60, help="분당 요청 한도 (기본 60)")
        revoke = actions.add_parser("revoke", help="토큰을 바로 못 쓰게 합니다")
        revoke.add_argument("name")
        actions.add_parser("list", help="클라이언트와 권한, 마지막 사용 시각")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _create(self, *, name, scope, rate, **_):
        client, token = services.api_client_create(
            by=services.SHELL, name=name, scopes=scope, rate_per_minute=rate
        )
        self.stdout.write(token)
        self.stderr.write(f"{client.name}: {', '.join(client.scopes)}, 분당 {rate}회. {SHOWN_ONCE}")

    def _revoke(self, *, name, **_):
        client = ApiClient.objects.filter(name=name).first()
        if client is None:
            raise CommandError(UNKNOWN_CLIENT.format(name=name))
        services.api_client_revoke(by=services.SHELL, client=client)
        self.stdout.write(f"{name}: 폐기했습니다.")

    def _list(self, **_):
        for client in ApiClient.objects.all():
            state = f"폐기 {_when(client.revoked_at)}" if client.revoked_at else "사용 중"
            self.stdout.write(
                f"{client.name}\t{','.join(client.scopes)}\t분당 {client.rate_per_minute}\t"
                f"{state}\t마지막 사용 {_when(client.last_used_at)}"
            )
