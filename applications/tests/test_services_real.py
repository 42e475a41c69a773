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


def test_concurrent_sends_on_postgresql_never_pass_the_daily_limit(make_member, make_audition):
    """The member's row is locked while a send counts her sends: with three places left, eight
    sends at once from eight sessions give exactly three."""
    from accounts.tests.card_support import fill_profile
    from applications.sending import DAILY_LIMIT

    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://..."
    member = make_member()
    fill_profile(member)

    def email_audition(index: int):
        return make_audition(apply_method="email", apply_target=f"poster{index}@example.com")

    for index in range(DAILY_LIMIT - 3):
        services.application_create(member=member, audition_id=email_audition(index).id, send=True)
    auditions = iter([email_audition(100 + index) for index in range(8)])
    clients = iter([login_client(member) for _ in range(8)])
    lock = threading.Lock()

    def send():
        with lock:
            client, audition = next(clients), next(auditions)
        return client.post(
            "/api/v1/applications", {"audition": str(audition.id), "send": True}, format="json"
        )

    responses = in_parallel(8, send)

    assert Counter(r.status_code for r in responses) == {201: 3, 429: 5}
    assert Application.objects.filter(member=member, kind="email").count() == DAILY_LIMIT


def test_an_email_application_goes_out_once_through_a_real_worker_with_its_pdf(
    celery_worker_on_redis, smtp_server, make_member, make_audition
):
    from accounts.tests.card_support import fill_profile
    from applications.models import ApplicationEmail

    member = make_member()
    fill_profile(member)
    audition = make_audition(
        title="Real worker send", apply_method="email", apply_target="casting@example.com"
    )

    response = login_client(member).post(
        "/api/v1/applications", {"audition": str(audition.id), "send": True}, format="json"
    )

    assert response.status_code == 201, response.json()
    message = smtp_server.wait_for(lambda m: "Real worker send" in str(m["Subject"]), timeout=60)
    assert [part.get_content_type() for part in message.iter_attachments()] == ["application/pdf"]
    for _ in range(100):
        if ApplicationEmail.objects.get().delivery == "sent":
            break
        time.sleep(0.1)
    copy = ApplicationEmail.objects.get()
    assert copy.delivery == "sent" and copy.attachment_size > 0
    time.sleep(2)
    assert len(smtp_server.messages) == 1
