"""``sinmun photos_renditions``: make the renditions of photos stored before renditions existed.

Idempotent (``photos.ensure_renditions``): a photo whose renditions are all there costs a few
``exists`` calls, so the command can run after every restore or import.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinmun.newsroom import bodyhtml, photos
from sinmun.newsroom.models import Article

FAILED = "사진 {count}장의 렌디션을 만들지 못했습니다."


def _photo_names() -> list[str]:
    """Return every lead photo and inline body photo of every article, each once, in order."""
    names = dict.fromkeys(
        Article.objects.exclude(lead_photo="").order_by("pk").values_list("lead_photo", flat=True)
    )
    for body in Article.objects.filter(body__contains="<img").values_list("body", flat=True):
        names.update(dict.fromkeys(bodyhtml.stored_photo_names(body)))
    return list(names)


class Command(BaseCommand):
    help = "기사 사진(대표 사진과 본문 사진)의 렌디션 중 없는 것을 만듭니다."

    def handle(self, *args, **options):
        names = _photo_names()
        made = failed = 0
        for name in names:
            try:
                made += len(photos.ensure_renditions(name))
            except ValidationError as error:
                # A damaged or refused file must not stop the others; it is named for the editor.
                failed += 1
                self.stderr.write(f"{name}: {' '.join(error.messages)}")
            except OSError as error:
                failed += 1
                self.stderr.write(f"{name}: {error.strerror or error}")
        self.stdout.write(f"사진 {len(names)}장 확인, 새 파일 {made}개")
        if failed:
            raise CommandError(FAILED.format(count=failed))
