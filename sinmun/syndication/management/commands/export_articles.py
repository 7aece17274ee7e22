"""``sinmun export-articles --from YYYY-MM-DD --to YYYY-MM-DD --format csv [-o FILE]``.

The list a portal partnership review asks for (``syndication.portal``), as CSV in UTF-8 with a
byte order mark so that Excel shows the Korean (docs/decisions/0014-canonical-urls.md).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sinmun.syndication import portal

BAD_DATE = "날짜 형식이 잘못되었습니다: {value} (YYYY-MM-DD 형식으로 입력하세요, 예: 2026-12-01)"
BAD_RANGE = "시작일({start})이 종료일({end})보다 늦습니다."
SAVED = "{count}건을 {path}에 저장했습니다."


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(BAD_DATE.format(value=value)) from None


class Command(BaseCommand):
    help = "포털 제휴 심사용 기사 목록(URL, 제목, 기자, 입력 시각, 섹션)을 내보냅니다."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="시작일 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="종료일 YYYY-MM-DD (포함)")
        parser.add_argument("--format", choices=["csv"], default="csv", help="형식 (csv)")
        parser.add_argument("-o", "--output", help="파일로 저장 (없으면 표준 출력)")

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        if start > end:
            raise CommandError(BAD_RANGE.format(start=start, end=end))
        lines = portal.csv_lines(portal.portal_rows(start=start, end=end))
        if not options["output"]:
            for piece in lines:
                self.stdout.write(piece, ending="")
            return
        count = -1  # the header is not an article
        with open(options["output"], "w", encoding="utf-8", newline="") as handle:
            for piece in lines:
                handle.write(piece)
                count += 1
        self.stderr.write(SAVED.format(count=count, path=options["output"]))
