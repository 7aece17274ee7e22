"""``sinmun search_eval``: relevance of search on this database's demo articles, as a table.

Runs the judged query set (``sinmun/search/fixtures/judged_queries.json``) on Sinmun and on the
FTS5-trigram and LIKE baselines (see ``sinmun.search.evaluation``), then types every name of
every article as readers do (``sinmun.search.name_recall``); load the demo first (``sinmun
demo``) and bring the index up to date (``sinmun reindex``).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from sinmun.search import evaluation, indexing, name_recall


class Command(BaseCommand):
    help = "판정된 검색어로 검색 품질(recall@10, MRR)을 재고 기준선 두 가지와 비교합니다."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="결과 전체를 JSON으로 출력")
        parser.add_argument("--worst", type=int, default=10, help="보여줄 약한 검색어 수")
        parser.add_argument(
            "--no-names", action="store_true", help="기사 속 이름 검색(전수 검사)은 건너뜀"
        )

    def handle(self, *args, **options):
        queries = evaluation.load_judged()
        results = evaluation.evaluate(queries)
        judged = {uri for q in queries for uri in q.relevant}
        if len(results["missing"]) == len(judged):
            raise CommandError(
                "판정된 기사가 하나도 없습니다. 먼저 `sinmun demo`로 데모를 불러오세요."
            )
        stale = indexing.stale_articles().count()
        if stale:
            self.stderr.write(
                f"색인이 낡은 기사 {stale}건: `sinmun reindex` 뒤에 다시 재면 정확합니다."
            )
        names = None if options["no_names"] else name_recall.evaluate()
        if options["json"]:
            results["names"] = names
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
            return
        self.stdout.write(evaluation.format_table(results, worst=options["worst"]))
        if names is not None:
            self.stdout.write("")
            self.stdout.write(name_recall.format_table(names, misses=options["worst"]))
