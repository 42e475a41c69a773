"""Settings for the processes a fault drill starts (Celery workers, gunicorn): the test
settings, but tasks really go through the broker and email really goes over SMTP."""

from ohmanager.settings.test import *  # noqa: F403
from ohmanager.settings.test import env

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
if env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT")
    EMAIL_USE_TLS = False
    EMAIL_TIMEOUT = 30
# The drill reads the worker's log; LOG_LEVEL=DEBUG shows everything (the no-secret drill).
LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="INFO")  # noqa: F405
