"""``sinmun restore PATH``: restore a ``sinmun backup`` archive into an empty site."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from sinmun.backup import archive, databases, services

ARCHIVE_VERIFIED = (
    "백업 파일이 온전합니다: {path} ({created_at}에 만든 {vendor} 백업, 항목 {members}개, "
    "체크섬 일치)"
)
RESTORED = "복원했습니다: {path} ({created_at}에 만든 백업, 미디어 파일 {media_files}개)"


class Command(BaseCommand):
    help = (
        "sinmun backup 파일을 빈 데이터베이스와 빈 미디어 폴더에 복원합니다. 먼저 파일 전체를 "
        "검사하고, 손상되었거나 맞지 않는 백업이면 아무것도 쓰지 않고 거부합니다."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="복원할 백업 파일")
        parser.add_argument(
            "--check",
            action="store_true",
            help="백업 파일만 검사하고 아무것도 쓰지 않습니다 (운영 중인 사이트에서도 됩니다)",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        database = connections["default"].settings_dict
        try:
            if options["check"]:
                manifest = services.backup_verify(path=path, database=database)
                self.stdout.write(
                    ARCHIVE_VERIFIED.format(
                        path=path,
                        created_at=manifest.created_at,
                        vendor=databases.VENDOR_NAMES[manifest.vendor],
                        members=len(manifest.members),
                    )
                )
                return
            result = services.backup_restore(
                path=path, database=database, media_root=Path(settings.MEDIA_ROOT)
            )
        except (services.BackupError, archive.ArchiveError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            RESTORED.format(
                path=path,
                created_at=result.manifest.created_at,
                media_files=result.media_files,
            )
        )
        if result.pending_migrations:
            self.stdout.write(
                services.RESTORE_NEEDS_MIGRATE.format(count=len(result.pending_migrations))
            )
