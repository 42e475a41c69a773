"""The outbox task: idempotent, retried on SMTP errors, rendered in both languages; housekeeping."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from accounts import emails, services
from accounts.models import EmailMessage, MemberSession, VerificationCode
from accounts.tasks import purge_expired_auth_records, send_email_message
from accounts.tests.factories import MemberFactory
from ohmanager.celery import app

pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {"code": "123456", "minutes": 10}


def outbox_row(**overrides) -> EmailMessage:
    fields = {"to_email": "someone@example.kr", "template": "signup_code", "language": "ko"}
    return EmailMessage.objects.create(**{**fields, **overrides})


def test_a_redelivered_task_sends_once():
    row = outbox_row()

    first = send_email_message.delay(str(row.id), CONTEXT)
    second = send_email_message.delay(str(row.id), CONTEXT)

    assert (first.get(), second.get()) == (True, False)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == EmailMessage.Status.SENT
    assert row.sent_at is not None


def test_an_smtp_error_is_retried_and_the_mail_goes_out_once():
    row = outbox_row()
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SMTPServerDisconnected("421 try again later")
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", flaky):
        # throw=False: eager apply() then runs the retry itself, as a worker would later
        result = send_email_message.apply(args=(str(row.id), CONTEXT), throw=False)

    assert result.get() is True

    assert calls["n"] == 2
    assert len(mail.outbox) == 1
    assert EmailMessage.objects.get(pk=row.pk).status == EmailMessage.Status.SENT


def test_the_task_retries_with_backoff_and_jitter_on_smtp_and_network_errors():
    from smtplib import SMTPException

    assert send_email_message.autoretry_for == (SMTPException, OSError)
    assert send_email_message.retry_backoff is True
    assert send_email_message.retry_jitter is True
    assert send_email_message.max_retries >= 3


def test_email_tasks_go_to_the_email_queue():
    route = app.amqp.router.route({}, send_email_message.name, args=(), kwargs={})

    assert route["queue"].name == "email"


def test_a_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        emails.email_enqueue(to_email="x@example.kr", template="signup_code", context=CONTEXT)
        raise RuntimeError("the request failed")

    assert mail.outbox == []
    assert not EmailMessage.objects.exists()


def test_the_code_is_never_stored_in_the_outbox():
    member = MemberFactory()
    services.password_reset_request(email=member.email)

    code = mail.outbox[0].body.split()[mail.outbox[0].body.split().index("코드:") + 1]
    row = EmailMessage.objects.get()
    assert code not in str(EmailMessage.objects.filter(pk=row.pk).values().get())


@pytest.mark.parametrize("template", sorted(emails.TEMPLATES))
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_template_renders_text_and_html_in_both_languages(template, language):
    subject, text, html = emails.email_render(template=template, language=language, context=CONTEXT)

    assert subject and "\n" not in subject
    assert "Oh Manager" in text
    assert html.lstrip().startswith("<!doctype html>")
    assert f'lang="{language}"' in html
    if "code" in template:
        assert "123456" in text and "123456" in html


def test_an_unknown_language_falls_back_to_korean():
    row = emails.email_enqueue(to_email="x@example.kr", template="signup_code", language="fr")

    assert row.language == "ko"


def test_the_nightly_purge_drops_only_long_dead_records():
    member = MemberFactory()
    now = timezone.now()
    long_ago = now - timedelta(days=90)
    live = MemberSession.objects.create(member=member, expires_at=now + timedelta(days=1))
    revoked_recently = MemberSession.objects.create(
        member=member, expires_at=now + timedelta(days=1), revoked_at=now - timedelta(days=1)
    )
    MemberSession.objects.create(
        member=member, expires_at=now + timedelta(days=1), revoked_at=long_ago
    )
    MemberSession.objects.create(
        member=member, created_at=long_ago, last_seen_at=long_ago, expires_at=long_ago
    )
    VerificationCode.objects.create(
        member=member, purpose="signup", code_hash="x", expires_at=now - timedelta(days=2)
    )
    fresh_code = VerificationCode.objects.create(
        member=member, purpose="password_reset", code_hash="y", expires_at=now
    )
    outbox_row(status=EmailMessage.Status.SENT, sent_at=long_ago)
    outbox_row(to_email="", created_at=long_ago)  # blanked by a withdrawal, never sent
    queued = outbox_row()

    result = purge_expired_auth_records.delay().get()

    assert result == {"sessions": 2, "codes": 1, "emails": 2}
    assert set(MemberSession.objects.values_list("pk", flat=True)) == {
        live.pk,
        revoked_recently.pk,
    }
    assert list(VerificationCode.objects.values_list("pk", flat=True)) == [fresh_code.pk]
    assert list(EmailMessage.objects.values_list("pk", flat=True)) == [queued.pk]
    # idempotent
    assert purge_expired_auth_records.delay().get() == {"sessions": 0, "codes": 0, "emails": 0}


def test_the_purge_is_scheduled():
    from ohmanager.schedules import PERIODIC_TASKS

    assert "accounts.tasks.purge_expired_auth_records" in {spec.task for spec in PERIODIC_TASKS}
