"""``sinmun weather refresh | load FILE``: the ticker's data from the command line.

The hourly refresh is the worker's (``sinmun worker``, ``weather.tasks``).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sinmun.weather import selectors, services
from sinmun.weather.models import HIDE_AFTER
from sinmun.weather.readings import BadResponse

TOO_OLD = (
    "관측 시각이 {observed} (KST)로 12시간이 지나 페이지에는 나오지 않습니다. "
    "키 없이 예시 자료를 보이려면 `sinmun weather refresh`를 쓰세요."
)
SAMPLE = (
    "(예시 자료: SINMUN_KMA_API_HUB_KEY나 SINMUN_KMA_DATA_GO_KR_KEY가 없어 "
    "기록해 둔 자료를 보여 줍니다. 티커에는 '예시'라고 표시됩니다.)"
)
NOTHING_STORED = "새로 저장한 관측값이 없습니다 (오류 {count}건)."


class Command(BaseCommand):
    help = (
        "기상청 날씨 티커: 지금 갱신(refresh), 저장한 응답 불러오기(load). "
        "매시 갱신은 sinmun worker가 합니다."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{refresh,load}")
        actions.add_parser(
            "refresh", help="기상청에서 지금 받아 저장합니다 (키가 없으면 예시 자료)."
        )
        load = actions.add_parser("load", help="저장해 둔 kma_sfctm2.php 응답 파일을 불러옵니다.")
        load.add_argument("file", help="kma_sfctm2.php 응답 파일 (UTF-8 또는 EUC-KR)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "refresh":
            self.refresh()
        else:
            self.load(options["file"])

    def refresh(self):
        result = services.weather_refresh()
        for source, count in result.stored.items():
            self.stdout.write(f"{source}: {count}개 지점 저장")
        for error in result.errors:
            self.stderr.write(error)
        if result.errors and not any(result.stored.values()):
            raise CommandError(NOTHING_STORED.format(count=len(result.errors)))
        ticker = selectors.ticker_items()
        self.stdout.write(ticker.line)
        if ticker.sample:
            self.stdout.write(SAMPLE)

    def load(self, path):
        try:
            result = services.weather_load_file(path=path)
        except OSError as error:
            raise CommandError(f"파일을 열 수 없습니다: {path} ({error.strerror})") from None
        except BadResponse as error:
            raise CommandError(str(error)) from None
        self.stdout.write(selectors.readings_line(result.readings))
        newest = max(r.observed_at for r in result.readings)
        if selectors.clock() - newest > HIDE_AFTER:
            observed = timezone.localtime(newest).strftime("%Y.%m.%d %H:%M")
            self.stderr.write(TOO_OLD.format(observed=observed))
