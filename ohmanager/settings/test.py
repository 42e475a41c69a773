"""The test suite: `make test` on the embedded defaults, or CI with DATABASE_URL/REDIS_URL set."""

from .base import *  # noqa: F403
from .base import REDIS_URL

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# A fast hasher keeps hundreds of sign-ups cheap; one test proves production's order is bcrypt.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Unit tests run task code in-process; the `celery_worker` tests start a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The per-client limits out of the way; the scoped ones (`photo_upload`) keep their real rates,
# which their tests prove (their counters are per member, and every test has fresh members).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "anon": "10000/min",
    "user": "10000/min",
}
LOGGING["root"]["level"] = "WARNING"
WHITENOISE_AUTOREFRESH = True  # no collected static files in tests
# The crawl tests serve saved pages from a local HTTP server.
CRAWLER_ALLOW_PRIVATE_ADDRESSES = True
