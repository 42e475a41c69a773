"""The real task code on a real worker consuming from Redis (CI's service run)."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from ohmanager.tasks import clear_expired_admin_sessions

pytestmark = [pytest.mark.services]


def wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_on_redis_runs_the_platform_task(celery_worker_on_redis):
    Session.objects.create(
        session_key="expired-session-key-000000000001",
        session_data="",
        expire_date=timezone.now() - timedelta(days=1),
    )
    Session.objects.create(
        session_key="live-session-key-000000000000001",
        session_data="",
        expire_date=timezone.now() + timedelta(days=1),
    )

    clear_expired_admin_sessions.delay()

    assert wait_until(
        lambda: not Session.objects.filter(session_key__startswith="expired").exists()
    )
    assert Session.objects.filter(session_key__startswith="live").exists()
