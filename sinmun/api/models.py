"""API clients: a partner system or wire feed, its scopes, its rate and its hashed token."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

# Revisions name the client ``api:<name>`` in a 60-character field: keep the name well inside.
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}\Z"
MAX_RATE_PER_MINUTE = 10_000


class ApiClient(models.Model):
    """One system allowed to use the API with a token of its own (created by 관리자).

    Only the token's SHA-256 is stored; the token itself is shown once, when created. Clients
    are revoked, never deleted: their name stays in the articles' revisions.
    """

    class Scope(models.TextChoices):
        READ = "read", "읽기"
        WRITE = "write", "송고"
        PUBLISH = "publish", "출고"

    name = models.CharField(
        "이름",
        max_length=40,
        unique=True,
        validators=[RegexValidator(NAME_PATTERN)],
        help_text="영문 소문자, 숫자, -, _ (기사 이력에 api:이름으로 남습니다)",
    )
    # The token's first characters after ``sinmun_``: finds the row without scanning hashes.
    token_prefix = models.CharField("토큰 앞부분", max_length=12, unique=True, editable=False)
    token_hash = models.CharField("토큰 해시 (SHA-256)", max_length=64, editable=False)
    scopes = models.JSONField("권한", default=list)
    rate_per_minute = models.PositiveIntegerField(
        "분당 요청 한도",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RATE_PER_MINUTE)],
    )
    created_at = models.DateTimeField("만든 시각", default=timezone.now)
    # Who acted: a user row, or a system actor's name (``shell`` for the command line).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="만든 사람",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_actor = models.CharField("만든 시스템", max_length=60, blank=True)
    revoked_at = models.DateTimeField("폐기 시각", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="폐기한 사람",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_by_actor = models.CharField("폐기한 시스템", max_length=60, blank=True)
    last_used_at = models.DateTimeField("마지막 사용", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API 클라이언트"
        verbose_name_plural = "API 클라이언트"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
