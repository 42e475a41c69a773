"""Reads of the outbox."""

from datetime import datetime, timedelta
from uuid import UUID

from emails.models import EmailMessage


def email_outbox_stale_ids(
    *, now: datetime, older_than: timedelta, max_age: timedelta, limit: int = 1000
) -> list[UUID]:
    """Messages still queued `older_than` after they were recorded but not older than
    `max_age`, oldest first; a message blanked by a withdrawal has no address to go to."""
    return list(
        EmailMessage.objects.filter(
            status=EmailMessage.Status.QUEUED,
            created_at__lte=now - older_than,
            created_at__gte=now - max_age,
        )
        .exclude(to_email="")
        .order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )
