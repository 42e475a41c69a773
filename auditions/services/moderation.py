"""Trust and safety's writes (#18): members' reports, staff's decisions on a call (clear, hide
as a scam, close, merge as a duplicate), and posters (block, merge).

Every decision lands in the audit trail (AuditionEvent) with the staff member as its actor.
A report quarantines an open call once the unresolved reports' weights reach
AUDITION_REPORT_QUARANTINE_WEIGHT; staff's decision resolves the reports it answers.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.utils import timezone

from accounts.models import Member
from auditions import selectors, trust
from auditions.history import audition_event_record
from auditions.models import (
    Advertiser,
    AdvertiserKey,
    Audition,
    AuditionEvent,
    Bookmark,
    Report,
    ScamWarning,
)
from auditions.services.catalogue import audition_merge, audition_set_status
from ohmanager.exceptions import Conflict, InvalidInput, NotFound


def _weight_limit() -> int:
    return settings.AUDITION_REPORT_QUARANTINE_WEIGHT


@transaction.atomic
def audition_report(*, member: Member, audition_id: Any, reason: str, text: str = "") -> Report:
    """A member's report of a public call: 404 for one they cannot see, 409 `already_reported`
    for a second by the same member. A member who applied to it in the app or by the app's
    e-mail, with an account old enough, weighs more; enough weight quarantines an open call at
    once, pending review."""
    from applications.models import Application  # applications builds on auditions

    # The detail's own rule for this member (#17: a minor never sees adult content), so a
    # report cannot tell her a call exists that the detail 404s.
    audition = (
        selectors.minors_hidden(
            Audition.objects.select_for_update(), member=member, flags=trust.HIDDEN_FROM_MINORS
        )
        .filter(pk=audition_id, status__in=(*Audition.PUBLIC_STATUSES, Audition.Status.QUARANTINED))
        .first()
    )
    # A quarantined call is a 404 to members, except to one who could see it before (they
    # may still report what they applied to or bookmarked): simpler, and as private, to 404.
    if audition is None or audition.status == Audition.Status.QUARANTINED:
        raise NotFound("No such audition.", code="audition_not_found")
    if reason not in Report.Reason.values:
        raise InvalidInput(fields={"reason": ["Not a valid choice."]})
    if Report.objects.filter(member=member, audition=audition).exists():
        raise Conflict("You already reported this audition.", code="already_reported")
    # Only an application the poster received (in the app, or e-mailed by us) from an account
    # old enough weighs more: an `external` one is the member's own say-so, and fresh accounts
    # are cheap, so two of them could otherwise hide any call.
    seasoned = member.date_joined <= timezone.now() - timedelta(
        days=settings.AUDITION_REPORT_APPLIED_MIN_ACCOUNT_DAYS
    )
    applied = (
        seasoned
        and Application.objects.filter(
            member=member,
            audition=audition,
            kind__in=(Application.Kind.IN_APP, Application.Kind.EMAIL),
        ).exists()
    )
    report = Report(
        audition=audition,
        member=member,
        reason=reason,
        text=(text or "").strip(),
        weight=settings.AUDITION_REPORT_APPLIED_WEIGHT if applied else 1,
    )
    report.full_clean(exclude=["audition", "member"], validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # a concurrent second report by the same member
        raise Conflict("You already reported this audition.", code="already_reported") from error
    # No member id in the trail: staff read who reported in the report itself.
    audition_event_record(
        audition,
        AuditionEvent.Action.REPORTED,
        changes={"reason": reason, "weight": report.weight},
    )
    weight = Report.objects.filter(audition=audition, resolved_at__isnull=True).aggregate(
        total=Sum("weight")
    )["total"]
    if audition.status == Audition.Status.OPEN and weight >= _weight_limit():
        _quarantine(audition, Audition.Quarantine.REPORTS, f"Reports weigh {weight}")
    return report


def _quarantine(audition: Audition, reason: str, note: str, actor: Member | None = None) -> None:
    old = audition.status
    audition.status = Audition.Status.QUARANTINED
    audition.quarantine_reason = reason
    audition.save(update_fields=["status", "quarantine_reason", "updated_at"])
    audition_event_record(
        audition,
        AuditionEvent.Action.QUARANTINED,
        actor=actor,
        changes={"status": [old, audition.status], "why": reason},
        note=note,
    )


def _resolve_reports(audition: Audition) -> int:
    return Report.objects.filter(audition=audition, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


# --- Staff's decisions on a call ----------------------------------------------------------------


class Decision:
    CLEAR = "clear"
    SCAM = "scam"
    CLOSE = "close"
    DUPLICATE = "duplicate"
    ALL = (CLEAR, SCAM, CLOSE, DUPLICATE)


@dataclass(frozen=True)
class ModerationResult:
    audition: Audition
    reports_resolved: int
    members_told: int = 0


@transaction.atomic
def audition_moderate(
    *,
    audition: Audition,
    decision: str,
    actor: Member | None,
    note: str = "",
    into: Audition | None = None,
) -> ModerationResult:
    """Staff's answer to a quarantined or reported call, resolving its reports:
    - clear: it is fine; open again, and no automatic quarantine from now on (re-ingest and
      renormalise keep the decision);
    - scam: hidden for good; the members who applied to or bookmarked it are told once;
    - close: real, but over (auditions.services.audition_set_status);
    - duplicate: merged `into` another call (auditions.services.audition_merge)."""
    audition = Audition.objects.select_for_update().get(pk=audition.pk)
    if decision not in Decision.ALL:
        raise InvalidInput(f"Unknown decision {decision!r}.", code="invalid_decision")
    if audition.status == Audition.Status.MERGED:
        raise Conflict("A merged audition cannot change.", code="audition_merged")
    told = 0
    if decision == Decision.CLEAR:
        old = audition.status
        if audition.status in (Audition.Status.QUARANTINED, Audition.Status.HIDDEN):
            audition.status = Audition.Status.OPEN
        audition.trust_review = Audition.Review.CLEARED
        audition.quarantine_reason = Audition.Quarantine.NONE
        audition.save(update_fields=["status", "trust_review", "quarantine_reason", "updated_at"])
        audition_event_record(
            audition,
            AuditionEvent.Action.CLEARED,
            actor=actor,
            changes={"status": [old, audition.status]},
            note=note,
        )
    elif decision == Decision.SCAM:
        if audition.trust_review == Audition.Review.SCAM:
            return ModerationResult(audition, _resolve_reports(audition))
        old = audition.status
        audition.status = Audition.Status.HIDDEN
        audition.trust_review = Audition.Review.SCAM
        audition.quarantine_reason = Audition.Quarantine.NONE
        audition.staff_locked_fields = sorted({*audition.staff_locked_fields, "status"})
        audition.save(
            update_fields=[
                "status",
                "trust_review",
                "quarantine_reason",
                "staff_locked_fields",
                "updated_at",
            ]
        )
        audition_event_record(
            audition,
            AuditionEvent.Action.SCAM,
            actor=actor,
            changes={"status": [old, audition.status]},
            note=note,
        )
        told = _tell_members_scam(audition, note)
    elif decision == Decision.CLOSE:
        audition = audition_set_status(
            audition=audition, status=Audition.Status.CLOSED, actor=actor
        )
        if audition.quarantine_reason:
            audition.quarantine_reason = Audition.Quarantine.NONE
            audition.save(update_fields=["quarantine_reason", "updated_at"])
    else:
        if into is None:
            raise InvalidInput("Name the call it duplicates.", code="merge_target_required")
        audition_merge(duplicate=audition, into=into, actor=actor)
        audition.refresh_from_db()
    return ModerationResult(audition, _resolve_reports(audition), told)


def _tell_members_scam(audition: Audition, note: str) -> int:
    """One e-mail per active member who applied to or bookmarked the call, in their language,
    with the reason: staff's note, else the call's trust flags. Once per member and call
    (ScamWarning): a second "scam" decision is a no-op, one after a clear tells only members
    who were not told before (one who bookmarked since), and a member who did both gets one."""
    from applications.models import Application  # applications builds on auditions
    from emails.services import email_enqueue  # emails builds on accounts only

    applied = Application.objects.filter(audition=audition).values_list("member_id", flat=True)
    bookmarked = Bookmark.objects.filter(audition=audition).values_list("member_id", flat=True)
    warned = ScamWarning.objects.filter(audition=audition).values_list("member_id", flat=True)
    ids = {*applied, *bookmarked} - set(warned)
    members = list(
        Member.objects.filter(pk__in=ids, status=Member.Status.ACTIVE).only(
            "id", "email", "language"
        )
    )
    # The rows in the decision's transaction, the call's row locked (audition_moderate): no
    # member is told twice, whatever the decisions in between.
    ScamWarning.objects.bulk_create(
        [ScamWarning(member=member, audition=audition) for member in members]
    )
    told = 0
    for member in members:
        flags = trust.localized_flags(audition.trust_flags, member.language)
        email_enqueue(
            to_email=member.email,
            template="audition_scam_warning",
            language=member.language,
            member=member,
            context={
                "title": audition.title,
                "company": audition.company,
                "note": note,
                "reasons": [flag["reason"] for flag in flags],
            },
        )
        told += 1
    return told


# --- Posters ------------------------------------------------------------------------------------


@transaction.atomic
def advertiser_block(*, advertiser: Advertiser, actor: Member | None, note: str = "") -> int:
    """Blocks a poster: its open calls are quarantined now, and its future ones on ingest
    (auditions.derived). Each call's trail records it. Returns how many were quarantined."""
    advertiser = Advertiser.objects.select_for_update().get(pk=advertiser.pk)
    if not advertiser.blocked:
        advertiser.blocked = True
        advertiser.blocked_at = timezone.now()
        advertiser.save(update_fields=["blocked", "blocked_at"])
    return _quarantine_blocked_calls(
        advertiser, Audition.objects.filter(advertiser=advertiser), actor, note
    )


def _quarantine_blocked_calls(
    advertiser: Advertiser, auditions: Any, actor: Member | None, note: str = ""
) -> int:
    """`auditions`, now a blocked `advertiser`'s: each trail records the block, and the open
    ones are quarantined. Returns how many were."""
    count = 0
    for audition in auditions.select_for_update():
        audition_event_record(
            audition,
            AuditionEvent.Action.POSTER_BLOCKED,
            actor=actor,
            changes={"advertiser": str(advertiser.pk)},
            note=note,
        )
        if audition.status == Audition.Status.OPEN:
            _quarantine(audition, Audition.Quarantine.POSTER, "Its poster is blocked", actor)
            count += 1
    return count


@transaction.atomic
def advertiser_merge(
    *, advertiser: Advertiser, into: Advertiser, actor: Member | None
) -> Advertiser:
    """One poster that used several contacts: `advertiser`'s keys and calls move to `into`,
    which keeps the earliest first sighting; `advertiser` stays, pointing at `into`. Each
    moved call's trail records it. When either was blocked, `into` is, and the calls that were
    not a blocked poster's before are quarantined as advertiser_block does (the others were
    then, and an open one among them is staff's clear, which stands)."""
    if advertiser.pk == into.pk:
        raise InvalidInput("A poster cannot be merged into itself.", code="merge_into_self")
    if into.merged_into_id is not None:
        raise Conflict("The target was itself merged away.", code="advertiser_merged")
    advertiser = Advertiser.objects.select_for_update().get(pk=advertiser.pk)
    if advertiser.merged_into_id is not None:
        raise Conflict("This poster was already merged.", code="advertiser_merged")
    into = Advertiser.objects.select_for_update().get(pk=into.pk)
    if into.blocked == advertiser.blocked:
        newly_blocked = Audition.objects.none()
    elif into.blocked:
        newly_blocked = Audition.objects.filter(advertiser=advertiser)
    else:
        newly_blocked = Audition.objects.filter(advertiser=into)
    newly_blocked = list(newly_blocked.values_list("pk", flat=True))
    AdvertiserKey.objects.filter(advertiser=advertiser).update(advertiser=into)
    moved = list(Audition.objects.filter(advertiser=advertiser))
    Audition.objects.filter(advertiser=advertiser).update(advertiser=into)
    for audition in moved:
        audition_event_record(
            audition,
            AuditionEvent.Action.POSTER_MERGED,
            actor=actor,
            changes={"advertiser": [str(advertiser.pk), str(into.pk)]},
        )
    seen = Advertiser.objects.filter(pk__in=[advertiser.pk, into.pk]).aggregate(
        first=Min("first_seen_at")
    )
    into.first_seen_at = seen["first"]
    into.last_seen_at = max(into.last_seen_at, advertiser.last_seen_at)
    if advertiser.blocked and not into.blocked:
        into.blocked, into.blocked_at = True, advertiser.blocked_at or timezone.now()
    into.save(update_fields=["first_seen_at", "last_seen_at", "blocked", "blocked_at"])
    advertiser.merged_into = into
    advertiser.save(update_fields=["merged_into"])
    if newly_blocked:
        _quarantine_blocked_calls(
            into,
            Audition.objects.filter(pk__in=newly_blocked),
            actor,
            "Merged with a blocked poster",
        )
    return into
