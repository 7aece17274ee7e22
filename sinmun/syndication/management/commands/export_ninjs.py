import json

from django.core.management.base import BaseCommand, CommandError

from sinmun.newsroom.models import Article
from sinmun.syndication import ninjs


class Command(BaseCommand):
    help = "기사를 IPTC ninjs 2.x로 내보냅니다 (기본: JSON 배열을 표준 출력으로)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="파일로 저장합니다.")
        parser.add_argument("--jsonl", action="store_true", help="JSON Lines로 씁니다.")
        parser.add_argument("--published", action="store_true", help="출고된 기사만 내보냅니다.")

    def handle(self, *args, **options):
        self.stdout.ending = ""
        qs = Article.objects.all()
        if options["published"]:
            qs = qs.filter(status=Article.Status.PUBLISHED)
        try:
            out = open(options["output"], "w", encoding="utf-8") if options["output"] else None
        except OSError as error:
            raise CommandError(f"파일을 쓸 수 없습니다: {error.strerror}") from None
        write = out.write if out else self.stdout.write
        try:
            if options["jsonl"]:
                for item in ninjs.export_items(qs):
                    write(json.dumps(item, ensure_ascii=False) + "\n")
            else:
                write("[\n")
                for n, item in enumerate(ninjs.export_items(qs)):
                    write(("" if n == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
                write("\n]\n")
        finally:
            if out:
                out.close()
