"""Production: refuses to start on any default that is unsafe on the internet.

Passes `manage.py check --deploy --fail-level WARNING`
(https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ImproperlyConfigured(message)


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
_require(
    len(SECRET_KEY) >= 50, "DJANGO_SECRET_KEY must be set to a random value of 50+ characters."
)
SIMPLE_JWT["SIGNING_KEY"] = env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY

DEBUG = env.bool("DJANGO_DEBUG", default=False)
_require(not DEBUG, "DJANGO_DEBUG must be off in production.")
# Staff-typed crawl URLs must never reach the internal network (crawlers/scraper/addresses.py);
# only tests and `make run` (its demo site on 127.0.0.1) lift the rule.
_require(
    not CRAWLER_ALLOW_PRIVATE_ADDRESSES,
    "CRAWLER_ALLOW_PRIVATE_ADDRESSES must be off in production.",
)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
_require(
    bool(ALLOWED_HOSTS) and "*" not in ALLOWED_HOSTS,
    "DJANGO_ALLOWED_HOSTS must list the site's host names.",
)
# Card links (/c/<token>) carry a secret: only ever handed out over https.
PUBLIC_BASE_URL = env.str("OHMANAGER_PUBLIC_URL", default=f"https://{ALLOWED_HOSTS[0]}")
_require(PUBLIC_BASE_URL.startswith("https://"), "OHMANAGER_PUBLIC_URL must be an https URL.")

# TLS ends at the load balancer, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Health probes come over plain HTTP from inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
