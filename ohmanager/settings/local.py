"""A developer's laptop: `make run`. Debug on, everything embedded."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])
# Serve static files straight from the apps, no collectstatic needed for `make run`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Crawls from a laptop replay cached pages instead of hitting the sites again.
CRAWLER_HTTPCACHE_ENABLED = env.bool("CRAWLER_HTTPCACHE_ENABLED", default=True)
CRAWLER_ALLOW_PRIVATE_ADDRESSES = env.bool("CRAWLER_ALLOW_PRIVATE_ADDRESSES", default=True)
# E-mail as files a person can open (var/mail/*.eml, ohmanager/mail.py), unless EMAIL_URL or
# EMAIL_HOST names a real server: the console backend's output ends up inside the worker's
# JSON log lines.
if not (env.str("EMAIL_URL", default="") or env.str("EMAIL_HOST", default="")):
    EMAIL_BACKEND = "ohmanager.mail.EmlFileBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
