"""Reminder emails, each sent exactly once.

For every reminder that is due, one transaction inserts its `ReminderSent` row (unique per
member, kind and subject) and queues the email through the accounts outbox; the email task
runs after that commit. A second run of the task, a redelivered message or a concurrent beat
finds the row (or loses the insert race) and sends nothing. The subject carries the date the
reminder is about, so a moved deadline or shoot date earns one new reminder.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.emails import email_enqueue
from accounts.models import Member
from applications.models import Application, ReminderSent, Status
from auditions.models import Audition, Bookmark

logger = logging.getLogger("applications.reminders")

Kind = ReminderSent.Kind
DEADLINE_OFFSETS = ((3, Kind.DEADLINE_D3), (1, Kind.DEADLINE_D1))
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


def _deadline_due(today: date) -> Iterator[DueReminder]:
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


def _schedule_due(today: date) -> Iterator[DueReminder]:
    day = today + timedelta(days=SCHEDULE_NOTICE_DAYS)
    shoots = Application.objects.filter(
        status=Status.CAST,
        audition__shoot_start=day,
        **_active("member__", "notify_shoot_reminders"),
    ).values_list("member_id", "id", "audition__title", "audition__location")
    for member_id, application_id, title, location in shoots:
        yield DueReminder(
            member_id=member_id,
            kind=Kind.SHOOT,
            subject=f"{application_id}:{day.isoformat()}",
            template="reminder_schedule",
            context={"title": title, "date": day.isoformat(), "what": "shoot", "place": location},
        )
    auditions = Application.objects.filter(
        status=Status.AUDITION_SCHEDULED,
        audition_at__date=day,
        **_active("member__", "notify_shoot_reminders"),
    ).values_list("member_id", "id", "audition__title", "audition__location", "audition_at")
    for member_id, application_id, title, location, at in auditions:
        local = timezone.localtime(at)
        yield DueReminder(
            member_id=member_id,
            kind=Kind.AUDITION,
            subject=f"{application_id}:{local.isoformat()}",
            template="reminder_schedule",
            context={
                "title": title,
                "date": local.strftime("%Y-%m-%d %H:%M"),
                "what": "audition",
                "place": location,
            },
        )


def _stale_due(now: datetime) -> Iterator[DueReminder]:
    rows = Application.objects.filter(
        status__in=STALE_STATUSES,
        last_activity_at__lte=now - STALE_AFTER,
        **_active("member__", "notify_stale_applications"),
    ).values_list("member_id", "id", "audition__title", "status", "last_activity_at")
    for member_id, application_id, title, status, last_activity_at in rows:
        yield DueReminder(
            member_id=member_id,
            kind=Kind.STALE,
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


def _not_sent(due: Iterable[DueReminder]) -> list[DueReminder]:
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


def _send(item: DueReminder, members: dict[Any, Member]) -> bool:
    member = members[item.member_id]
    try:
        with transaction.atomic():
            reminder = ReminderSent.objects.create(
                member=member, kind=item.kind, subject=item.subject
            )
            message = email_enqueue(
                to_email=member.email,
                template=item.template,
                language=member.language,
                member=member,
                context=item.context,
            )
            reminder.email = message
            reminder.save(update_fields=["email"])
    except IntegrityError:  # sent by a concurrent run
        return False
    return True


def _deliver(due: Iterable[DueReminder]) -> int:
    """Each reminder in its own transaction, so one bad address does not hold back the rest."""
    due = _not_sent(due)
    members = Member.objects.in_bulk({item.member_id for item in due})
    sent = sum(1 for item in due if _send(item, members))
    logger.info("reminders sent: %d of %d due", sent, len(due))
    return sent


def reminders_send_deadlines(*, now: datetime | None = None) -> int:
    """D-3 and D-1 reminders for bookmarked auditions the member has not applied to."""
    return _deliver(_deadline_due(timezone.localdate(now or timezone.now())))


def reminders_send_schedules(*, now: datetime | None = None) -> int:
    """The day before a shoot (cast applications) or a scheduled audition."""
    return _deliver(_schedule_due(timezone.localdate(now or timezone.now())))


def reminders_send_stale(*, now: datetime | None = None) -> int:
    """A nudge for applications without news for 14 days, suggesting `no_response`."""
    return _deliver(_stale_due(now or timezone.now()))
