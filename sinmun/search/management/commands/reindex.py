"""``sinmun reindex``: bring the search index up to date, in batches, resumably.

Without options it indexes only what is missing or out of date, so an interrupted run simply
continues. ``--all`` re-analyses every published article: it records its start time in
``SINMUN_VAR_DIR/search-reindex-since`` until it finishes, so a rerun after an interruption
resumes instead of starting over. Each batch is analysed on all cores and written in its own
short transaction; readers are never locked out (SQLite WAL, PostgreSQL MVCC).
"""

from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from sinmun.search import indexing, recent, suggestions
from sinmun.search.models import SearchDocument


class Command(BaseCommand):
    help = "검색 색인을 다시 만듭니다 (기본: 빠지거나 낡은 기사만, --all: 모두)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="출고된 모든 기사를 다시 분석합니다."
        )
        parser.add_argument("--batch", type=int, default=200, help="한 번에 분석할 기사 수")

    def handle(self, *args, **options):
        marker = settings.VAR_DIR / "search-reindex-since"
        if options["all"] and not marker.exists():
            marker.write_text(timezone.now().isoformat())
        since = datetime.fromisoformat(marker.read_text().strip()) if marker.exists() else None
        removed, _ = indexing.orphan_documents().delete()
        todo = indexing.stale_articles()
        if since is not None:
            todo = (
                todo
                | indexing.Article.objects.filter(
                    status=indexing.Article.Status.PUBLISHED, search_document__indexed_at__lt=since
                )
            ).distinct()
        total = todo.count()
        done = 0
        with tqdm(total=total, unit="건", disable=options["verbosity"] == 0) as bar:
            last_id = 0
            while True:
                batch = list(
                    todo.filter(pk__gt=last_id)
                    .select_related("section", "series")
                    .prefetch_related("keywords", "bylines__reporter")[: options["batch"]]
                )
                if not batch:
                    break
                documents = indexing.documents_for(batch)
                with transaction.atomic():
                    SearchDocument.objects.filter(article__in=batch).delete()
                    SearchDocument.objects.bulk_create(documents)
                last_id = batch[-1].pk
                done += len(batch)
                bar.update(len(batch))
        if marker.exists():
            marker.unlink()
        # Batches replace rows wholesale; the typo-suggestion words are counted again once.
        words = suggestions.rebuild()
        recent.advance(step=None)
        self.stdout.write(f"색인: {done}건 분석, 지운 항목 {removed}건, 제안 낱말 {words}개")
