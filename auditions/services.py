"""Every write to the catalogue. Views, the admin, tasks and crawler pipelines call these."""

import dataclasses
import functools
import hashlib
import json
import operator
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone
from rapidfuzz import fuzz

from accounts.models import Member
from auditions import feed_points, search, trust
from auditions.ingest import IngestResult, ListingData, RoleData
from auditions.models import (
    ApplyMethod,
    Audition,
    AuditionEvent,
    Bookmark,
    Category,
    Gender,
    PayType,
    PayUnit,
    Region,
    Role,
    Source,
    SourceListing,
)
from auditions.text import (
    canonical_url,
    is_valid_url,
    normalize_company,
    normalize_title,
)
from ohmanager.exceptions import Conflict, InvalidInput, NotFound

# The audition fields a listing fills; a staff edit of any of them locks it against crawls.
LISTING_FIELDS = (
    "title",
    "category",
    "company",
    "description",
    "production_type",
    "director",
    "casting_director",
    "region",
    "location",
    "pay_type",
    "pay_amount_min",
    "pay_amount_max",
    "pay_unit",
    "pay_currency",
    "pay_raw",
    "deadline",
    "deadline_raw",
    "shoot_start",
    "shoot_end",
    "posted_at",
    "apply_method",
    "apply_target",
    "required_media",
    "contact_raw",
)
# Staff may edit these; the admin's role inline locks "roles" (the role list as a whole).
STAFF_FIELDS = (*LISTING_FIELDS, "status")
# Publish, hide, close: the statuses a person sets. Expired and merged have their own services.
STAFF_STATUSES = (Audition.Status.OPEN, Audition.Status.HIDDEN, Audition.Status.CLOSED)

# Cross-source duplicates: same deadline, titles this similar (0-100) and companies this
# similar (or both unnamed, then the title must be closer still).
MERGE_TITLE_SIMILARITY = 88
MERGE_TITLE_SIMILARITY_NO_COMPANY = 95
MERGE_COMPANY_SIMILARITY = 85
MERGE_CANDIDATES = 200


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


# --- Derived columns ------------------------------------------------------------------------


def _refresh_derived(audition: Audition, *, repost_count: int | None = None) -> None:
    """Normalised title/company, the search document, the trust assessment and the feed's
    member-independent points: recomputed from the audition's own fields before every save.
    A batch passes `repost_count`, counted for the whole batch at once (ingest_batch)."""
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
            repost_count=_repost_count(audition) if repost_count is None else repost_count,
        )
    )
    audition.feed_points = feed_points.for_audition(audition, seoul_today())


def _repost_count(audition: Audition) -> int:
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


def _save(audition: Audition) -> None:
    _refresh_derived(audition)
    try:
        audition.full_clean(exclude=["duplicate_of"])
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error
    audition.save()


def _record(
    audition: Audition,
    action: str,
    *,
    actor: Member | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    AuditionEvent.objects.create(
        audition=audition,
        actor=actor,
        action=action,
        changes=json.loads(json.dumps(changes or {}, default=str)),
        note=note[:300],
    )


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


# --- Ingest ---------------------------------------------------------------------------------


def _reject(reason: str) -> InvalidInput:
    return InvalidInput(reason, code="listing_rejected")


# The content hash leaves out the raw fingerprint and the normaliser version: they say where
# the content came from, not what it is (and stored hashes stay valid).
_LISTING_PROVENANCE_FIELDS = ("raw_fingerprint", "normaliser_version")
_LISTING_DATA_FIELDS = tuple(
    f.name for f in dataclasses.fields(ListingData) if f.name not in _LISTING_PROVENANCE_FIELDS
)
_ROLE_DATA_FIELDS = tuple(f.name for f in dataclasses.fields(RoleData))


def _content_hash(listing: ListingData) -> str:
    # The JSON of `dataclasses.asdict(listing)` (stored hashes stay valid), built without
    # asdict's deep copies: they were a third of an unchanged listing's cost.
    data = {name: getattr(listing, name) for name in _LISTING_DATA_FIELDS}
    data["roles"] = [
        {name: getattr(role, name) for name in _ROLE_DATA_FIELDS} for role in listing.roles
    ]
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _clip(value: str, length: int) -> str:
    return (value or "").strip()[:length]


def _listing_values(listing: ListingData) -> dict[str, Any]:
    """The audition's fields from a crawled listing, coerced into the model's vocabulary:
    an unknown code becomes the neutral value rather than rejecting the whole call."""
    field = Audition._meta.get_field
    values: dict[str, Any] = {}
    for name in LISTING_FIELDS:
        value = getattr(listing, name)
        if isinstance(value, str) and getattr(field(name), "max_length", None):
            value = _clip(value, field(name).max_length)
        values[name] = value
    values["description"] = (listing.description or "").strip()
    if values["category"] not in Category.values:
        values["category"] = Category.OTHER
    if values["region"] not in Region.values:
        values["region"] = ""
    if values["pay_type"] not in PayType.values:
        values["pay_type"] = PayType.UNKNOWN
    if values["pay_unit"] not in PayUnit.values:
        values["pay_unit"] = ""
    if values["apply_method"] not in ApplyMethod.values:
        values["apply_method"] = ApplyMethod.EXTERNAL_URL
    values["pay_currency"] = (values["pay_currency"] or "KRW").upper()[:3]
    low, high = values["pay_amount_min"], values["pay_amount_max"]
    if low is not None and high is not None and low > high:
        values["pay_amount_min"], values["pay_amount_max"] = high, low
    start, end = values["shoot_start"], values["shoot_end"]
    if start and end and start > end:
        values["shoot_start"], values["shoot_end"] = end, start
    values["required_media"] = [str(item)[:50] for item in (listing.required_media or [])]
    if values["posted_at"] is not None and timezone.is_naive(values["posted_at"]):
        values["posted_at"] = timezone.make_aware(values["posted_at"])
    return values


def _role_objects(audition: Audition, roles: list[RoleData]) -> list[Role]:
    objects = []
    for position, data in enumerate(roles):
        age_min, age_max = data.age_min, data.age_max
        if age_min is not None and age_max is not None and age_min > age_max:
            age_min, age_max = age_max, age_min
        role = Role(
            audition=audition,
            position=position,
            name=_clip(data.name, 200) or "-",
            gender=data.gender if data.gender in Gender.values else Gender.ANY,
            age_min=age_min,
            age_max=age_max,
            height_min_cm=data.height_min_cm,
            height_max_cm=data.height_max_cm,
            headcount=data.headcount,
            description=(data.description or "").strip(),
        )
        try:
            # No unique check (a fresh UUID) and no constraint query (the ages are ordered
            # above): a query or two per role otherwise, for nothing the database won't hold.
            role.full_clean(exclude=["audition"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise _reject(f"role {position + 1}: {error.messages[0]}") from error
        objects.append(role)
    return objects


def _find_listing(source: Source, listing: ListingData, canonical: str) -> SourceListing | None:
    listings = SourceListing.objects.select_for_update().filter(source=source)
    found = None
    if listing.external_id:
        found = listings.filter(external_id=listing.external_id).first()
    return found or listings.filter(canonical_url=canonical).first()


def _find_duplicate(source: Source, values: dict[str, Any]) -> Audition | None:
    """An audition first seen on another site that is this call: same deadline, fuzzy-equal
    normalised title and company. Only dated calls merge: a rolling call has nothing to pin
    two similar titles to one production."""
    if values["deadline"] is None:
        return None
    title = normalize_title(values["title"])
    company = normalize_company(values["company"])
    candidates = Audition.objects.filter(deadline=values["deadline"]).exclude(
        status=Audition.Status.MERGED
    )
    if connection.vendor == "postgresql":
        # pg_trgm's `%` under a GIN index narrows a busy deadline to similar titles.
        candidates = candidates.filter(title_norm__trigram_similar=title)
    candidates = candidates.exclude(listings__source=source).values_list(
        "id", "title_norm", "company_norm"
    )[:MERGE_CANDIDATES]
    best = _best_duplicate(title, company, candidates)
    return Audition.objects.select_for_update().get(pk=best) if best else None


def _best_duplicate(
    title: str, company: str, candidates: Iterable[tuple[UUID, str, str]]
) -> UUID | None:
    """The candidate (id, title_norm, company_norm) that is the same call, if any."""
    best: tuple[float, UUID] | None = None
    for audition_id, other_title, other_company in candidates:
        # Word order and spacing vary between boards (주연 배우 / 주연배우).
        title_score = max(
            fuzz.token_sort_ratio(title, other_title),
            fuzz.ratio(title.replace(" ", ""), other_title.replace(" ", "")),
        )
        if company and other_company:
            if fuzz.ratio(company, other_company) < MERGE_COMPANY_SIMILARITY:
                continue
            if title_score < MERGE_TITLE_SIMILARITY:
                continue
        elif company or other_company or title_score < MERGE_TITLE_SIMILARITY_NO_COMPANY:
            continue
        if best is None or title_score > best[0]:
            best = (title_score, audition_id)
    return best[1] if best else None


@transaction.atomic
def audition_ingest_listing(
    *, listing: ListingData, seen_at: datetime | None = None, note: str = ""
) -> IngestResult:
    """Creates, updates, merges or just marks as seen the audition a crawled listing shows.

    Identity within a source is the external id, else the canonical URL. Unchanged content
    only bumps `last_seen_at`. Fields staff edited are never overwritten. `note` goes on the
    audit event of an update (e.g. why a listing was read again without a crawl).
    """
    seen_at = seen_at or timezone.now()
    if not (listing.title or "").strip():
        raise _reject("The listing has no title.")
    if not is_valid_url((listing.url or "").strip()):
        raise _reject(f"The listing's URL is not a valid http(s) URL: {listing.url!r}.")
    source = Source.objects.filter(slug=listing.source_slug).first()
    if source is None:
        raise _reject(f"Unknown source {listing.source_slug!r}.")

    canonical = canonical_url(listing.url)
    content_hash = _content_hash(listing)
    existing = _find_listing(source, listing, canonical)

    if existing is not None and existing.content_hash == content_hash:
        seen = {"last_seen_at": seen_at}
        if listing.raw_fingerprint and listing.raw_fingerprint != existing.raw_fingerprint:
            seen["raw_fingerprint"] = listing.raw_fingerprint  # e.g. a new normaliser version
        if listing.normaliser_version and (
            listing.normaliser_version != existing.normaliser_version
        ):
            seen["normaliser_version"] = listing.normaliser_version
        SourceListing.objects.filter(pk=existing.pk).update(**seen)
        return IngestResult("unchanged", existing.audition_id, existing.pk)

    values = _listing_values(listing)

    if existing is not None:
        existing.url = listing.url.strip()[:1000]
        existing.canonical_url = canonical[:1000]
        existing.external_id = _clip(listing.external_id, 200) or existing.external_id
        existing.content_hash = content_hash
        existing.raw_fingerprint = listing.raw_fingerprint  # empty if unknown: never stale
        existing.raw = listing.raw
        existing.normaliser_version = listing.normaliser_version
        existing.last_seen_at = seen_at
        existing.full_clean(exclude=["audition", "source"])
        existing.save()
        if existing.is_primary:
            audition = Audition.objects.select_for_update().get(pk=existing.audition_id)
            _apply_crawl(audition, values, listing.roles, note=note)
        return IngestResult("updated", existing.audition_id, existing.pk)

    duplicate = _find_duplicate(source, values)
    if duplicate is not None:
        created = _create_listing(
            duplicate, source, listing, canonical, content_hash, seen_at, primary=False
        )
        _save(duplicate)  # the trust assessment counts postings again
        _record(
            duplicate,
            AuditionEvent.Action.LISTING_MERGED,
            changes={"url": listing.url},
            note=f"Also seen on {source.name}",
        )
        return IngestResult("merged", duplicate.pk, created.pk)

    if values["posted_at"] is None:
        values["posted_at"] = seen_at
    status, why = arrival_status(values, seen_at)
    audition = Audition(status=status, **values)
    _save(audition)
    Role.objects.bulk_create(_role_objects(audition, listing.roles))
    created = _create_listing(
        audition, source, listing, canonical, content_hash, seen_at, primary=True
    )
    _record(audition, AuditionEvent.Action.CREATED, note=f"Crawled from {source.name}")
    if why:
        changes = {"status": [None, status]}
        _record(audition, AuditionEvent.Action.EXPIRED, changes=changes, note=why)
    return IngestResult("created", audition.pk, created.pk)


def _create_listing(
    audition: Audition,
    source: Source,
    listing: ListingData,
    canonical: str,
    content_hash: str,
    seen_at: datetime,
    *,
    primary: bool,
) -> SourceListing:
    created = SourceListing(
        audition=audition,
        source=source,
        url=listing.url.strip()[:1000],
        canonical_url=canonical[:1000],
        external_id=_clip(listing.external_id, 200),
        is_primary=primary,
        first_seen_at=seen_at,
        last_seen_at=seen_at,
        content_hash=content_hash,
        raw_fingerprint=listing.raw_fingerprint,
        raw=listing.raw,
        normaliser_version=listing.normaliser_version,
    )
    try:
        created.full_clean(exclude=["audition", "source"], validate_constraints=False)
    except ValidationError as error:
        raise _reject(error.messages[0]) from error
    created.save()
    return created


def _apply_crawl(
    audition: Audition, values: dict[str, Any], roles: list[RoleData], *, note: str = ""
) -> None:
    locked = set(audition.staff_locked_fields)
    changes = {}
    for name, value in values.items():
        if name in locked or (name == "posted_at" and value is None):
            continue
        if getattr(audition, name) != value:
            changes[name] = [getattr(audition, name), value]
            setattr(audition, name, value)
    if "roles" not in locked:
        new_roles = _role_objects(audition, roles)
        keys = (
            "name",
            "gender",
            "age_min",
            "age_max",
            "height_min_cm",
            "height_max_cm",
            "headcount",
            "description",
        )
        old = [tuple(getattr(r, k) for k in keys) for r in audition.roles.all()]
        new = [tuple(getattr(r, k) for k in keys) for r in new_roles]
        if old != new:
            audition.roles.all().delete()
            Role.objects.bulk_create(new_roles)
            changes["roles"] = [len(old), len(new)]
    _save(audition)
    if changes:
        _record(audition, AuditionEvent.Action.UPDATED, changes=changes, note=note)


# --- Staff ----------------------------------------------------------------------------------


@transaction.atomic
def audition_staff_save(
    *, audition: Audition, actor: Member | None, roles: list[RoleData] | None = None
) -> Audition:
    """Saves a staff member's new or edited audition (the admin form, or the two helpers
    below). Every listing field an edit changes is locked against later crawls."""
    if audition._state.adding:
        _save(audition)
        Role.objects.bulk_create(_role_objects(audition, roles or []))
        _record(audition, AuditionEvent.Action.CREATED, actor=actor, note="Entered by staff")
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
    _save(audition)
    if changes:
        _record(audition, AuditionEvent.Action.EDITED, actor=actor, changes=changes)
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


def audition_update(*, audition: Audition, actor: Member | None, data: dict[str, Any]) -> Audition:
    for name, value in _checked(data).items():
        setattr(audition, name, value)
    return audition_staff_save(audition=audition, actor=actor)


@transaction.atomic
def audition_roles_edited(*, audition: Audition, actor: Member | None) -> Audition:
    """Staff changed the role list (admin inline): it stays theirs from now on."""
    if "roles" not in audition.staff_locked_fields:
        audition.staff_locked_fields = sorted({*audition.staff_locked_fields, "roles"})
        audition.save(update_fields=["staff_locked_fields", "updated_at"])
    _record(audition, AuditionEvent.Action.EDITED, actor=actor, changes={"roles": "edited"})
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
    _record(audition, AuditionEvent.Action.STATUS, actor=actor, changes={"status": [old, status]})
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
    _record(
        duplicate,
        AuditionEvent.Action.MERGED,
        actor=actor,
        changes={"status": [old_status, "merged"], "into": str(into.pk)},
    )
    into = Audition.objects.select_for_update().get(pk=into.pk)
    _save(into)
    _record(
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


# --- Member marks: bookmarks, dismissals ---------------------------------------------------
#
# A member's mark on a public audition: one row per member and audition (a unique constraint),
# set and cleared idempotently. Bookmarks live here; dismissals (auditions/dismissals.py) use
# the same two functions.


def _public_audition(audition_id: UUID) -> Audition:
    audition = Audition.objects.filter(pk=audition_id, status__in=Audition.PUBLIC_STATUSES).first()
    if audition is None:
        raise NotFound("No such audition.", code="audition_not_found")
    return audition


@transaction.atomic
def member_mark_add(model: type[Any], *, member: Member, audition_id: UUID) -> Any:
    """Marking twice keeps the first mark; 404 for an audition performers cannot see."""
    audition = _public_audition(audition_id)
    try:
        with transaction.atomic():
            mark, _ = model.objects.get_or_create(member=member, audition=audition)
    except IntegrityError:  # a concurrent request won the race: same outcome
        mark = model.objects.get(member=member, audition=audition)
    return mark


@transaction.atomic
def member_mark_remove(model: type[Any], *, member: Member, audition_id: UUID) -> None:
    """Clearing a mark that is not there succeeds; 404 for an audition performers cannot see."""
    _public_audition(audition_id)
    model.objects.filter(member=member, audition_id=audition_id).delete()


def bookmark_add(*, member: Member, audition_id: UUID) -> Bookmark:
    return member_mark_add(Bookmark, member=member, audition_id=audition_id)


def bookmark_remove(*, member: Member, audition_id: UUID) -> None:
    member_mark_remove(Bookmark, member=member, audition_id=audition_id)


# Batch ingest for crawl pipelines; it builds on the ingest helpers above.
from auditions.ingest_batch import (  # noqa: E402, F401
    Rejection,
    SeenItem,
    audition_ingest_listings,
    audition_listings_seen_unchanged,
)
