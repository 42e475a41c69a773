"""The catalogue's writes: sources, staff edits (create, edit, status, merge), the expiry and
the feed points' daily move. Views, the admin and tasks call these through `auditions.services`;
crawled listings come in through auditions.ingest. Both save auditions with
`auditions.derived.audition_save`, so the derived columns are never stale."""

import functools
import operator
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from accounts.models import Member
from auditions import feed_points
from auditions.derived import audition_save, quarantine_record, rolling_max_age, seoul_today
from auditions.history import audition_event_record
from auditions.ingest.types import RoleData
from auditions.ingest.values import LISTING_FIELDS, role_objects
from auditions.models import Audition, AuditionEvent, Bookmark, Role, Source, SourceListing
from ohmanager.exceptions import Conflict, InvalidInput

# Staff may edit these; the admin's role inline locks "roles" (the role list as a whole).
STAFF_FIELDS = (*LISTING_FIELDS, "status")
# Publish, hide, close: the statuses a person sets. Expired and merged have their own services.
STAFF_STATUSES = (Audition.Status.OPEN, Audition.Status.HIDDEN, Audition.Status.CLOSED)


# --- Sources --------------------------------------------------------------------------------


@transaction.atomic
def source_upsert(
    *, slug: str, name: str, homepage_url: str = "", kind: str = Source.Kind.CRAWLER
) -> Source:
    """Idempotent: the source with this slug, created or brought up to date."""
    source, created = Source.objects.get_or_create(
        slug=slug, defaults={"name": name, "homepage_url": homepage_url, "kind": kind}
    )
    if not created and (source.name, source.homepage_url, source.kind) != (
        name,
        homepage_url,
        kind,
    ):
        source.name, source.homepage_url, source.kind = name, homepage_url, kind
        source.full_clean()
        source.save(update_fields=["name", "homepage_url", "kind"])
    elif created:
        source.full_clean()
    return source


# --- Staff ----------------------------------------------------------------------------------


@transaction.atomic
def audition_staff_save(
    *, audition: Audition, actor: Member | None, roles: list[RoleData] | None = None
) -> Audition:
    """Saves a staff member's new or edited audition (the admin form, or `audition_create`).
    Every listing field an edit changes is locked against later crawls."""
    if audition._state.adding:
        audition_save(audition)
        Role.objects.bulk_create(role_objects(audition, roles or []))
        audition_event_record(
            audition, AuditionEvent.Action.CREATED, actor=actor, note="Entered by staff"
        )
        quarantine_record(audition)
        return audition
    before = Audition.objects.get(pk=audition.pk)
    changes = {
        name: [getattr(before, name), getattr(audition, name)]
        for name in STAFF_FIELDS
        if getattr(before, name) != getattr(audition, name)
    }
    if changes.get("status", [None, None])[1] not in (None, *STAFF_STATUSES):
        raise InvalidInput("That status cannot be set by hand.", code="invalid_status")
    # A status staff set is theirs: the expiry of rolling calls leaves it alone from now on.
    audition.staff_locked_fields = sorted(set(audition.staff_locked_fields) | set(changes))
    audition_save(audition)
    if changes:
        audition_event_record(audition, AuditionEvent.Action.EDITED, actor=actor, changes=changes)
    return audition


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(STAFF_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    return data


def audition_create(
    *, actor: Member | None, data: dict[str, Any], roles: list[RoleData] | None = None
) -> Audition:
    """A staff-entered audition (no source listing). `data` holds audition fields."""
    return audition_staff_save(audition=Audition(**_checked(data)), actor=actor, roles=roles)


@transaction.atomic
def audition_roles_save(
    *,
    audition: Audition,
    actor: Member | None,
    saved: Sequence[Role],
    deleted: Sequence[Role],
    new_audition: bool = False,
) -> Audition:
    """Staff's edit of the role list (the admin's role inline): writes the `saved` roles (new
    or changed, built on `audition` but not saved) and deletes the `deleted` ones. An edit of
    an existing audition's roles makes the list staff's, locked against later crawls, and goes
    into the audit trail; a new audition's roles come with its `created` entry."""
    if not saved and not deleted:
        return audition
    if any(role.audition_id != audition.pk for role in (*saved, *deleted)):
        raise InvalidInput("These roles are another audition's.", code="foreign_role")
    for role in deleted:
        role.delete()
    for role in saved:
        try:
            role.full_clean(exclude=["audition"])
        except ValidationError as error:
            raise InvalidInput(fields=error.message_dict) from error
        role.save()
    if new_audition:
        return audition
    if "roles" not in audition.staff_locked_fields:
        audition.staff_locked_fields = sorted({*audition.staff_locked_fields, "roles"})
        audition.save(update_fields=["staff_locked_fields", "updated_at"])
    audition_event_record(
        audition, AuditionEvent.Action.EDITED, actor=actor, changes={"roles": "edited"}
    )
    return audition


@transaction.atomic
def audition_set_status(*, audition: Audition, status: str, actor: Member | None) -> Audition:
    """Publish (open), hide or close. A merged audition stays merged."""
    if status not in STAFF_STATUSES:
        raise InvalidInput(f"Status {status!r} cannot be set by hand.", code="invalid_status")
    if audition.status == Audition.Status.MERGED:
        raise Conflict("A merged audition cannot change status.", code="audition_merged")
    if audition.status == status:
        return audition
    old = audition.status
    audition.status = status
    # Closed for a while, its deadline and freshness points may have moved since.
    audition.feed_points = feed_points.for_audition(audition, seoul_today())
    # Staff's status from now on: the expiry of rolling calls leaves it alone.
    audition.staff_locked_fields = sorted({*audition.staff_locked_fields, "status"})
    audition.save(update_fields=["status", "feed_points", "staff_locked_fields", "updated_at"])
    audition_event_record(
        audition, AuditionEvent.Action.STATUS, actor=actor, changes={"status": [old, status]}
    )
    return audition


@transaction.atomic
def audition_merge(*, duplicate: Audition, into: Audition, actor: Member | None) -> Audition:
    """Folds a duplicate into the audition that stays: its source listings, bookmarks and
    applications move over (one application per member: `applications_merge` keeps the more
    advanced), and it is marked merged (kept, so the trail and old links still resolve to it)."""
    from applications.services import applications_merge  # applications builds on auditions

    if duplicate.pk == into.pk:
        raise InvalidInput("An audition cannot be merged into itself.", code="merge_into_self")
    if into.status == Audition.Status.MERGED:
        raise Conflict("The target was itself merged away.", code="audition_merged")
    duplicate = Audition.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.status == Audition.Status.MERGED:
        raise Conflict("This audition was already merged.", code="audition_merged")

    moved_listings = SourceListing.objects.filter(audition=duplicate).update(
        audition=into, is_primary=False
    )
    already = Bookmark.objects.filter(audition=into).values("member_id")
    Bookmark.objects.filter(audition=duplicate, member_id__in=already).delete()
    moved_bookmarks = Bookmark.objects.filter(audition=duplicate).update(audition=into)
    moved_applications = applications_merge(duplicate=duplicate, into=into, actor=actor)

    old_status = duplicate.status
    duplicate.status = Audition.Status.MERGED
    duplicate.duplicate_of = into
    duplicate.save(update_fields=["status", "duplicate_of", "updated_at"])
    audition_event_record(
        duplicate,
        AuditionEvent.Action.MERGED,
        actor=actor,
        changes={"status": [old_status, "merged"], "into": str(into.pk)},
    )
    into = Audition.objects.select_for_update().get(pk=into.pk)
    audition_save(into)
    audition_event_record(
        into,
        AuditionEvent.Action.MERGED,
        actor=actor,
        changes={
            "from": str(duplicate.pk),
            "listings": moved_listings,
            "bookmarks": moved_bookmarks,
            "applications": moved_applications,
        },
    )
    return into


# --- Expiry ---------------------------------------------------------------------------------


@transaction.atomic
def source_listings_checked(*, source_id: int, since: datetime) -> Source | None:
    """A crawl of the source that started at `since` ran to a successful end: every listing it
    saw has `last_seen_at >= since`. Records that, and the oldest post it reached, so the
    expiry can tell a rolling call the source no longer lists. Posts older than the rolling
    window do not count towards how far it reached: an ancient post pinned to page 1 would make
    every unseen call look gone. A crawl that saw nothing (recent) says nothing (a broken
    selector looks like an empty board); an older check never wins."""
    back_to = SourceListing.objects.filter(
        source_id=source_id,
        last_seen_at__gte=since,
        audition__posted_at__gte=since - rolling_max_age(),
    ).aggregate(oldest=Min("audition__posted_at"))["oldest"]
    if back_to is None:
        return None
    Source.objects.filter(pk=source_id).filter(
        Q(listings_checked_at__isnull=True) | Q(listings_checked_at__lt=since)
    ).update(listings_checked_at=since, listings_checked_back_to=back_to)
    return Source.objects.get(pk=source_id)


def _gone_listings() -> Q | None:
    """Listings (as a Q on SourceListing) their source no longer lists: not seen by its last
    successful crawl though posted after the oldest post that crawl reached."""
    checks = Source.objects.filter(
        listings_checked_at__isnull=False, listings_checked_back_to__isnull=False
    ).values_list("pk", "listings_checked_at", "listings_checked_back_to")
    arms = [
        Q(source_id=pk, last_seen_at__lt=checked_at, audition__posted_at__gte=back_to)
        for pk, checked_at, back_to in checks
    ]
    return functools.reduce(operator.or_, arms) if arms else None


def _due(queryset: Any) -> list[UUID]:
    """The ids of `queryset`'s open auditions whose status is not staff's (locked)."""
    rows = queryset.select_for_update(skip_locked=True).values_list("id", "staff_locked_fields")
    return [pk for pk, locked in rows if "status" not in (locked or ())]


@transaction.atomic
def auditions_expire(*, today: date | None = None, now: datetime | None = None) -> int:
    """Open auditions become expired (Idempotent: a second run finds nothing due):
    - past their deadline (Asia/Seoul date);
    - crawled rolling calls (no deadline) posted, or first seen, longer ago than
      AUDITION_ROLLING_MAX_AGE_DAYS;
    - crawled rolling calls none of whose sources lists them any more (`_gone_listings`).
    Rolling calls whose status staff set (locked) stay as staff set them; staff-entered calls
    (no listing) are staff's to close. Returns how many expired."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cutoff = now - rolling_max_age()
    open_ = Audition.objects.filter(status=Audition.Status.OPEN)
    listings = SourceListing.objects.filter(audition=OuterRef("pk"))
    rolling = open_.filter(Exists(listings), deadline__isnull=True)

    reasons: dict[UUID, str] = {}
    for pk in open_.filter(deadline__lt=today).values_list("id", flat=True):
        reasons[pk] = f"Deadline before {today.isoformat()}"
    old = rolling.filter(Q(posted_at__lt=cutoff) | Q(created_at__lt=cutoff))
    for pk in _due(old):
        reasons.setdefault(
            pk, f"No deadline, open {settings.AUDITION_ROLLING_MAX_AGE_DAYS} days since posted"
        )
    if (gone := _gone_listings()) is not None:
        unlisted = rolling.filter(Exists(listings.filter(gone))).exclude(
            Exists(listings.exclude(gone))
        )
        for pk in _due(unlisted):
            reasons.setdefault(pk, "No deadline, no longer listed by its source")
    if not reasons:
        return 0
    due = list(
        Audition.objects.select_for_update(skip_locked=True)
        .filter(pk__in=list(reasons), status=Audition.Status.OPEN)
        .values_list("id", flat=True)
    )
    Audition.objects.filter(pk__in=due).update(status=Audition.Status.EXPIRED, updated_at=now)
    AuditionEvent.objects.bulk_create(
        AuditionEvent(
            audition_id=pk,
            action=AuditionEvent.Action.EXPIRED,
            changes={"status": ["open", "expired"]},
            note=reasons[pk],
            created_at=now,
        )
        for pk in due
    )
    return len(due)


# --- Feed points ------------------------------------------------------------------------------


def auditions_feed_points_refresh(*, today: date, ids: list[Any] | None = None) -> int:
    """Rewrite `feed_points` where it is no longer what `today` gives (open auditions, or the
    given ones): one UPDATE, touching only the rows whose band moved. Returns how many."""
    value = feed_points.expression(today)
    rows = (
        Audition.objects.filter(pk__in=ids)
        if ids is not None
        else Audition.objects.filter(status=Audition.Status.OPEN)
    )
    return rows.filter(~Q(feed_points=value)).update(feed_points=value)
