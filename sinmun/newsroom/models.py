"""The newsroom's content model."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

# Public ids avoid look-alike characters (0/o, 1/l/i) so that a reader can type one from print.
PUBLIC_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PUBLIC_ID_LENGTH = 8


def new_public_id() -> str:
    """Return a fresh random public id for an article URL."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class OutletSettings(models.Model):
    """The outlet's name and the legal block every page shows (신문법 §21, 청소년보호법 §9-2).

    One row (pk=1); ``selectors.outlet()`` reads it.
    """

    name = models.CharField(
        "매체명", max_length=100, help_text="바이라인 [매체명=기자명 기자]에 쓰입니다."
    )
    title = models.CharField("제호", max_length=100)
    company = models.CharField("명칭", max_length=200, blank=True)
    address = models.CharField("발행소 주소", max_length=300, blank=True)
    phone = models.CharField("발행소 전화", max_length=50, blank=True)
    registration_number = models.CharField("등록번호", max_length=50, blank=True)
    registration_date = models.DateField("등록연월일", null=True, blank=True)
    publisher = models.CharField("발행인", max_length=100, blank=True)
    editor = models.CharField("편집인", max_length=100, blank=True)
    publication_date = models.DateField("발행연월일", null=True, blank=True)
    youth_officer = models.CharField("청소년보호책임자", max_length=100, blank=True)
    email = models.EmailField("대표 이메일", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "매체 설정"
        verbose_name_plural = "매체 설정"

    def __str__(self) -> str:
        return self.title or self.name

    def get_absolute_url(self) -> str:
        return reverse("public:home")


class Section(models.Model):
    """A section of the paper; two levels (정치 › 국회), ordered by ``order``."""

    name = models.CharField("이름", max_length=50)
    slug = models.SlugField("슬러그", max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="상위 섹션",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "섹션"
        verbose_name_plural = "섹션"

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("public:section", kwargs={"slug": self.slug})


class Series(models.Model):
    """A 연재 or 코너: the bracketed label shown before a headline, e.g. ``[기자수첩]``."""

    name = models.CharField("이름", max_length=50)
    slug = models.SlugField("슬러그", max_length=60, unique=True)
    description = models.TextField("설명", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "연재"
        verbose_name_plural = "연재"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:series", kwargs={"slug": self.slug})


class Reporter(models.Model):
    class Title(models.TextChoices):
        REPORTER = "기자", "기자"
        SENIOR = "선임기자", "선임기자"
        CORRESPONDENT = "특파원", "특파원"
        GUEST = "객원기자", "객원기자"

    name = models.CharField("이름", max_length=50)
    slug = models.SlugField("슬러그", max_length=60, unique=True)
    title = models.CharField("직함", max_length=10, choices=Title.choices, default=Title.REPORTER)
    email = models.EmailField("이메일", blank=True)
    photo = models.ImageField("사진", upload_to="reporters/", blank=True)
    bio = models.TextField("소개", blank=True)
    active = models.BooleanField("재직", default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="로그인 계정",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporter",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "기자"
        verbose_name_plural = "기자"

    def __str__(self) -> str:
        return f"{self.name} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("public:reporter", kwargs={"slug": self.slug})


class Keyword(models.Model):
    name = models.CharField("키워드", max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "키워드"
        verbose_name_plural = "키워드"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:keyword", kwargs={"name": self.name})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "작성 중"
        SUBMITTED = "submitted", "송고"
        PUBLISHED = "published", "출고"
        WITHDRAWN = "withdrawn", "출고 취소"

    public_id = models.CharField(
        "공개 ID", max_length=16, unique=True, default=new_public_id, editable=False
    )
    uri = models.CharField("ninjs URI", max_length=255, unique=True)
    headline = models.CharField("제목", max_length=300)
    subheadlines = models.JSONField("부제", default=list, blank=True)
    body = models.TextField("본문", help_text="허용 목록으로 정화된 HTML")
    body_text = models.TextField("본문 텍스트", blank=True, editable=False)
    lead_photo = models.ImageField("대표 사진", upload_to="photos/%Y/%m/", blank=True)
    lead_photo_caption = models.CharField("사진 설명", max_length=300, blank=True)
    lead_photo_credit = models.CharField("사진 출처", max_length=100, blank=True)
    section = models.ForeignKey(
        Section, verbose_name="섹션", on_delete=models.PROTECT, related_name="articles"
    )
    series = models.ForeignKey(
        Series,
        verbose_name="연재",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    reporters = models.ManyToManyField(
        Reporter, verbose_name="기자", through="ArticleReporter", related_name="articles"
    )
    keywords = models.ManyToManyField(
        Keyword, verbose_name="키워드", blank=True, related_name="articles"
    )
    status = models.CharField(
        "상태", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_top = models.BooleanField("톱기사", default=False)
    first_published_at = models.DateTimeField("입력", null=True, blank=True)
    updated_at = models.DateTimeField("수정", null=True, blank=True)
    created_at = models.DateTimeField("작성", auto_now_add=True)
    modified_at = models.DateTimeField("최종 저장", auto_now=True)

    class Meta:
        ordering = ["-first_published_at", "-id"]
        verbose_name = "기사"
        verbose_name_plural = "기사"
        permissions = [
            ("publish_article", "기사를 출고·출고 취소할 수 있음"),
        ]
        indexes = [
            # With id: every list orders by (입력, id), and without it SQLite sorts all
            # published rows in a temporary B-tree (2-3 s at 100k articles).
            models.Index(
                fields=["status", "-first_published_at", "-id"], name="article_status_pub_id"
            ),
            models.Index(
                fields=["section", "status", "-first_published_at"], name="article_section_pub"
            ),
            # Search checks each match's visibility by id; body and body_text come before
            # status in the row, so on SQLite a lookup in the table reads overflow pages.
            models.Index(
                fields=["id", "status", "first_published_at", "section"],
                name="article_visibility",
            ),
            # The worker's sweep reads what changed lately to catch up work a killed job lost.
            models.Index(fields=["modified_at"], name="article_modified"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("public:article", kwargs={"public_id": self.public_id})

    @property
    def label(self) -> str:
        """Return the bracketed teaser label: the series if any, else the section."""
        return self.series.name if self.series_id else self.section.name


class ArticleReporter(models.Model):
    """A reporter's place in an article's byline (order matters: the first is the lead)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    reporter = models.ForeignKey(Reporter, on_delete=models.PROTECT, related_name="bylines")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "reporter"], name="byline_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.reporter_id}"


class ArticleRevision(models.Model):
    """An immutable snapshot written by every service that changes an article (the audit trail)."""

    class Action(models.TextChoices):
        CREATE = "create", "작성"
        UPDATE = "update", "수정"
        SUBMIT = "submit", "송고"
        PUBLISH = "publish", "출고"
        WITHDRAW = "withdraw", "출고 취소"
        IMPORT = "import", "가져오기"

    # PROTECT: an article is withdrawn, never deleted, and its audit trail outlives everything.
    article = models.ForeignKey(
        Article, verbose_name="기사", on_delete=models.PROTECT, related_name="revisions"
    )
    action = models.CharField("작업", max_length=12, choices=Action.choices)
    snapshot = models.JSONField("내용")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="사용자",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # A system actor's name (import, schedule, demo, api:<client>) when no user acted.
    actor = models.CharField("시스템", max_length=60, blank=True)
    at = models.DateTimeField("시각", db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "기사 이력"
        verbose_name_plural = "기사 이력"

    def __str__(self) -> str:
        return f"{self.article_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()

    @property
    def done_by(self) -> str:
        """Return who acted: the user's name, or the system actor's name."""
        return self.by.get_username() if self.by_id else f"시스템:{self.actor}"


class SweepMark(models.Model):
    """How far a periodic sweep has looked (e.g. embargoes lifted up to this time).

    Kept in the database, not in the queue, so a restarted worker goes on from where the last
    sweep stopped and announces what came due while it was down.
    """

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "정기 점검 기록"
        verbose_name_plural = "정기 점검 기록"

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
