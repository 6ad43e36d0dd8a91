"""Newsroom settings.

One settings module for every environment: each value is read from the environment with a
development default, so production differs from a laptop only by environment variables
(see README.md, "Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "taggit",
    "reversion",
    "django_prose_editor",
    "catalog",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page and 304 answers; sees the Cache-Control set just below it.
    "django.middleware.http.ConditionalGetMiddleware",
    "newsroom.caching.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsroom.messages.LazyMessageMiddleware",  # Django's, made only when used
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "newsroom.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

# Database: DATABASE_URL (e.g. postgres://user:pass@host:5432/newsroom); SQLite in var/ otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite cannot create the folder its file lives in.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite keeps no persistent connections worth checking; WAL lets readers run beside a writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )


def postgres_options(database: dict) -> None:
    """Connection options for a PostgreSQL alias (the primary and the replica alike)."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return
    options = database.setdefault("OPTIONS", {})
    if env_bool("DATABASE_SERVER_SIDE_BINDING", True):
        # Parameters bound by the server, so psycopg prepares a statement it has run five
        # times on a connection and PostgreSQL stops planning the pages' queries anew. Turn
        # off behind a pooler that cannot keep prepared statements (PgBouncer before 1.21).
        options.update(server_side_binding=True, prepare_threshold=5)
    # Planner settings for a site's short queries, per connection (docs/deploy.md): no JIT
    # (compiling a plan took longer than running the profile pages' queries), and random
    # reads priced for SSDs (the default assumes spinning disks and prefers scanning a whole
    # table to a few hundred index lookups). Anything DATABASE_URL sets comes after, and wins.
    options["options"] = " ".join(
        filter(None, [os.environ.get("DATABASE_PG_OPTIONS", "-c jit=off -c random_page_cost=1.1"),
                      options.get("options", "")])
    )


postgres_options(DATABASES["default"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every app server), local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# HTTP caching of public pages (newsroom/caching.py): how long a browser or CDN may keep an
# anonymous page, and how long it may serve it stale while refetching.
NEWSROOM_CACHE_MAX_AGE = int(os.environ.get("NEWSROOM_CACHE_MAX_AGE", "60"))
NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = int(
    os.environ.get("NEWSROOM_CACHE_STALE_WHILE_REVALIDATE", "300")
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Upload limits: images are checked by the forms as well; this caps the request itself.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Tags: "Renewals" and "renewals" are one tag.
TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security: safe defaults everywhere; the HTTPS-only parts switch on when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy for the site and the admin: scripts and styles only from our own
# origin or carrying the request's nonce (Django's admin templates and the editor's media print
# it), so markup that slipped into a story could not run even if the sanitizer missed it.
_CSP_IMAGES = [CSP.SELF, "data:"]
if MEDIA_URL.startswith(("https://", "http://")):
    _CSP_IMAGES.append("/".join(MEDIA_URL.split("/")[:3]))
if os.environ.get("MEDIA_CDN_DOMAIN"):
    _CSP_IMAGES.append(f"https://{os.environ['MEDIA_CDN_DOMAIN']}")
elif os.environ.get("MEDIA_S3_BUCKET"):
    # Images straight from the bucket: its address depends on the endpoint and region.
    _CSP_IMAGES.append("https:")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The hash admits the one <style> element the rich-text editor (Tiptap, in
    # django-prose-editor 0.28.0) injects; tests/e2e/test_admin_csp.py fails if an upgrade
    # changes it.
    "style-src": [CSP.SELF, CSP.NONCE, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    "img-src": _CSP_IMAGES,
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Admin login throttling (newsroom/throttle.py): failed attempts allowed per username and per
# client address within the window, before the login form refuses to check passwords.
LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("NEWSROOM_LOGIN_FAILURES_PER_USERNAME", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("NEWSROOM_LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_WINDOW", str(15 * 60)))

# Uploaded images (newsroom/uploads.py): checked by Pillow before they are stored.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", str(8 * 1024 * 1024)))
IMAGE_UPLOAD_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", str(40_000_000)))

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"
    CSRF_COOKIE_HTTPONLY = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Scaling: read replica, full-page cache, a Redis cache that degrades ----------------------
# (docs/deploy.md explains each step and when it is needed.)
INSTALLED_APPS += ["newsroom.apps.NewsroomConfig"]  # connects the page cache's signals

# Public page reads go to DATABASE_REPLICA_URL when it is set (newsroom/routers.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    postgres_options(DATABASES["replica"])
DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]

# Redis down must not take the site down: errors are logged and treated as misses.
if REDIS_URL:
    CACHES["default"]["BACKEND"] = "newsroom.cache.SafeRedisCache"
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}

# Full-page cache for anonymous readers (newsroom/cache.py). Off under DEBUG so that a
# developer sees template edits at once. With local memory each process keeps its own copy
# and purges only its own, so pages live a minute there; Redis is shared and purged
# precisely, so they live ten minutes.
PAGE_CACHE_ENABLED = env_bool("NEWSROOM_PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600" if REDIS_URL else "60"))
PAGE_CACHE_SAFETY_SECONDS = float(os.environ.get("NEWSROOM_PAGE_CACHE_SAFETY_SECONDS", "2"))
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "newsroom.routers.ReplicaReadsMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "newsroom.cache.PageCacheMiddleware",
)
# Media on object storage when MEDIA_S3_BUCKET is set (any S3-compatible service; the
# credentials come from the usual AWS_* variables or the machine's role, never from here):
# app servers then keep no files of their own.


def media_storage(environ) -> dict:
    """The default file storage: local MEDIA_ROOT, or an S3 bucket when one is named."""
    bucket = environ.get("MEDIA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "location": environ.get("MEDIA_S3_PREFIX", "media"),
        "file_overwrite": False,  # a new upload never replaces a published image
        "querystring_auth": False,  # public images, cacheable URLs
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    for option, name in (("endpoint_url", "MEDIA_S3_ENDPOINT_URL"),
                         ("region_name", "MEDIA_S3_REGION"),
                         ("custom_domain", "MEDIA_CDN_DOMAIN")):
        if environ.get(name):
            options[option] = environ[name]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES["default"] = media_storage(os.environ)

# bench/load.sh only: a constant small view at /_bench/ceiling/ (never set in production).
BENCH_CEILING_VIEW = env_bool("NEWSROOM_BENCH_CEILING", False)
# --- end of scaling ----------------------------------------------------------------------------
