"""Settings for Sinmun, read from ``SINMUN_*`` environment variables.

Every variable is listed in the README's configuration table. Defaults are safe for one process on
one machine: SQLite in WAL mode under ``./var``, a secret key generated into ``./var`` on first
use, DEBUG off.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SINMUN_VAR_DIR") or Path.cwd() / "var").resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Return SINMUN_SECRET_KEY, or a key generated once into ./var (never one in code)."""
    if key := os.environ.get("SINMUN_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("SINMUN_DEBUG", False)
ALLOWED_HOSTS = _env_list("SINMUN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _env_list("SINMUN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The desk's body editor ships its own JavaScript and CSS (no CDN).
    "django_prose_editor",
    # django-ninja: only for its own copies of the API docs' assets (no CDN, sinmun/api).
    "ninja",
    "sinmun.korean",
    "sinmun.jobs",
    "sinmun.newsroom",
    "sinmun.syndication",
    "sinmun.search",
    "sinmun.related",
    "sinmun.weather",
    "sinmun.audience",
    "sinmun.ads",
    "sinmun.api",
    "sinmun.public",
    "sinmun.pages",
    "sinmun.desk",
    "sinmun.demo",
    "sinmun.backup",
    "sinmun.hardening",
    # Desk login: lockout after repeated failures (docs/decisions/0023-hardening.md).
    "axes",
    # Optional TOTP two-factor for desk accounts.
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sinmun.hardening.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, with the storage made only when a view or template uses it.
    "sinmun.public.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sinmun.urls"
WSGI_APPLICATION = "sinmun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinmun.public.context_processors.site",
                "sinmun.desk.context_processors.desk_role",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("SINMUN_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sinmun.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN
    # so two writers queue on busy_timeout instead of failing with "database is locked".
    # Kept open between requests like PostgreSQL's: opening costs a connect and three PRAGMAs,
    # and closing the last connection to a WAL database checkpoints it (~1.4 ms a request,
    # more than a cached-fragment render; docs/decisions/0016).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Ten characters at least: a desk account can release articles under the outlet's name.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Store UTC, show Asia/Seoul (STYLE.md: never a naive datetime).
LANGUAGE_CODE = "ko"
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves from the app folders (WHITENOISE_USE_FINDERS) but expects this folder to exist.
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SINMUN_MEDIA_ROOT") or VAR_DIR / "media")
# One-process installs serve uploaded photos themselves; a scale-out set-up serves them from
# object storage or the front proxy and turns this off.
SERVE_MEDIA = _env_bool("SINMUN_SERVE_MEDIA", True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# `sinmun collectstatic` (run by `make migrate`) writes every asset under a name with its hash and
# a gzip/Brotli copy, which WhiteNoise serves with a year's Cache-Control. Before it has run the
# pages still work: names without a hash, cached briefly (not strict about missing entries).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "sinmun.staticstorage.StaticStorage"},
}

# Uploads larger than this are refused before they reach a view (bad input changes nothing).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Weather ticker sources (기상청): API Hub first, data.go.kr as the fallback. Without either key
# the ticker shows the recorded snapshot shipped with the project (see sinmun/weather).
KMA_API_HUB_KEY = os.environ.get("SINMUN_KMA_API_HUB_KEY", "")
KMA_DATA_GO_KR_KEY = os.environ.get("SINMUN_KMA_DATA_GO_KR_KEY", "")

# The site's public base URL (scheme, host, port): canonical links, feeds, sitemaps, exports.
# Unset, pages derive it from each request and commands use the local address; a system check
# refuses to start a production set-up without it (docs/decisions/0014-canonical-urls.md).
SITE_URL_SET = bool(os.environ.get("SINMUN_SITE_URL", "").strip())
SITE_URL = (os.environ.get("SINMUN_SITE_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/")

# SINMUN_REDIS_URL moves everything processes share into Redis: the shared cache, the content
# generation (sinmun/newsroom/generation.py), the job queue and its locks (sinmun/jobs).
# Without it, the processes of one machine share files under SINMUN_VAR_DIR
# (docs/decisions/0012-shared-state.md).
REDIS_URL = os.environ.get("SINMUN_REDIS_URL", "").strip()
CACHES = {
    # Shared by every process: counters, locks and anything one process writes for the others.
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    ),
    # This process's memory: values keyed by the shared content generation (whole pages, the
    # outlet, the menu, the weather rows), so they are never stale and cost no round trip.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sinmun",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Background jobs (sinmun/jobs): Huey on Redis when SINMUN_REDIS_URL is set, else on a SQLite
# file of its own under SINMUN_VAR_DIR. SINMUN_JOBS_IMMEDIATE=1 runs each job at once in the
# process that queues it (the tests; a one-off script with no worker).
JOBS_IMMEDIATE = _env_bool("SINMUN_JOBS_IMMEDIATE", False)
JOBS_SQLITE_PATH = VAR_DIR / "jobs.sqlite3"
# Reader pages are cached whole for this long (0 turns the page cache off); a publish starts a
# new generation at once (sinmun/public/pagecache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("SINMUN_PAGE_CACHE_SECONDS", "60"))
# Pieces of pages kept rendered in each process's memory (sinmun/public/templatetags/
# fragments.py), keyed on what they show; 0 renders everything on every request.
FRAGMENT_SECONDS = int(os.environ.get("SINMUN_FRAGMENT_SECONDS", "60"))
# Each web process keeps at most this much of whole pages (and their gzip forms) in memory.
PAGE_CACHE_MAX_BYTES = int(os.environ.get("SINMUN_PAGE_CACHE_MB", "32")) * 1024 * 1024
# What cached pages tell a proxy or CDN in front (Cache-Control): keep a page this long, then
# serve it stale for up to SINMUN_EDGE_STALE_SECONDS while fetching it again. Short, because a
# proxy is not told of a publish; a CDN that purges by Surrogate-Key can be set to keep pages
# longer on its own side (README, "Behind nginx or a CDN").
EDGE_CACHE_SECONDS = int(os.environ.get("SINMUN_EDGE_CACHE_SECONDS", "1"))
EDGE_STALE_SECONDS = int(os.environ.get("SINMUN_EDGE_STALE_SECONDS", "10"))
# The JSON API (sinmun/api, docs/decisions/0015-api.md): reads without a token are allowed at
# this many requests per minute per client address (0 refuses them). Behind a reverse proxy,
# SINMUN_API_CLIENT_IP_HEADER names the header it puts the reader's address in (X-Real-IP).
API_ANONYMOUS_RATE = int(os.environ.get("SINMUN_API_ANONYMOUS_RATE", "120"))
API_CLIENT_IP_HEADER = os.environ.get("SINMUN_API_CLIENT_IP_HEADER", "")
# Who counts article views (sinmun/audience, docs/decisions/0020): "server", the web process
# answering the page (no second request; pages a CDN answers are not seen), or "beacon", a
# script in the reader's browser (for set-ups where a CDN or proxy answers pages).
AUDIENCE_COUNTING = os.environ.get("SINMUN_AUDIENCE_COUNTING", "server")
if AUDIENCE_COUNTING not in ("server", "beacon"):
    raise ImproperlyConfigured(
        f"SINMUN_AUDIENCE_COUNTING must be 'server' or 'beacon', not {AUDIENCE_COUNTING!r}"
    )

LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:dashboard"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SINMUN_LOG_LEVEL", "INFO")},
    # Huey says "executing …" for every job and every 15-second sweep; the site's own jobs
    # log what they did and what failed (sinmun.jobs), so Huey speaks up only for problems.
    "loggers": {
        "huey": {"level": "DEBUG" if os.environ.get("SINMUN_LOG_LEVEL") == "DEBUG" else "WARNING"}
    },
}

# --- Security (docs/decisions/0023-hardening.md; `sinmun check --deploy` checks the lot) ---
# SINMUN_HTTPS=1: readers and the desk reach the site over https (in practice through a proxy
# that ends TLS). Cookies are then sent over https only, browsers are told to keep to https
# (HSTS) and plain-http requests are redirected. Off by default so `make run` works on
# http://127.0.0.1:8000.
HTTPS = _env_bool("SINMUN_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The proxy that ends TLS says so in this header (X-Forwarded-Proto: https); Django then knows
# a request was https. Only set it when the proxy always sets (or strips) that header itself.
PROXY_SSL_HEADER = os.environ.get("SINMUN_PROXY_SSL_HEADER", "").strip()
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# Redirect http to https only when Django can tell them apart: behind a TLS proxy without the
# header above every request looks like http, and the redirect would loop.
SECURE_SSL_REDIRECT = _env_bool("SINMUN_SSL_REDIRECT", HTTPS and bool(PROXY_SSL_HEADER))
# A year, as hstspreload.org asks; subdomains and preload are a choice for the whole domain
# (an old http-only archive or ad host under it would break), so they are the outlet's.
SECURE_HSTS_SECONDS = int(os.environ.get("SINMUN_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SINMUN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("SINMUN_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Hosts added to the reader pages' Content-Security-Policy (sinmun/hardening/headers.py):
# an analytics or ad network script the newsroom chose, and photos on object storage/CDN.
CSP_EXTRA_SCRIPT_SRC = _env_list("SINMUN_CSP_EXTRA_SCRIPT_SRC", "")
CSP_EXTRA_IMG_SRC = _env_list("SINMUN_CSP_EXTRA_IMG_SRC", "")
SILENCED_SYSTEM_CHECKS = [
    # HSTS includeSubDomains and preload: see SECURE_HSTS_* above; the outlet opts in.
    "security.W005",
    "security.W021",
]

# Desk login lockout (django-axes): after SINMUN_LOGIN_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is refused for SINMUN_LOGIN_COOLOFF_MINUTES, even with
# the right password. Per account and address, so an attacker cannot lock a reporter out from
# elsewhere; the address is the proxy's header when SINMUN_API_CLIENT_IP_HEADER is set.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SINMUN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SINMUN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "sinmun.clients.client_address"
AXES_LOCKOUT_CALLABLE = "sinmun.desk.login.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# The name authenticator apps show beside the account (sinmun/desk/twofactor.py).
OTP_TOTP_ISSUER = "Sinmun"
