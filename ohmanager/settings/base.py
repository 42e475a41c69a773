"""Settings shared by every environment; everything that differs comes from the environment.

The defaults serve a laptop with nothing installed: a SQLite file, a broker on the local file
system, files on local disk and email on the console. Setting DATABASE_URL, REDIS_URL,
EMAIL_URL and AWS_STORAGE_BUCKET_NAME switches each to the real service.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("OHMANAGER_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def _prepare_threshold(value: str) -> int | None:
    """psycopg's `prepare_threshold`: runs before a statement is prepared; None for "off"."""
    return None if value.strip().lower() in ("", "off", "none") else int(value)


# A developer's .env is read when present; real deployments set the environment directly.
if not env.bool("OHMANAGER_IGNORE_DOTENV", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-insecure-3x!l0cal-only-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Where the site answers on the internet: the links we hand out (profile cards, /c/<token>)
# and e-mail are built on it, since a task has no request to read the host from.
PUBLIC_BASE_URL = env.str("OHMANAGER_PUBLIC_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "storages",
    # "ohmanager" is an app too, for its management commands and platform tasks.
    "ohmanager",
    "accounts",
    "emails",
    "auditions",
    "applications",
    "crawlers",
]

MIDDLEWARE = [
    "ohmanager.middleware.RequestIdMiddleware",
    "ohmanager.limits.RequestLineLimitMiddleware",
    "ohmanager.limits.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session, user and messages middlewares, passed by for the token API
    # (ohmanager/browser_middleware.py says why).
    "ohmanager.browser_middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ohmanager.browser_middleware.AuthenticationMiddleware",
    "ohmanager.browser_middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ohmanager.urls"
WSGI_APPLICATION = "ohmanager.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/databases/
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ohmanager.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE let web, worker and beat share one SQLite file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new PostgreSQL connection per request costs more than a list query
    # (docs/architecture.md#traps):
    # Django 5.1+'s psycopg pool keeps them open. Connect timeout keeps /readyz short.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
            "pool": {
                "min_size": env.int("DATABASE_POOL_MIN", default=1),
                "max_size": env.int("DATABASE_POOL_MAX", default=8),
                "timeout": env.int("DATABASE_POOL_TIMEOUT", default=5),
            },
            # The hot reads (session check, kept catalogue pages) are prepared after this many
            # runs on a connection; Django's own queries never are (ohmanager/statements.py).
            # "off" behind a pooler that cannot keep prepared statements.
            "prepare_threshold": _prepare_threshold(env.str("DATABASE_PREPARE_THRESHOLD", "2")),
        }
    )
    # A pooled connection dies with a database restart. With health checks on, Django 5.1+
    # gives the pool a check when a connection leaves it, so only live ones are handed out and
    # the app recovers by itself; our backend (Django's, subclassed) makes that check a poll
    # of the socket, with the round trip only when the server has said something
    # (ohmanager/postgresql/base.py).
    # https://docs.djangoproject.com/en/5.2/ref/databases/#connection-pool
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["ENGINE"] = "ohmanager.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # A file cache is shared by the web and worker processes of `make run`; locmem is not.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.Member"
PASSWORD_HASHERS = [
    # bcrypt over SHA-256 first, so passwords longer than bcrypt's 72 bytes are not truncated.
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and member files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
    # Private objects served through short-lived presigned URLs, never a public bucket.
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=600),
        # SigV4: botocore would otherwise presign with the deprecated SigV2, which newer AWS
        # regions and most S3-compatible stores refuse.
        "signature_version": env.str("AWS_S3_SIGNATURE_VERSION", default="s3v4"),
        "file_overwrite": False,
    }
    STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}}
else:
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/" + MEDIA_URL},
        }
    }
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# --- Email ----------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    # e.g. smtp+tls://user:password@smtp.example.com:587 (django-environ's email_url schemes;
    # `?use_tls=1` / `?use_ssl=1` as query options)
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    del _email
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Oh Manager <no-reply@ohmanager.kr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Named in every e-mail application, for a poster who did not want it (applications.sending).
ABUSE_EMAIL = env.str("ABUSE_EMAIL", default="abuse@ohmanager.kr")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt validates the token; then the server-side session it names must be live.
        "accounts.authentication.SessionJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ohmanager.pagination.CursorPage",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # DRF's JSONRenderer's output, encoded by orjson (ohmanager/renderers.py).
    "DEFAULT_RENDERER_CLASSES": ["ohmanager.renderers.ORJSONRenderer"],
    # JSON only (the contract); the photo upload view adds multipart for itself. Fewer parsers
    # on every endpoint, fewer ways in.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "ohmanager.schema_fields.PlatformAutoSchema",
    "EXCEPTION_HANDLER": "ohmanager.exception_handler.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's own, failing open (with a warning) when the cache is down.
        "ohmanager.throttling.AnonRateThrottle",
        "ohmanager.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        # Photo uploads per member (each decodes an image): `accounts/api/profile_views.py`.
        "photo_upload": env.str("THROTTLE_PHOTO_UPLOAD", default="30/hour"),
        # Reports of auditions per member (`auditions/api/views.py`).
        "audition_report": env.str("THROTTLE_AUDITION_REPORT", default="10/hour"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=10),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    "LEEWAY": 0,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
}
# --- Accounts (sessions, codes, abuse limits) -----------------------------------------------
# A session dies after this long without a request or refresh, and after the absolute limit.
ACCOUNTS_SESSION_IDLE_TIMEOUT = timedelta(days=env.int("ACCOUNTS_SESSION_IDLE_DAYS", default=14))
ACCOUNTS_SESSION_ABSOLUTE_TIMEOUT = timedelta(
    days=env.int("ACCOUNTS_SESSION_ABSOLUTE_DAYS", default=60)
)
# A refresh token presented again within this many seconds of its rotation is answered 401
# without revoking the session (an app retrying on a flaky network); later reuse revokes it.
ACCOUNTS_REFRESH_REUSE_GRACE_SECONDS = env.int("ACCOUNTS_REFRESH_REUSE_GRACE_SECONDS", default=5)
# Per-IP and per-address counters in the cache; off only for load tests.
ACCOUNTS_THROTTLE_ENABLED = env.bool("ACCOUNTS_THROTTLE_ENABLED", default=True)

SPECTACULAR_SETTINGS = {
    "TITLE": "Oh Manager API",
    "DESCRIPTION": "Audition and casting calls for performers, gathered in one catalogue.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's error answers carry the envelope; platform errors (401, 404, 429, ...)
    # are added where they apply (ohmanager/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ohmanager.openapi.add_error_responses",
    ],
    # One schema component per choice set that several fields share (profile interests and
    # credit kinds are audition categories; regions; the member's language).
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "auditions.models.Category",
        "RegionEnum": "auditions.models.Region",
        "LanguageEnum": "accounts.models.Member.Language",
        "ApplyMethodEnum": "auditions.models.ApplyMethod",
        "ApplicationStatusEnum": "applications.models.Status",
        "ApplicationKindEnum": "applications.models.Application.Kind",
        "MediaKindEnum": "accounts.models.MediaLink.Kind",
        # What performers see of an audition's status (auditions.selectors.display_status).
        "AuditionStatusEnum": ["open", "closed", "expired"],
    },
}

# --- Celery ---------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis redelivers an unacknowledged message after this long: it must exceed the longest
    # task (CELERY_TASK_TIME_LIMIT) and any ETA/countdown we use, or tasks run twice.
    "visibility_timeout": 2 * 60 * 60,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_broker_dir / "queue"),
            "data_folder_out": str(_broker_dir / "queue"),
            "control_folder": str(_broker_dir / "control"),
            "store_processed": False,
        }
    )
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# At-least-once delivery: a task is acknowledged after it ran and re-queued if its worker dies.
# Every task is written to be idempotent for this reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# Crawls run on their own queue so slow sites never delay email or reminders. Sends go to
# `email` by name (the second is the name they had before emails.tasks, still registered for
# messages of that release); the outbox flush, which only queues sends, stays on `default`.
CELERY_TASK_ROUTES = {
    "crawlers.tasks.*": {"queue": "crawl"},
    "emails.tasks.email_deliver": {"queue": "email"},
    "accounts.tasks.send_email_message": {"queue": "email"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Auditions ------------------------------------------------------------------------------
# A call whose deadline cannot be read (rolling) stays open at most this many days after it was
# posted (first seen, when the post shows no date), and only while its source still lists it
# (auditions.services.auditions_expire); an older one is ingested expired.
AUDITION_ROLLING_MAX_AGE_DAYS = env.int("AUDITION_ROLLING_MAX_AGE_DAYS", default=45)
# Trust and safety (#18). A call whose trust score is at or below this is quarantined on ingest
# and on save (not listed, recommended or alerted) until staff clear it (auditions.derived).
AUDITION_QUARANTINE_SCORE = env.int("AUDITION_QUARANTINE_SCORE", default=30)
# Unresolved member reports whose weights add up to this hide the call at once pending review;
# a report by a member who applied to the call (in the app or by the app's e-mail, not a
# self-recorded external one) weighs AUDITION_REPORT_APPLIED_WEIGHT when her account is at least
# AUDITION_REPORT_APPLIED_MIN_ACCOUNT_DAYS old; others weigh 1.
AUDITION_REPORT_QUARANTINE_WEIGHT = env.int("AUDITION_REPORT_QUARANTINE_WEIGHT", default=5)
AUDITION_REPORT_APPLIED_WEIGHT = env.int("AUDITION_REPORT_APPLIED_WEIGHT", default=3)
AUDITION_REPORT_APPLIED_MIN_ACCOUNT_DAYS = env.int(
    "AUDITION_REPORT_APPLIED_MIN_ACCOUNT_DAYS", default=7
)

# --- Crawlers -------------------------------------------------------------------------------
# Sites we crawl can reach a person: the user agent names this address (crawlers/scraper).
CRAWLER_CONTACT_EMAIL = env.str("CRAWLER_CONTACT_EMAIL", default="crawler@ohmanager.kr")
# Scrapy's HTTP cache spares the sites while developing spiders; on in local.py.
CRAWLER_HTTPCACHE_ENABLED = env.bool("CRAWLER_HTTPCACHE_ENABLED", default=DEBUG)
# Crawls may fetch only public addresses unless this is on (tests and local development crawl
# a server on this machine); staff-typed URLs must never reach the internal network.
CRAWLER_ALLOW_PRIVATE_ADDRESSES = env.bool("CRAWLER_ALLOW_PRIVATE_ADDRESSES", default=False)
# The per-source crawl lock is a lease renewed while the crawl runs; a killed worker's lock
# lapses after this long and its run is then closed as failed (crawlers.services).
CRAWLER_LOCK_LEASE_SECONDS = env.int("CRAWLER_LOCK_LEASE_SECONDS", default=60)

# --- Links into the mobile app (emails) ----------------------------------------------------
# `{id}` is the audition's id. The app registers the custom scheme; the https page is the
# fallback for a device without the app (README: "Recommendations & alerts").
APP_DEEP_LINK_BASE = env.str("APP_DEEP_LINK_BASE", default="ohmanager://auditions/{id}")
APP_WEB_LINK_BASE = env.str("APP_WEB_LINK_BASE", default="https://ohmanager.kr/auditions/{id}")

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ohmanager.logging.RequestIdFilter"},
        # Every handler carries it: feed tokens in URLs never reach a line (ohmanager.redaction).
        "redact_secrets": {"()": "ohmanager.redaction.RedactSecretsFilter"},
    },
    "formatters": {"json": {"()": "ohmanager.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Our request log replaces Django's per-request lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "ohmanager.request": {"level": "INFO"},
        # Whatever LOG_LEVEL says: at DEBUG botocore logs each request's signature (a presigned
        # photo URL's secret part) and urllib3 the URLs it fetches.
        "botocore": {"level": "WARNING"},
        "boto3": {"level": "WARNING"},
        "s3transfer": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        # Seven "Step n" lines per PDF rendered (ohmanager.pdf), a stylesheet's URL among them.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Security that holds in every environment -----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Bodies: at most 12 MB (a 10 MB photo plus multipart framing), for DRF's JSON too
# (ohmanager.limits); uploads past 2.5 MB spill to a temporary file instead of memory; a form
# has at most 1,000 fields and 10 files. https://docs.djangoproject.com/en/5.2/ref/settings/
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Readiness checks answer fast so a load balancer never waits on a dead dependency.
READINESS_TIMEOUT_SECONDS = env.float("READINESS_TIMEOUT_SECONDS", default=2.0)
