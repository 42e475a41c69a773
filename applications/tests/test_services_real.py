"""Against the real services: PostgreSQL, Redis, a Celery worker and an SMTP server.
Run with `make test-services` (these fail, never skip, without them)."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from applications import services, tasks
from applications.models import Application, ReminderSent
from applications.tests.conftest import login_client
from auditions import services as audition_services
from ohmanager.tests.concurrency import in_parallel

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_concurrent_double_apply_yields_exactly_one_application(performer, external_audition):
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://..."
    clients = [login_client(performer) for _ in range(6)]
    turn = iter(clients)
    lock = threading.Lock()

    def apply():
        with lock:
            client = next(turn)
        return client.post("/api/v1/applications", {"audition": str(external_audition.id)})

    responses = in_parallel(6, apply)

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 5}
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "already_applied"
    }
    assert Application.objects.filter(member=performer).count() == 1


def test_parallel_reminder_runs_on_postgresql_record_each_reminder_once(make_member, make_audition):
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://..."
    member = make_member()
    audition = make_audition(deadline=timezone.localdate() + timedelta(days=1))
    audition_services.bookmark_add(member=member, audition_id=audition.id)

    sent = in_parallel(4, services.reminders_send_deadlines)

    assert sorted(sent) == [0, 0, 0, 1]
    assert ReminderSent.objects.count() == 1


def test_a_reminder_run_twice_on_a_real_worker_delivers_one_email(
    celery_worker_on_redis, smtp_server, make_member, make_audition
):
    member = make_member(language="en")
    audition = make_audition(
        deadline=timezone.localdate() + timedelta(days=3), title="Real worker call"
    )
    audition_services.bookmark_add(member=member, audition_id=audition.id)

    tasks.remind_deadlines.delay()
    tasks.remind_deadlines.delay()  # the beat fired twice, or Redis redelivered

    message = smtp_server.wait_for(lambda m: "Real worker call" in m["Subject"])
    assert message["To"] == member.email
    assert message["Subject"] == "[Oh Manager] Closes in 3 days: Real worker call"
    time.sleep(3)  # give a duplicate every chance to arrive
    assert len(smtp_server.messages) == 1
    # the worker marks the outbox row sent in its own transaction, after the SMTP answer
    for _ in range(100):
        if ReminderSent.objects.get().email.status == "sent":
            break
        time.sleep(0.1)
    assert ReminderSent.objects.get().email.status == "sent"
