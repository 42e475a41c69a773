"""The outbox task: idempotent, retried on SMTP errors, rendered in both languages."""

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from accounts import services
from accounts.tests.factories import MemberFactory
from emails.models import EmailMessage
from emails.services import TEMPLATES, email_enqueue, email_render
from emails.tasks import email_deliver
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

