"""The nightly purge of dead sessions, codes and sent emails."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import MemberSession, VerificationCode
from emails.services import sent_emails_purge

# Kept for the admin's audit view, then purged nightly.
DEAD_SESSION_RETENTION = timedelta(days=30)
DEAD_CODE_RETENTION = timedelta(days=1)


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
    emails = sent_emails_purge(now=now)
    return {"sessions": sessions, "codes": codes, "emails": emails}
