from django.core.management.base import BaseCommand
from tqdm import tqdm

from sinmun.newsroom.models import Article
from sinmun.related import engine, vocabulary


class Command(BaseCommand):
    help = "관련기사를 처음부터 다시 계산합니다: 어휘 표본, 모든 출고 기사의 특징어와 목록."

    def handle(self, *args, **options):
        sampled = vocabulary.rebuild()
        ids = list(
            Article.objects.filter(status=Article.Status.PUBLISHED)
            .order_by("id")
            .values_list("pk", flat=True)
        )
        quiet = options["verbosity"] == 0
        engine.sign_many(ids)
        for article_id in tqdm(ids, desc="관련기사", disable=quiet):
            engine.recompute(article_id)
        self.stdout.write(f"어휘 표본 {sampled:,}건, 관련기사 {len(ids):,}건을 다시 계산했습니다.")
