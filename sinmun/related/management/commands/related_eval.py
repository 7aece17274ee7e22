from django.core.management.base import BaseCommand, CommandError

from sinmun.newsroom.models import Article
from sinmun.related import engine, evaluation, judged

NO_DEMO = "데모 신문사 기사가 없습니다. 먼저 `sinmun demo`를 실행하세요."


class Command(BaseCommand):
    help = (
        "관련기사·키워드 제안·3줄 요약을 데모 신문사의 판정 집합으로 평가합니다 "
        "(관련기사는 기존 계층형 박스·같은 섹션 최신순과, 요약은 리드 3문장과 비교)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-suggestions",
            action="store_true",
            help="관련기사만 평가합니다 (키워드·요약은 kiwipiepy 분석에 시간이 걸립니다).",
        )

    def handle(self, *args, **options):
        uris = [judged.URI_PREFIX + short for short in judged.JUDGED]
        if Article.objects.filter(uri__in=uris).count() < len(uris):
            raise CommandError(NO_DEMO)
        # Lists the worker has not computed yet (a fresh demo) are computed now.
        missing = Article.objects.filter(
            status=Article.Status.PUBLISHED, related_state__isnull=True
        ).values_list("pk", flat=True)
        for article_id in list(missing):
            engine.recompute(article_id)
        write = self.stdout.write
        write(f"## 관련기사 ({len(judged.JUDGED)}개 기사의 판정, 상위 {evaluation.K}개)\n")
        write("| 방식 | precision@5 | nDCG@5 |")
        write("|---|---:|---:|")
        for score in evaluation.evaluate():
            write(f"| {score.name} | {score.precision:.3f} | {score.ndcg:.3f} |")
        best = evaluation.ceiling()
        write(f"| (판정이 허락하는 최선) | {best.precision:.3f} | {best.ndcg:.3f} |")
        if options["skip_suggestions"]:
            return
        articles = evaluation.demo_articles()
        write(
            f"\n## 키워드 제안 (데모 기사 {len(articles)}건, 데스크가 고른 키워드 대비 상위 5개)\n"
        )
        tuned, held_out = evaluation.halves(articles)
        write(
            f"가중치를 맞춘 절반(조정용 {len(tuned)}건)과 맞추는 데 쓰지 않은 절반"
            f"(검증용 {len(held_out)}건)을 따로 보입니다. 기존 키워드는 그 기사보다 먼저 "
            "출고된 기사의 키워드만 셉니다.\n"
        )
        write("| 방식 | 전체 P@5 / R@5 | 조정용 P@5 / R@5 | 검증용 P@5 / R@5 |")
        write("|---|---:|---:|---:|")
        _by_half(
            write,
            [evaluation.keyword_scores(part) for part in (articles, tuned, held_out)],
            lambda r: f"{r.precision:.3f} / {r.recall:.3f}",
        )
        with_subs = sum(1 for a in articles if a.subheadlines)
        write(f"\n## 3줄 요약 (부제가 있는 데모 기사 {with_subs}건, 형태소 ROUGE F1)\n")
        write("| 방식 | 전체 R-1 / R-2 | 조정용 R-1 / R-2 | 검증용 R-1 / R-2 |")
        write("|---|---:|---:|---:|")
        _by_half(
            write,
            [evaluation.summary_scores(part) for part in (articles, tuned, held_out)],
            lambda r: f"{r.rouge1:.3f} / {r.rouge2:.3f}",
        )


def _by_half(write, rows, cell) -> None:
    """Write one table row per method: its scores on all articles, the tuned and held-out half."""
    for every, tuned, held_out in zip(*rows, strict=True):
        write(f"| {every.name} | {' | '.join(cell(r) for r in (every, tuned, held_out))} |")
