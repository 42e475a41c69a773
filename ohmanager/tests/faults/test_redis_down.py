"""Redis stops: reads and logins keep working, email waits in the outbox and goes out once
Redis is back, /readyz names what is down. A private redis-server plays the part."""

import logging
import time

import pytest

from accounts.tests.factories import PASSWORD, MemberFactory
from emails.models import EmailMessage
from emails.tasks import email_outbox_flush
from ohmanager.tests.faults.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_api_serves_reads_and_logins_without_redis_and_email_goes_out_when_it_is_back(
    api_client, on_private_redis, start_worker, smtp_server, caplog
):
    member = MemberFactory(email="actor@example.kr")

    # given: Redis is gone (cache, throttles and broker all lived there)
    on_private_redis.stop()
    caplog.set_level(logging.WARNING)

    # then: logging in works; the throttles say in the log that they are not limiting
    answer = api_client.post(
        "/api/v1/auth/login", {"email": member.email, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    access = answer.json()["access"]
    assert "throttle cache unavailable; login not limited" in caplog.text

    # and reads work for members and strangers (DRF's user/anon throttles fail open too)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api_client.get("/api/v1/auditions").status_code == 200
    assert api_client.get("/api/v1/me").status_code == 200
    api_client.credentials()
    assert api_client.get("/api/v1/auditions").status_code in (200, 401)
    assert "throttle cache unavailable; user not limited" in caplog.text

    # and a request that sends email succeeds; the message waits in the outbox
    answer = api_client.post("/api/v1/auth/password/reset", {"email": member.email}, format="json")
    assert answer.status_code == 202, answer.content
    queued = EmailMessage.objects.get(template="password_reset_code")
    assert queued.status == EmailMessage.Status.QUEUED
    assert "not queued (broker unavailable)" in caplog.text

    # and readiness reports what is down, and only that
    ready = api_client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["failed"] == ["broker", "cache"]
    assert ready.json()["checks"]["database"]["ok"] is True

    # when: Redis is back, a worker runs, and the periodic flush comes round
    on_private_redis.start()
    start_worker(
        on_private_redis.url(0),
        queues="default,email",
        EMAIL_HOST=smtp_server.host,
        EMAIL_PORT=str(smtp_server.port),
    )
    assert api_client.get("/readyz").status_code == 200
    email_outbox_flush.delay(older_than_seconds=0)

    # then: the code arrives, once, and the outbox row is closed without its secret
    delivered = smtp_server.wait_for(lambda m: m["To"] == member.email, timeout=30)
    assert delivered["X-Ohmanager-Message-Id"] == str(queued.id)
    # (the row is marked sent in the transaction that sent it, which commits just after)
    wait_until(
        lambda: EmailMessage.objects.get(pk=queued.pk).status == EmailMessage.Status.SENT,
        timeout=10,
    )
    assert EmailMessage.objects.get(pk=queued.pk).sealed_context == ""
    # a second flush finds nothing left to send
    email_outbox_flush.delay(older_than_seconds=0)
    time.sleep(2)
    assert len([m for m in smtp_server.messages if m["To"] == member.email]) == 1
