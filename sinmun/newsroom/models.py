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
    logo = models.ImageField(
        "로고", upload_to="outlet/", blank=True, help_text="검색엔진 구조화 데이터의 발행처 로고"
    )
    feed_full_text = models.BooleanField(
        "피드에 본문 전체", default=False, help_text="끄면 RSS에 요약만 싣습니다."
    )
    show_approved_time = models.BooleanField(
        "승인 시각 표시",
        default=False,
        help_text="기사 페이지에 입력·수정과 함께 승인 시각을 보입니다.",
    )
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
    # A 데스크 edits and releases the articles of the sections they are assigned; one assigned
    # to none covers every section (a small newsroom's one desk). access.py applies it.
    desk_editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="담당 데스크",
        blank=True,
        related_name="desk_sections",
    )

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
        RETURNED = "returned", "반려"
        PUBLISHED = "published", "출고"
        WITHDRAWN = "withdrawn", "회수"

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
    # Readers see a published article from its 입력 time on. A time in the future is a
    # 예약 출고, or an 엠바고 when ``embargoed`` is set: both are enforced by the read selectors.
    first_published_at = models.DateTimeField("입력", null=True, blank=True)
    updated_at = models.DateTimeField("수정", null=True, blank=True)
    approved_at = models.DateTimeField("승인", null=True, blank=True)
    # The release time a desk or a wire item asked for before release (used by 출고).
    release_at = models.DateTimeField("예약 시각", null=True, blank=True)
    embargoed = models.BooleanField("엠바고", default=False)
    withdrawn_reason = models.CharField("회수 사유", max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="작성 계정",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Every save adds one; a save based on an older version is refused (edit safety).
    version = models.PositiveIntegerField("판", default=1)
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
            # The section comes last so that a parent section's list (its own and its
            # children's articles, newest first) is walked in the index alone; without it
            # SQLite read each row, body included, for its section (docs/decisions/0027).
            models.Index(
                fields=["status", "-first_published_at", "-id", "section"],
                name="article_status_pub_sec",
            ),
            # With id, so the home page's newest of each section and a leaf section's list
            # need no sort and the planner prefers this index to the one above.
            models.Index(
                fields=["section", "status", "-first_published_at", "-id"],
                name="article_section_pub_id",
            ),
            # Search checks each match's visibility by id; body and body_text come before
            # status in the row, so on SQLite a lookup in the table reads overflow pages.
            models.Index(
                fields=["id", "status", "first_published_at", "section"],
                name="article_visibility",
            ),
            # The worker's sweep reads what changed lately to catch up work a killed job lost.
            models.Index(fields=["modified_at"], name="article_modified"),
            # The home page's 톱기사: the newest marked one. Without it SQLite walked the status
            # index reading each row for its flag, every published article when none is
            # marked (docs/decisions/0027).
            models.Index(
                fields=["status", "-first_published_at", "-id"],
                condition=models.Q(is_top=True),
                name="article_top",
            ),
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
        WITHDRAW = "withdraw", "회수"
        IMPORT = "import", "가져오기"
        RETURN = "return", "반려"
        SCHEDULE = "schedule", "예약"
        PROPOSE = "propose", "수정 송고"
        DISCARD = "discard", "수정안 반려"
        RESTORE = "restore", "복원"
        CORRECT = "correct", "정정"

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
    memo = models.TextField("메모", blank=True)
    # The article's version after this change (edit safety; None for records before it existed).
    version = models.PositiveIntegerField("판", null=True, blank=True)

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


class PendingChange(models.Model):
    """A reporter's change to a released article, waiting for the desk (수정 송고).

    The live text never changes behind the desk's back: the change is held here until a 데스크
    releases it (applied as a normal update) or returns it.
    """

    article = models.OneToOneField(
        Article, verbose_name="기사", on_delete=models.CASCADE, related_name="pending"
    )
    fields = models.JSONField("수정 내용")
    base_version = models.PositiveIntegerField("바탕 판")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="제출한 사람", on_delete=models.PROTECT
    )
    at = models.DateTimeField("제출 시각")

    class Meta:
        verbose_name = "출고 기사 수정안"
        verbose_name_plural = "출고 기사 수정안"

    def __str__(self) -> str:
        return f"{self.article} 수정안"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class Autosave(models.Model):
    """The editor's text saved every 30 s between real saves, one per user and article.

    Not a revision: the next real save replaces it (and deletes it), so history stays readable.
    ``article`` is empty for a new article not yet saved once.
    """

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    fields = models.JSONField()
    base_version = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.user_id} {self.at:%H:%M:%S}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url() if self.article_id else "/"


class Correction(models.Model):
    """A 정정보도, 반론보도 or 추후보도 (언론중재법 §14–17) attached to an article.

    Readers see its notice above the original's headline, and in the corrections list.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "정정보도"
        REPLY = "reply", "반론보도"
        FOLLOWUP = "followup", "추후보도"

    article = models.ForeignKey(
        Article, verbose_name="기사", on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField("종류", max_length=12, choices=Kind.choices)
    requested_on = models.DateField("청구일", null=True, blank=True)
    decision = models.CharField("결정", max_length=300, blank=True)
    text = models.TextField("내용")
    published_at = models.DateTimeField("게재 시각")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="게재한 사람",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    actor = models.CharField("시스템", max_length=60, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "정정·반론보도"
        verbose_name_plural = "정정·반론보도"

    def __str__(self) -> str:
        return f"[{self.get_kind_display()}] {self.article}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()
