"""What the catalogue derives from an audition's own fields, and the date it derives it on.

Every audition write goes through here so that no derived column is ever stale: the
normalised title and company (auditions.text), the search document (auditions.search), the
trust assessment (auditions.trust) and the feed's member-independent points
(auditions.feed_points). The staff-edit services (auditions.services.catalogue) and ingest
(auditions.ingest) both call `audition_derive` / `audition_save`; the formulas stay in those
four modules.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from auditions import feed_points, posters, search, trust
from auditions.models import Audition, AuditionEvent
from auditions.text import normalize_company, normalize_title
from ohmanager.exceptions import InvalidInput


def seoul_today() -> date:
    return timezone.localdate()


def rolling_max_age() -> timedelta:
    """How long a call without a deadline stays open at most (AUDITION_ROLLING_MAX_AGE_DAYS)."""
    return timedelta(days=settings.AUDITION_ROLLING_MAX_AGE_DAYS)


def arrival_status(values: dict[str, Any], seen_at: datetime) -> tuple[str, str]:
    """The status a newly crawled call starts in, and why when it is not open: a board's
    archive re-crawled (a 2009 post) arrives expired rather than listed as new. Expired: its
    deadline has passed, or it has none and was posted longer ago than `rolling_max_age`."""
    deadline, posted_at = values["deadline"], values["posted_at"]
    if deadline is not None:
        if deadline < timezone.localdate(seen_at):
            return Audition.Status.EXPIRED, f"Deadline {deadline.isoformat()} had passed"
    elif posted_at is not None and posted_at < seen_at - rolling_max_age():
        return Audition.Status.EXPIRED, (
            f"No deadline, posted {timezone.localdate(posted_at).isoformat()}: "
            f"over {settings.AUDITION_ROLLING_MAX_AGE_DAYS} days old"
        )
    return Audition.Status.OPEN, ""


_UNSET: Any = object()


def audition_derive(
    audition: Audition,
    *,
    repost_count: int | None = None,
    poster_reply_rate: float | None = _UNSET,
) -> None:
    """Normalised title/company, the search document, the trust assessment (and the quarantine
    it may call for) and the feed's member-independent points: recomputed from the audition's
    own fields before every save. A batch passes `repost_count` and `poster_reply_rate`,
    looked up for the whole batch at once (auditions.ingest.batch)."""
    if poster_reply_rate is _UNSET:
        poster_reply_rate = None
        if audition.advertiser_id:
            # One query for the rate and the blocked flag the quarantine reads.
            advertiser, poster_reply_rate = posters.advertiser_with_reply_rate(
                audition.advertiser_id
            )
            if advertiser is not None:
                audition.advertiser = advertiser
    audition.title_norm = normalize_title(audition.title)[:300]
    audition.company_norm = normalize_company(audition.company)[:200]
    audition.search_vector = (
        search.document(
            title=audition.title, company=audition.company, description=audition.description
        )
        if connection.vendor == "postgresql"
        else None
    )
    audition.trust_score, audition.trust_flags = trust.assess(
        trust.TrustInput(
            pay_type=audition.pay_type,
            pay_amount_min=audition.pay_amount_min,
            pay_amount_max=audition.pay_amount_max,
            pay_raw=audition.pay_raw,
            apply_method=audition.apply_method,
            apply_target=audition.apply_target,
            contact_raw=audition.contact_raw,
            description=audition.description,
            required_media=audition.required_media,
            company=audition.company,
            production_type=audition.production_type,
            director=audition.director,
            casting_director=audition.casting_director,
            repost_count=audition_repost_count(audition) if repost_count is None else repost_count,
            title=audition.title,
            category=audition.category,
            poster_reply_rate=poster_reply_rate,
        )
    )
    audition_quarantine_apply(audition)
    audition.feed_points = feed_points.for_audition(audition, seoul_today())


def audition_repost_count(audition: Audition) -> int:
    """This posting and the earlier ones of the same normalised title and company within
    trust.REPOST_WINDOW_DAYS (merged duplicates left out)."""
    if not audition.title_norm:
        return 1
    since = (audition.posted_at or timezone.now()) - timedelta(days=trust.REPOST_WINDOW_DAYS)
    others = (
        Audition.objects.filter(
            title_norm=audition.title_norm,
            company_norm=audition.company_norm,
            posted_at__gte=since,
        )
        .exclude(status=Audition.Status.MERGED)
        .exclude(pk=audition.pk)
        .count()
    )
    return others + 1


def quarantine_score() -> int:
    """At or below this trust score a call is quarantined (AUDITION_QUARANTINE_SCORE)."""
    return settings.AUDITION_QUARANTINE_SCORE


def audition_quarantine_apply(audition: Audition) -> None:
    """Quarantines an open call whose trust score is at or below `quarantine_score()` or whose
    poster staff blocked, and releases one quarantined for its score once the score recovers.
    A call staff reviewed (cleared, or hidden as a scam) or whose status staff set is left as
    it is: their decision sticks across re-ingest and renormalise. The change, if any, is left
    on `audition.quarantine_change` ((old, new, note)) for the caller's audit event."""
    audition.quarantine_change = None
    if audition.trust_review or "status" in (audition.staff_locked_fields or ()):
        return
    Status, Why = Audition.Status, Audition.Quarantine
    blocked = audition.advertiser_id is not None and audition.advertiser.blocked
    risky = audition.trust_score <= quarantine_score()
    if audition.status == Status.OPEN and (blocked or risky):
        reason = Why.POSTER if blocked else Why.TRUST
        note = (
            "Its poster is blocked"
            if blocked
            else f"Trust score {audition.trust_score} <= {quarantine_score()}: "
            + ", ".join(flag["code"] for flag in audition.trust_flags)
        )
        audition.status, audition.quarantine_reason = Status.QUARANTINED, reason
        audition.quarantine_change = (Status.OPEN, Status.QUARANTINED, note)
    elif (
        audition.status == Status.QUARANTINED
        and audition.quarantine_reason == Why.TRUST
        and not blocked
        and not risky
    ):
        audition.status, audition.quarantine_reason = Status.OPEN, Why.NONE
        note = f"Trust score {audition.trust_score} above {quarantine_score()}"
        audition.quarantine_change = (Status.QUARANTINED, Status.OPEN, note)


def quarantine_event(audition: Audition) -> AuditionEvent | None:
    """The audit event for `audition.quarantine_change` (not saved), or None."""
    change = getattr(audition, "quarantine_change", None)
    if not change:
        return None
    old, new, note = change
    action = (
        AuditionEvent.Action.QUARANTINED
        if new == Audition.Status.QUARANTINED
        else AuditionEvent.Action.RELEASED
    )
    return AuditionEvent(
        audition=audition, action=action, changes={"status": [old, new]}, note=note[:300]
    )


def quarantine_record(audition: Audition) -> None:
    """Saves the audit event of a quarantine (or release) `audition_derive` decided, once."""
    if (event := quarantine_event(audition)) is not None:
        event.save()
    audition.quarantine_change = None


def audition_save(audition: Audition) -> None:
    """Derives the columns, validates (InvalidInput with the fields' messages) and saves. A
    quarantine the trust assessment called for goes into the audit trail here for an existing
    call; a new call's creator records it after the call's `created` event
    (`quarantine_record`), so the trail reads in order."""
    adding = audition._state.adding
    audition_derive(audition)
    try:
        audition.full_clean(exclude=["duplicate_of", "advertiser"])
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error
    audition.save()
    if not adding:
        quarantine_record(audition)
