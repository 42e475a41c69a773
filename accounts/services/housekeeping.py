"""The nightly purge of dead sessions, codes and sent emails."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import EmailMessage, MemberSession, VerificationCode

# Kept for the admin's audit view, then purged nightly.
DEAD_SESSION_RETENTION = timedelta(days=30)
DEAD_CODE_RETENTION = timedelta(days=1)
SENT_EMAIL_RETENTION = timedelta(days=30)


@transaction.atomic
def auth_records_purge() -> dict[str, int]:
    now = timezone.now()
    idle = settings.ACCOUNTS_SESSION_IDLE_TIMEOUT
    sessions, _ = MemberSession.objects.filter(
        Q(expires_at__lt=now - DEAD_SESSION_RETENTION)
        | Q(revoked_at__lt=now - DEAD_SESSION_RETENTION)
        | Q(last_seen_at__lt=now - idle - DEAD_SESSION_RETENTION)
    ).delete()
    codes, _ = VerificationCode.objects.filter(expires_at__lt=now - DEAD_CODE_RETENTION).delete()
    emails, _ = EmailMessage.objects.filter(
        Q(status=EmailMessage.Status.SENT, sent_at__lt=now - SENT_EMAIL_RETENTION)
        # left unsendable by a withdrawal (the address was blanked before the send)
        | Q(to_email="", created_at__lt=now - SENT_EMAIL_RETENTION)
    ).delete()
    return {"sessions": sessions, "codes": codes, "emails": emails}
