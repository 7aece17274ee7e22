"""``sinmun backup PATH``: one archive of the database and media while the site runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from sinmun.backup import archive, databases, services

BACKUP_WRITTEN = (
    "백업을 썼습니다: {path} ({size:,}바이트, {vendor}, 마이그레이션 {migrations}개, "
    "미디어 파일 {media_files}개)"
)


class Command(BaseCommand):
    help = (
        "데이터베이스(SQLite 백업 API 또는 pg_dump)와 미디어 폴더를 manifest.json(체크섬, "
        "스키마 버전)과 함께 파일 하나에 씁니다. 사이트를 멈출 필요가 없습니다."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="쓸 백업 파일 (.tar, .tar.gz이면 gzip으로 압축)")
        parser.add_argument("--force", action="store_true", help="이미 있는 파일을 덮어씁니다")

    def handle(self, *args, **options):
        try:
            result = services.backup_write(
                path=Path(options["path"]),
                database=connections["default"].settings_dict,
                media_root=Path(settings.MEDIA_ROOT),
                force=options["force"],
            )
        except (services.BackupError, archive.ArchiveError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            BACKUP_WRITTEN.format(
                path=result.path,
                size=result.size,
                vendor=databases.VENDOR_NAMES[result.vendor],
                migrations=result.migrations,
                media_files=result.media_files,
            )
        )
