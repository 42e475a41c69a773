"""Every read of applications the API, the admin, the calendar feed and the reminders need.
Another member's application and a missing one look the same: a 404."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Member
from applications.models import (
    Application,
    ApplicationEvent,
    CalendarFeed,
    ReminderSent,
    Status,
    calendar_token_hash,
)
from auditions.models import Audition, Bookmark
from ohmanager.exceptions import NotFound

# Ordered by last activity; the id breaks ties so cursor pages never skip or repeat a row.
LIST_ORDERING = ("-last_activity_at", "-id")


def application_list(*, member: Member) -> QuerySet[Application]:
    """The member's applications with their audition, role and sent e-mail: one query, however
    many."""
    return Application.objects.filter(member=member).select_related(
        "audition", "role", "sent_email"
    )


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


# --- Reminders due ------------------------------------------------------------------------------
#
# Which reminders are due (applications.services.reminders_send_* sends them, each once). The
# subject carries the date the reminder is about, so a moved deadline or shoot date earns one
# new reminder.

ReminderKind = ReminderSent.Kind
DEADLINE_OFFSETS = ((3, ReminderKind.DEADLINE_D3), (1, ReminderKind.DEADLINE_D1))
SCHEDULE_NOTICE_DAYS = 1
STALE_AFTER = timedelta(days=14)
# Statuses a nudge makes sense for: waiting on casting. Scheduled and cast ones have a date.
STALE_STATUSES = (
    Status.APPLIED,
    Status.VIEWED,
    Status.SHORTLISTED,
    Status.AUDITIONED,
    Status.CALLBACK,
)


@dataclass(frozen=True)
class DueReminder:
    member_id: Any
    kind: str
    subject: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _active(prefix: str, preference: str) -> dict[str, Any]:
    """Only active members who left this kind of reminder on."""
    return {
        f"{prefix}status": Member.Status.ACTIVE,
        f"{prefix}profile__{preference}": True,
    }


def reminders_due_deadlines(today: date) -> Iterator[DueReminder]:
    """D-3 and D-1: bookmarked open auditions closing then that the member has not applied to."""
    applied = Application.objects.filter(
        member_id=OuterRef("member_id"), audition_id=OuterRef("audition_id")
    )
    for days, kind in DEADLINE_OFFSETS:
        deadline = today + timedelta(days=days)
        rows = (
            Bookmark.objects.filter(
                audition__deadline=deadline,
                audition__status=Audition.Status.OPEN,
                **_active("member__", "notify_deadline_reminders"),
            )
            .exclude(Exists(applied))
            .values_list("member_id", "audition_id", "audition__title")
        )
        for member_id, audition_id, title in rows:
            yield DueReminder(
                member_id=member_id,
                kind=kind,
                subject=f"{audition_id}:{deadline.isoformat()}",
                template="reminder_deadline",
                context={
                    "title": title,
                    "deadline": deadline.isoformat(),
                    "days": days,
                    "audition_id": str(audition_id),
                },
            )


def reminders_due_schedules(today: date) -> Iterator[DueReminder]:
    """The day before a shoot (cast applications) or a scheduled audition."""
    day = today + timedelta(days=SCHEDULE_NOTICE_DAYS)
    shoots = Application.objects.filter(
        status=Status.CAST,
        audition__shoot_start=day,
        # A call staff hid (a scam, #18) or quarantined earns no more reminders.
        audition__status__in=Audition.PUBLIC_STATUSES,
        **_active("member__", "notify_shoot_reminders"),
    ).values_list("member_id", "id", "audition__title", "audition__location")
    for member_id, application_id, title, location in shoots:
        yield DueReminder(
            member_id=member_id,
            kind=ReminderKind.SHOOT,
            subject=f"{application_id}:{day.isoformat()}",
            template="reminder_schedule",
            context={"title": title, "date": day.isoformat(), "what": "shoot", "place": location},
        )
    auditions = Application.objects.filter(
        status=Status.AUDITION_SCHEDULED,
        audition_at__date=day,
        audition__status__in=Audition.PUBLIC_STATUSES,
        **_active("member__", "notify_shoot_reminders"),
    ).values_list("member_id", "id", "audition__title", "audition__location", "audition_at")
    for member_id, application_id, title, location, at in auditions:
        local = timezone.localtime(at)
        yield DueReminder(
            member_id=member_id,
            kind=ReminderKind.AUDITION,
            subject=f"{application_id}:{local.isoformat()}",
            template="reminder_schedule",
            context={
                "title": title,
                "date": local.strftime("%Y-%m-%d %H:%M"),
                "what": "audition",
                "place": location,
            },
        )


def reminders_due_stale(now: datetime) -> Iterator[DueReminder]:
    """Applications waiting on casting without news for STALE_AFTER."""
    rows = Application.objects.filter(
        status__in=STALE_STATUSES,
        last_activity_at__lte=now - STALE_AFTER,
        audition__status__in=Audition.PUBLIC_STATUSES,
        **_active("member__", "notify_stale_applications"),
    ).values_list("member_id", "id", "audition__title", "status", "last_activity_at")
    for member_id, application_id, title, status, last_activity_at in rows:
        yield DueReminder(
            member_id=member_id,
            kind=ReminderKind.STALE,
            # Once per quiet spell: any status change starts a new one.
            subject=f"{application_id}:{last_activity_at.isoformat()}",
            template="reminder_stale",
            context={
                "title": title,
                "status": status,
                "since": timezone.localdate(last_activity_at).isoformat(),
                "application_id": str(application_id),
                "suggested_status": Status.NO_RESPONSE,
            },
        )


def reminders_not_sent(due: Iterable[DueReminder]) -> list[DueReminder]:
    """Drops the ones already recorded (one query); the insert still guards the races."""
    due = list(due)
    if not due:
        return []
    sent = set(
        ReminderSent.objects.filter(
            member_id__in={item.member_id for item in due},
            subject__in={item.subject for item in due},
        ).values_list("member_id", "kind", "subject")
    )
    return [item for item in due if (item.member_id, item.kind, item.subject) not in sent]
