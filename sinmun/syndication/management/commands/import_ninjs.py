import sys

from django.core.management.base import BaseCommand, CommandError

from sinmun.newsroom import actors
from sinmun.syndication import ninjs

MAX_FILE_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "IPTC ninjs 2.x 기사를 가져옵니다 (JSON 배열, 객체 하나, JSON Lines). "
        "파일 전체를 가져오거나, 잘못된 항목이 하나라도 있으면 아무것도 가져오지 않습니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ninjs 파일 경로 (- 이면 표준 입력)")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            else:
                with open(path, "rb") as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"파일을 열 수 없습니다: {path} ({error.strerror})") from None
        if len(data) > MAX_FILE_BYTES:
            raise CommandError(f"파일이 너무 큽니다 (최대 {MAX_FILE_BYTES // 1024 // 1024} MB).")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"UTF-8 파일이 아닙니다 ({error.start}바이트째).") from None
        try:
            items = ninjs.read_items(text)
            if not items:
                # An empty file is a mistake (a wrong path, a feed that sent nothing), never
                # a successful import of nothing.
                raise ninjs.NinjsError([ninjs.ItemError(0, None, "file", ninjs.NO_ITEMS)])
            results = ninjs.import_items(items, by=actors.IMPORT)
        except ninjs.NinjsError as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"잘못된 항목이 있어 아무것도 가져오지 않았습니다 (오류 {len(error.errors)}건)."
            ) from None
        for item in results:
            self.stdout.write(f"{item.uri}\t{item.path}")
