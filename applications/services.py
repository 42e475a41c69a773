"""Every write of applications: apply, move along the lifecycle, withdraw, fold duplicates on an
audition merge, the calendar feed's secret URL, and the reminder emails. Each status change
appends a history event in the same transaction."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Member
from applications import lifecycle, sending
from applications.models import (
    Application,
    ApplicationEmail,
    ApplicationEvent,
    CalendarFeed,
    ReminderSent,
    Status,
    calendar_token_hash,
    new_calendar_token,
)
from applications.selectors import (
    DueReminder,
    reminders_due_deadlines,
    reminders_due_schedules,
    reminders_due_stale,
    reminders_not_sent,
)
from applications.snapshot import snapshot_take
from auditions import trust
from auditions.models import ApplyMethod, Audition, Role
from emails.services import email_enqueue
from ohmanager.exceptions import Conflict, Forbidden, Gone, InvalidInput, NotFound

Actor = ApplicationEvent.Actor
logger = logging.getLogger("applications.reminders")


def _already_applied() -> Conflict:
    return Conflict("You already applied to this audition.", code="already_applied")


def _record(
    application: Application,
    *,
    from_status: str,
    actor_kind: str,
    actor: Member | None,
    note: str = "",
    at: datetime | None = None,
) -> ApplicationEvent:
    event = ApplicationEvent(
        application=application,
        from_status=from_status,
        status=application.status,
        note=note.strip(),
        actor_kind=actor_kind,
        actor=actor,
        created_at=at or timezone.now(),
    )
    event.full_clean(exclude=["application", "actor"])
    event.save()
    return event


def _full_clean(application: Application) -> None:
    try:
        # The one-per-member-and-audition rule is the insert's (the constraint), not a SELECT
        # that two concurrent requests would both pass.
        application.full_clean(exclude=["member", "audition", "role"], validate_constraints=False)
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error


# --- Apply ----------------------------------------------------------------------------------


def _age_check(*, member: Member, audition: Audition) -> None:
    """Issue #17: nobody applies without a birth date on her profile (ages decide what a minor
    may apply to), and a minor never applies to an audition hidden from minors."""
    age = account_selectors.member_age(member=member)
    if age is None:
        raise Forbidden(
            "Add your birth date to your profile before applying.", code="birth_date_required"
        )
    if age < account_selectors.MINOR_AGE and any(
        flag.get("code") in trust.HIDDEN_FROM_MINORS for flag in audition.trust_flags or ()
    ):
        raise Forbidden("This audition is not open to members under 19.", code="not_for_minors")


@transaction.atomic
def application_create(
    *,
    member: Member,
    audition_id: UUID,
    role_id: UUID | None = None,
    message: str = "",
    external: bool = False,
    send: bool = False,
    photo_ids: list[UUID] | None = None,
    media_ids: list[UUID] | None = None,
) -> Application:
    """Applies (in the app), records an application made on the source site, or (`send`)
    e-mails the poster for the member (applications.sending).

    An audition that only takes applications elsewhere (email, external site, phone) is
    otherwise tracked as external. Closed, expired and past-deadline auditions are 410.
    """
    audition = Audition.objects.filter(pk=audition_id, status__in=Audition.PUBLIC_STATUSES).first()
    if audition is None:
        raise NotFound("No such audition.", code="audition_not_found")
    _age_check(member=member, audition=audition)
    if Application.objects.filter(member=member, audition=audition).exists():
        raise _already_applied()
    today = timezone.localdate()
    if audition.status != Audition.Status.OPEN or (
        audition.deadline is not None and audition.deadline < today
    ):
        raise Gone("This audition is closed.", code="audition_closed")
    role = None
    if role_id is not None:
        role = Role.objects.filter(pk=role_id, audition=audition).first()
        if role is None:
            message_ = "This role does not belong to the audition."
            raise InvalidInput(message_, code="invalid_role", fields={"role": [message_]})
    plan = sending.send_checks(member=member, audition=audition) if send else None

    in_app = audition.apply_method == ApplyMethod.IN_APP and not external and not send
    if send:
        kind, note = Application.Kind.EMAIL, "Sent by e-mail through the app"
    elif in_app:
        kind, note = Application.Kind.IN_APP, "Applied in the app"
    else:
        kind, note = Application.Kind.EXTERNAL, "Applied on the source site"
    now = timezone.now()
    application = Application(
        member=member,
        audition=audition,
        role=role,
        role_name=role.name if role else "",
        kind=kind,
        message=message.strip(),
        status=Status.APPLIED,
        applied_at=now,
        last_activity_at=now,
    )
    _full_clean(application)
    try:
        with transaction.atomic():
            application.save(force_insert=True)
    except IntegrityError as error:  # a concurrent request inserted first
        raise _already_applied() from error
    _record(
        application,
        from_status="",
        actor_kind=Actor.MEMBER,
        actor=member,
        note=note,
        at=now,
    )
    if plan is not None:
        sending.application_email_send(
            application=application,
            member=member,
            plan=plan,
            photo_ids=photo_ids,
            media_ids=media_ids,
        )
    if in_app:
        snapshot, copied = snapshot_take(member=member, application_id=application.pk)
        try:
            application.snapshot = snapshot
            application.save(update_fields=["snapshot", "updated_at"])
        except BaseException:
            for name in copied:
                default_storage.delete(name)
            raise
    return application


@transaction.atomic
def application_emails_forget(*, member_id: UUID) -> int:
    """A withdrawal: the copies of her e-mail applications lose what was hers (the subject and
    body name her, the card is her profile). The rows stay, their recipients and times only."""
    return ApplicationEmail.objects.filter(member_id=member_id).update(
        subject="", body="", attachment_name="", card_snapshot={}
    )


# --- Track ----------------------------------------------------------------------------------


def _locked(*, application_id: UUID, member: Member | None) -> Application:
    """The application, locked; when `member` is given, only theirs (else 404, never 403)."""
    queryset = Application.objects.select_for_update().filter(pk=application_id)
    if member is not None:
        queryset = queryset.filter(member=member)
    application = queryset.first()
    if application is None:
        raise NotFound("No such application.", code="application_not_found")
    return application


@transaction.atomic
def application_move(
    *,
    application_id: UUID,
    status: str,
    actor: Member | None,
    by: str,
    note: str = "",
    audition_at: datetime | None = None,
) -> Application:
    """Moves an application along the lifecycle (`applications.lifecycle`).

    `by` is who acts: the member (only their own applications; for in-app ones only a
    withdrawal, since casting decides those) or staff (in-app applications only: an external
    one is the member's own record), or the system (no actor: e.g. the first view of an
    application's profile card, accounts.cards.services).
    """
    if status not in Status.values:
        raise InvalidInput(fields={"status": [f"Unknown status {status!r}."]})
    own = actor if by == Actor.MEMBER else None
    application = _locked(application_id=application_id, member=own)
    in_app = application.kind == Application.Kind.IN_APP
    if by == Actor.MEMBER and in_app and status != Status.WITHDRAWN:
        raise Forbidden(
            "Casting sets the status of in-app applications; you can withdraw it.",
            code="status_set_by_casting",
        )
    if by == Actor.STAFF and not in_app:
        raise Forbidden(
            "The member tracks applications made on other sites.", code="external_application"
        )
    if not lifecycle.can_move(application.status, status):
        raise Conflict(
            f"An application cannot move from {application.status} to {status}.",
            code="invalid_transition",
        )
    previous = application.status
    now = timezone.now()
    application.status = status
    application.last_activity_at = now
    if audition_at is not None:
        application.audition_at = audition_at
    _full_clean(application)
    application.save(update_fields=["status", "last_activity_at", "audition_at", "updated_at"])
    _record(application, from_status=previous, actor_kind=by, actor=actor, note=note, at=now)
    return application


def application_withdraw(*, application_id: UUID, member: Member, note: str = "") -> Application:
    """Withdraws from any status that is not final (409 `invalid_transition` from an end)."""
    return application_move(
        application_id=application_id,
        status=Status.WITHDRAWN,
        actor=member,
        by=Actor.MEMBER,
        note=note,
    )


# --- Audition merge -------------------------------------------------------------------------


def _merge_rank(application: Application) -> tuple[int, datetime]:
    return lifecycle.advancement(application.status), application.last_activity_at


def applications_merge(*, duplicate: Audition, into: Audition, actor: Member | None) -> int:
    """Moves the duplicate's applications to the audition that stays (called inside
    `auditions.services.audition_merge`'s transaction). A member who applied to both keeps
    one: the more advanced (`lifecycle.advancement`, then the more recent activity); the other
    is dropped and the kept one's history says so. Returns how many applications moved."""
    moving = list(Application.objects.select_for_update().filter(audition=duplicate))
    if not moving:
        return 0
    staying = {
        application.member_id: application
        for application in Application.objects.select_for_update().filter(
            audition=into, member_id__in=[application.member_id for application in moving]
        )
    }
    actor_kind = Actor.STAFF if actor is not None else Actor.SYSTEM
    moved = 0
    for application in moving:
        other = staying.get(application.member_id)
        if other is None:
            application.audition = into
            application.save(update_fields=["audition", "updated_at"])
            moved += 1
            continue
        if _merge_rank(application) > _merge_rank(other):
            keep, drop = application, other
        else:
            keep, drop = other, application
        drop.delete()
        if keep is application:
            application.audition = into
            application.save(update_fields=["audition", "updated_at"])
            moved += 1
        _record(
            keep,
            from_status=keep.status,
            actor_kind=actor_kind,
            actor=actor,
            note=(
                f"Duplicate listings merged: kept this application ({keep.status}); the other "
                f"({drop.status}, applied {timezone.localdate(drop.applied_at).isoformat()}) "
                "was folded into it."
            )[:500],
        )
    return moved


# --- Calendar feed --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFeedIssued:
    """A freshly issued feed and its plain token: the only time the token exists outside the
    member's calendar app, since the row keeps its hash alone."""

    feed: CalendarFeed
    token: str


@transaction.atomic
def calendar_feed_rotate(*, member: Member) -> CalendarFeedIssued:
    """A new secret URL for the member's calendar; any previous URL stops working."""
    token = new_calendar_token()
    feed, _ = CalendarFeed.objects.update_or_create(
        member=member,
        defaults={"token_hash": calendar_token_hash(token), "created_at": timezone.now()},
    )
    return CalendarFeedIssued(feed=feed, token=token)


@transaction.atomic
def calendar_feed_revoke(*, member: Member) -> None:
    """Idempotent: the URL is a 404 from now on."""
    CalendarFeed.objects.filter(member=member).delete()


# --- Reminders ----------------------------------------------------------------------------------
#
# Reminder emails, each sent exactly once. For every reminder that is due (selectors), one
# transaction inserts its `ReminderSent` row (unique per member, kind and subject) and queues
# the email through the emails outbox; the email task runs after that commit. A second run of
# the task, a redelivered message or a concurrent beat finds the row (or loses the insert race)
# and sends nothing.


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
    due = reminders_not_sent(due)
    members = Member.objects.in_bulk({item.member_id for item in due})
    sent = sum(1 for item in due if _send(item, members))
    logger.info("reminders sent: %d of %d due", sent, len(due))
    return sent


def reminders_send_deadlines(*, now: datetime | None = None) -> int:
    """D-3 and D-1 reminders for bookmarked auditions the member has not applied to."""
    return _deliver(reminders_due_deadlines(timezone.localdate(now or timezone.now())))


def reminders_send_schedules(*, now: datetime | None = None) -> int:
    """The day before a shoot (cast applications) or a scheduled audition."""
    return _deliver(reminders_due_schedules(timezone.localdate(now or timezone.now())))


def reminders_send_stale(*, now: datetime | None = None) -> int:
    """A nudge for applications without news for 14 days, suggesting `no_response`."""
    return _deliver(reminders_due_stale(now or timezone.now()))
