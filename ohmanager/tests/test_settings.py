"""Production settings refuse unsafe values and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "DJANGO_SETTINGS_MODULE": "ohmanager.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "api.ohmanager.example",
    "OHMANAGER_IGNORE_DOTENV": "1",
}


def run_django(args: list[str], **overrides: str | None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(SAFE)
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS"),
        ({"CRAWLER_ALLOW_PRIVATE_ADDRESSES": "true"}, "CRAWLER_ALLOW_PRIVATE_ADDRESSES"),
    ],
)
def test_production_refuses_to_start_on_unsafe_values(overrides, complaint):
    result = run_django(["check"], **overrides)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_passwords_are_hashed_with_bcrypt_sha256_first():
    # The test settings swap in a fast hasher; what ships is in the base settings.
    from ohmanager.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("BCryptSHA256PasswordHasher")


def test_every_request_runs_in_a_transaction():
    assert settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True


def test_celery_is_configured_for_at_least_once_delivery():
    from ohmanager.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout > app.conf.task_time_limit > app.conf.task_soft_time_limit
    assert app.conf.beat_scheduler.startswith("django_celery_beat")
