"""The outbox task: idempotent, retried on SMTP errors, rendered in both languages."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.tests.factories import MemberFactory
from emails.models import EmailMessage
from emails.services import TEMPLATES, email_enqueue, email_render, member_emails_forget
from emails.tasks import email_deliver, email_outbox_flush
from emails.tests.factories import outbox_row
from ohmanager.celery import app

pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {"code": "123456", "minutes": 10}


def test_a_redelivered_task_sends_once():
    row = outbox_row()

    first = email_deliver.delay(str(row.id), CONTEXT)
    second = email_deliver.delay(str(row.id), CONTEXT)

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
        result = email_deliver.apply(args=(str(row.id), CONTEXT), throw=False)

    assert result.get() is True

    assert calls["n"] == 2
    assert len(mail.outbox) == 1
    assert EmailMessage.objects.get(pk=row.pk).status == EmailMessage.Status.SENT


def test_the_task_retries_with_backoff_and_jitter_on_smtp_and_network_errors():
    from smtplib import SMTPException

    assert email_deliver.autoretry_for == (SMTPException, OSError)
    assert email_deliver.retry_backoff is True
    assert email_deliver.retry_jitter is True
    assert email_deliver.max_retries >= 3


def test_email_tasks_go_to_the_email_queue():
    route = app.amqp.router.route({}, email_deliver.name, args=(), kwargs={})

    assert route["queue"].name == "email"


def test_a_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(to_email="x@example.kr", template="signup_code", context=CONTEXT)
        raise RuntimeError("the request failed")

    assert mail.outbox == []
    assert not EmailMessage.objects.exists()


def test_the_code_is_never_stored_in_the_outbox():
    member = MemberFactory()
    services.password_reset_request(email=member.email)

    code = mail.outbox[0].body.split()[mail.outbox[0].body.split().index("코드:") + 1]
    row = EmailMessage.objects.get()
    assert code not in str(EmailMessage.objects.filter(pk=row.pk).values().get())


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_template_renders_text_and_html_in_both_languages(template, language):
    subject, text, html = email_render(template=template, language=language, context=CONTEXT)

    assert subject and "\n" not in subject
    assert "Oh Manager" in text
    assert html.lstrip().startswith("<!doctype html>")
    assert f'lang="{language}"' in html
    if "code" in template:
        assert "123456" in text and "123456" in html


def test_an_unknown_language_falls_back_to_korean():
    row = email_enqueue(to_email="x@example.kr", template="signup_code", language="fr")

    assert row.language == "ko"


def test_the_outbox_flush_queues_again_only_stale_messages_with_an_address():
    now = timezone.now()
    stale = outbox_row(to_email="stale@example.kr", created_at=now - timedelta(minutes=10))
    outbox_row(to_email="fresh@example.kr")  # its own task is still on its way
    outbox_row(to_email="expired@example.kr", created_at=now - timedelta(days=2))
    outbox_row(to_email="", created_at=now - timedelta(minutes=10))  # withdrawn
    outbox_row(status=EmailMessage.Status.SENT, created_at=now - timedelta(minutes=10))

    assert email_outbox_flush.delay().get() == 1

    assert [message.to for message in mail.outbox] == [["stale@example.kr"]]
    assert EmailMessage.objects.get(pk=stale.pk).status == EmailMessage.Status.SENT
    assert email_outbox_flush.delay().get() == 0


def test_a_withdrawn_members_unsent_mail_is_never_sent():
    member = MemberFactory()
    row = outbox_row(member=member, to_email=member.email)

    assert member_emails_forget(member_id=member.pk) == 1

    assert email_deliver.delay(str(row.id)).get() is False
    assert mail.outbox == []
    assert EmailMessage.objects.filter(pk=row.pk, to_email="", member=None).exists()


# --- The names of the release that kept the outbox in accounts ---------------------------------


def test_messages_queued_under_the_old_task_names_still_run_on_the_same_queues():
    sender = app.tasks["accounts.tasks.send_email_message"]
    flush = app.tasks["accounts.tasks.flush_email_outbox"]
    row = outbox_row()

    # the previous release queued the row id (older ones the context too)
    assert sender.apply(args=(str(row.id), CONTEXT)).get() is True
    assert sender.apply(args=(str(row.id),)).get() is False
    assert flush.apply(kwargs={"older_than_seconds": 0}).get() == 0

    assert len(mail.outbox) == 1
    assert sender.autoretry_for == email_deliver.autoretry_for
    assert sender.max_retries == email_deliver.max_retries and sender.acks_late is True
    for name, queue in [(sender.name, "email"), (flush.name, "default")]:
        assert app.amqp.router.route({}, name, args=(), kwargs={})["queue"].name == queue


def test_the_outbox_flush_is_scheduled_under_its_new_name():
    from ohmanager.schedules import PERIODIC_TASKS

    [spec] = [spec for spec in PERIODIC_TASKS if "outbox" in spec.task]
    assert (spec.name, spec.task) == ("emails.email_outbox_flush", email_outbox_flush.name)
    assert app.amqp.router.route({}, spec.task, args=(), kwargs={})["queue"].name == "default"
