"""Every read of applications the API, the admin, the calendar feed and the reminders need.
Another member's application and a missing one look the same: a 404."""

from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Member
from applications.models import (
    Application,
    ApplicationEvent,
    CalendarFeed,
    Status,
    calendar_token_hash,
)
from ohmanager.exceptions import NotFound

# Ordered by last activity; the id breaks ties so cursor pages never skip or repeat a row.
LIST_ORDERING = ("-last_activity_at", "-id")


def application_list(*, member: Member) -> QuerySet[Application]:
    """The member's applications with their audition and role: one query, however many."""
    return Application.objects.filter(member=member).select_related("audition", "role")


def application_get_own(*, member: Member, application_id: UUID) -> Application:
    application = (
        application_list(member=member)
        .prefetch_related(
            Prefetch("history", queryset=ApplicationEvent.objects.order_by("created_at", "id"))
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound("No such application.", code="application_not_found")
    return application


def application_status_counts(*, member: Member) -> dict[str, int]:
    """Applications per status (every status present, zero when none): one GROUP BY."""
    counts = dict.fromkeys(Status.values, 0)
    rows = (
        Application.objects.filter(member=member)
        .order_by()
        .values("status")
        .annotate(count=Count("id"))
    )
    for row in rows:
        counts[row["status"]] = row["count"]
    return counts


def calendar_feed_get(*, member: Member) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member).first()


def calendar_feed_member(*, token: str) -> Member:
    """The member a live feed token belongs to; a revoked, rotated or made-up one is a 404."""
    feed = (
        CalendarFeed.objects.select_related("member")
        .filter(token_hash=calendar_token_hash(token), member__status=Member.Status.ACTIVE)
        .first()
    )
    if feed is None:
        raise NotFound("No such calendar.", code="calendar_not_found")
    return feed.member
