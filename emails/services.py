"""Transactional email: an outbox row per message, sent by a Celery task after commit. Every
app's mail goes through here (accounts' codes, applications' reminders, auditions' alerts).

Templates live in templates/emails/<name>.<language>.{subject.txt,txt,html}; Korean is the
default language.

A message's context may hold a secret (a sign-up or reset code). It never travels as a task
argument (Celery logs those, and its broker keeps them): the task takes the row id only and reads
the context from the row, where it is sealed (Fernet, a key derived from SECRET_KEY) and emptied
once the message is sent.
"""

import base64
import json
import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr
from typing import Any
from uuid import UUID

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import Member
from emails.attachments import Attachment, attachments_build
from emails.models import EmailMessage
from emails.selectors import email_outbox_stale_ids
from emails.signals import email_outcome

logger = logging.getLogger("emails.services")

TEMPLATES = {
    "signup_code",
    "account_exists",
    "password_reset_code",
    "password_changed",
    "saved_search_digest",  # auditions/services/alerts.py
    "reminder_deadline",  # applications/selectors.py
    "reminder_schedule",  # applications/selectors.py
    "reminder_stale",  # applications/selectors.py
    "card_viewed",  # accounts/cards/services.py (and its copy to a minor's guardian)
    "application_email",  # applications/sending.py: a member's application to a poster
    "guardian_consent_request",  # accounts/services/guardians.py
    "audition_scam_warning",  # auditions/services/moderation.py
}
DEFAULT_LANGUAGE = Member.Language.KOREAN
# Sent rows, and rows a withdrawal left without an address, are kept this long.
SENT_EMAIL_RETENTION = timedelta(days=30)
# Named after the module the outbox lived in when it was first sealed; changing it would make
# every queued row unreadable, so it stays although the code moved.
_SEAL_SALT = "accounts.emails.outbox-context"


def _context_cipher() -> MultiFernet:
    """The current SECRET_KEY seals; its fallbacks still open what was sealed before a key
    rotation (Django's own signing does the same with SECRET_KEY_FALLBACKS)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(_SEAL_SALT, "fernet", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def email_context_seal(context: dict[str, Any] | None) -> str:
    """The context as stored in the outbox: encrypted and authenticated, or "" when empty."""
    if not context:
        return ""
    plain = json.dumps(context, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    return _context_cipher().encrypt(plain).decode("ascii")


def email_context_open(sealed: str) -> dict[str, Any]:
    """The context a sealed outbox row holds (raises cryptography's InvalidToken if it was
    tampered with or sealed under a key we no longer have)."""
    if not sealed:
        return {}
    return json.loads(_context_cipher().decrypt(sealed.encode("ascii")))


def email_enqueue(
    *,
    to_email: str,
    template: str,
    language: str = DEFAULT_LANGUAGE,
    member: Member | None = None,
    context: dict[str, Any] | None = None,
    from_name: str = "",
    reply_to: str = "",
    cc: str = "",
    attachments: list[dict[str, Any]] | None = None,
) -> EmailMessage:
    """Records the message and sends it once the surrounding transaction commits.

    `from_name` is the display name on the platform's own address (mail on a member's behalf
    never uses her address as From: receiving servers would reject it as spoofed under DMARC);
    `attachments` are specs of emails.attachments, built when the mail is sent."""
    from emails.tasks import email_deliver  # tasks import this module

    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    if language not in Member.Language.values:
        language = DEFAULT_LANGUAGE
    message = EmailMessage(
        to_email=to_email,
        template=template,
        language=language,
        member=member,
        sealed_context=email_context_seal(context),
        from_name=" ".join(from_name.split())[:100],
        reply_to=reply_to,
        cc=cc,
        attachments=attachments or [],
    )
    message.full_clean()
    message.save()
    transaction.on_commit(lambda: _publish(email_deliver, str(message.id)))
    return message


def _publish(task, email_id: str) -> None:
    """Queues the send; a broker that is down must not fail the committed request. The row
    stays queued and `email_outbox_flush` queues it again once the broker is back."""
    try:
        task.delay(email_id)
    except Exception:  # kombu.exceptions.OperationalError and friends
        logger.warning(
            "email %s not queued (broker unavailable); the outbox flush will",
            email_id,
            exc_info=True,
        )


def email_outbox_flush(*, older_than: timedelta, max_age: timedelta) -> int:
    """Queues again every message still queued `older_than` after it was recorded (its task
    never reached the broker, or the process died between commit and enqueue), unless older
    than `max_age` (codes in it are long expired). A message queued twice is sent once:
    `email_deliver` locks the row and skips sent ones. Returns how many were queued."""
    from emails.tasks import email_deliver

    ids = email_outbox_stale_ids(now=timezone.now(), older_than=older_than, max_age=max_age)
    for email_id in ids:
        email_deliver.delay(str(email_id))
    return len(ids)


def email_render(*, template: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) for one template in one language."""
    base = f"emails/{template}.{language}"
    full_context = {"site_name": "Oh Manager", "lang": language, **context}
    subject = render_to_string(f"{base}.subject.txt", full_context).strip()
    text = render_to_string(f"{base}.txt", full_context)
    html = render_to_string(f"{base}.html", full_context)
    # A header injection guard: subjects are one line.
    return " ".join(subject.split()), text, html


def _from_address(from_name: str) -> str:
    if not from_name:
        return settings.DEFAULT_FROM_EMAIL
    platform_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((f"{from_name} ({platform_name or 'Oh Manager'})", address))


def _mail(message: EmailMessage, attachments: list[Attachment]) -> EmailMultiAlternatives:
    subject, text, html = email_render(
        template=message.template,
        language=message.language,
        context=email_context_open(message.sealed_context),
    )
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=_from_address(message.from_name),
        to=[message.to_email],
        cc=[message.cc] if message.cc else None,
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"X-Ohmanager-Message-Id": str(message.id)},
    )
    mail.attach_alternative(html, "text/html")
    for attachment in attachments:
        mail.attach(attachment.filename, attachment.content, attachment.mimetype)
    return mail


def smtp_refusal_detail(error: BaseException) -> str:
    """The first line of what the server answered (`550 5.1.1 User unknown`), else of the
    error; at most 300 characters."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, answer = next(iter(error.recipients.values()))
        error = smtplib.SMTPResponseException(code, answer)
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error
        if isinstance(answer, bytes):
            answer = answer.decode("utf-8", "replace")
        lines = str(answer).splitlines() or [""]
        return f"{error.smtp_code} {lines[0]}".strip()[:300]
    lines = str(error).splitlines() or [type(error).__name__]
    return (lines[0] or type(error).__name__)[:300]


def smtp_refusal_is_permanent(error: BaseException) -> bool:
    """A 5xx answer: retrying cannot help (unknown mailbox, rejected content). A 4xx answer, a
    dropped connection or a timeout is worth retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _finish(message: EmailMessage, attachments: list[Attachment]) -> None:
    message.status = EmailMessage.Status.SENT
    message.sent_at = timezone.now()
    message.attempts += 1
    message.detail = ""
    message.sealed_context = ""  # secrets leave the outbox once sent
    message.save(update_fields=["status", "sent_at", "attempts", "detail", "sealed_context"])
    email_outcome.send(
        sender=EmailMessage,
        message=message,
        attachments=[(attachment.filename, attachment.size) for attachment in attachments],
    )


def _fail(message: EmailMessage, detail: str) -> None:
    message.status = EmailMessage.Status.FAILED
    message.failed_at = timezone.now()
    message.detail = detail[:300]
    message.sealed_context = ""
    message.save(update_fields=["status", "failed_at", "attempts", "detail", "sealed_context"])
    email_outcome.send(sender=EmailMessage, message=message, attachments=[])
    logger.warning("email %s failed (%s): %s", message.pk, message.template, message.detail)


def email_deliver(*, email_id: str) -> bool:
    """Sends the message unless it was already sent or failed for good; True if it went out now.

    The row is locked for the whole send and marked sent in the same transaction, so a
    redelivered task waits for the first and then finds it sent. If the worker dies after the
    SMTP server accepted but before the commit, the redelivery sends again: at-least-once is
    the best SMTP allows. A permanent refusal (5xx) marks the row failed with the server's
    answer; any other SMTP error rolls back and propagates so the task retries, and the task
    marks it failed once its retries are spent (`email_mark_failed`).
    """
    with transaction.atomic():
        message = EmailMessage.objects.select_for_update().filter(pk=email_id).first()
        if message is None or message.status != EmailMessage.Status.QUEUED:
            return False
        if not message.to_email:  # anonymised by a withdrawal before it could be sent
            return False
        attachments = attachments_build(message.attachments)
        try:
            _mail(message, attachments).send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
            if not smtp_refusal_is_permanent(error):
                raise
            message.attempts += 1
            _fail(message, smtp_refusal_detail(error))
            return False
        _finish(message, attachments)
    logger.info("email %s sent (%s)", email_id, message.template)
    return True


@transaction.atomic
def email_mark_failed(*, email_id: str, detail: str) -> bool:
    """The task's retries are spent: the message is failed with the last error's first line.
    False when it was sent (or failed) meanwhile."""
    message = EmailMessage.objects.select_for_update().filter(pk=email_id).first()
    if message is None or message.status != EmailMessage.Status.QUEUED:
        return False
    message.attempts += 1
    _fail(message, detail)
    return True


@transaction.atomic
def member_emails_forget(*, member_id: UUID) -> int:
    """A withdrawal: the member's messages lose their address and their link to her, so unsent
    ones are never sent (email_deliver skips them) and sent ones keep no address. Returns how
    many rows were changed."""
    return EmailMessage.objects.filter(member_id=member_id).update(to_email="", member=None)


@transaction.atomic
def sent_emails_purge(*, now: datetime) -> int:
    """Housekeeping: drops sent and failed messages, and ones a withdrawal left unsendable,
    older than SENT_EMAIL_RETENTION. Returns how many rows were deleted."""
    deleted, _ = EmailMessage.objects.filter(
        Q(status=EmailMessage.Status.SENT, sent_at__lt=now - SENT_EMAIL_RETENTION)
        | Q(status=EmailMessage.Status.FAILED, failed_at__lt=now - SENT_EMAIL_RETENTION)
        # left unsendable by a withdrawal (the address was blanked before the send)
        | Q(to_email="", created_at__lt=now - SENT_EMAIL_RETENTION)
    ).delete()
    return deleted
