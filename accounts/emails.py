"""Transactional email: an outbox row per message, sent by a Celery task after commit.

Templates live in templates/emails/<name>.<language>.{subject.txt,txt,html}; Korean is the
default language. Secrets such as codes are passed to the task only, never stored.
"""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import EmailMessage, Member

logger = logging.getLogger("accounts.emails")

TEMPLATES = {
    "signup_code",
    "account_exists",
    "password_reset_code",
    "password_changed",
    "saved_search_digest",  # auditions/alerts.py
    "reminder_deadline",  # applications/reminders.py
    "reminder_schedule",  # applications/reminders.py
    "reminder_stale",  # applications/reminders.py
}
DEFAULT_LANGUAGE = Member.Language.KOREAN


def email_enqueue(
    *,
    to_email: str,
    template: str,
    language: str = DEFAULT_LANGUAGE,
    member: Member | None = None,
    context: dict[str, Any] | None = None,
) -> EmailMessage:
    """Records the message and sends it once the surrounding transaction commits."""
    from accounts.tasks import send_email_message  # tasks import this module

    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    if language not in Member.Language.values:
        language = DEFAULT_LANGUAGE
    message = EmailMessage(to_email=to_email, template=template, language=language, member=member)
    message.full_clean()
    message.save()
    send_email_message.delay_on_commit(str(message.id), context or {})
    return message


def email_render(*, template: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) for one template in one language."""
    base = f"emails/{template}.{language}"
    full_context = {"site_name": "Oh Manager", "lang": language, **context}
    subject = render_to_string(f"{base}.subject.txt", full_context).strip()
    text = render_to_string(f"{base}.txt", full_context)
    html = render_to_string(f"{base}.html", full_context)
    # A header injection guard: subjects are one line.
    return " ".join(subject.split()), text, html


def email_deliver(*, email_id: str, context: dict[str, Any]) -> bool:
    """Sends the message unless it was already sent; True if it went out now.

    The row is locked for the whole send and marked sent in the same transaction, so a
    redelivered task waits for the first and then finds it sent. If the worker dies after the
    SMTP server accepted but before the commit, the redelivery sends again: at-least-once is
    the best SMTP allows. An SMTP error rolls back and propagates so the task retries.
    """
    with transaction.atomic():
        message = EmailMessage.objects.select_for_update().filter(pk=email_id).first()
        if message is None or message.status == EmailMessage.Status.SENT:
            return False
        if not message.to_email:  # anonymised by a withdrawal before it could be sent
            return False
        subject, text, html = email_render(
            template=message.template, language=message.language, context=context
        )
        mail = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
            headers={"X-Ohmanager-Message-Id": str(message.id)},
        )
        mail.attach_alternative(html, "text/html")
        mail.send(fail_silently=False)
        message.status = EmailMessage.Status.SENT
        message.sent_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "sent_at", "attempts"])
    logger.info("email %s sent (%s)", email_id, message.template)
    return True
