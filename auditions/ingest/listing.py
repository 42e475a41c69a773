"""The one-listing ingest path: a crawled listing becomes a new audition, an update of the one
it already is, a second listing of a call another site posted (merged), or just "seen"."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from auditions import posters
from auditions.derived import arrival_status, audition_save, quarantine_record
from auditions.history import audition_event_record
from auditions.ingest.types import IngestResult, ListingData, RoleData
from auditions.ingest.values import (
    MERGE_CANDIDATES,
    best_duplicate,
    clip,
    listing_content_hash,
    listing_rejected,
    listing_values,
    role_objects,
)
from auditions.models import Advertiser, Audition, AuditionEvent, Role, Source, SourceListing
from auditions.text import canonical_url, is_valid_url, normalize_company, normalize_title


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
    best = best_duplicate(title, company, candidates)
    return Audition.objects.select_for_update().get(pk=best) if best else None


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
        raise listing_rejected("The listing has no title.")
    if not is_valid_url((listing.url or "").strip()):
        raise listing_rejected(f"The listing's URL is not a valid http(s) URL: {listing.url!r}.")
    source = Source.objects.filter(slug=listing.source_slug).first()
    if source is None:
        raise listing_rejected(f"Unknown source {listing.source_slug!r}.")

    canonical = canonical_url(listing.url)
    content_hash = listing_content_hash(listing)
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

    values = listing_values(listing)

    if existing is not None:
        existing.url = listing.url.strip()[:1000]
        existing.canonical_url = canonical[:1000]
        existing.external_id = clip(listing.external_id, 200) or existing.external_id
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
        audition_save(duplicate)  # the trust assessment counts postings again
        audition_event_record(
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
    audition.advertiser = _advertiser(audition, seen_at)
    audition_save(audition)
    Role.objects.bulk_create(role_objects(audition, listing.roles))
    created = _create_listing(
        audition, source, listing, canonical, content_hash, seen_at, primary=True
    )
    audition_event_record(
        audition, AuditionEvent.Action.CREATED, note=f"Crawled from {source.name}"
    )
    quarantine_record(audition)
    if why:
        changes = {"status": [None, status]}
        audition_event_record(audition, AuditionEvent.Action.EXPIRED, changes=changes, note=why)
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
        external_id=clip(listing.external_id, 200),
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
        raise listing_rejected(error.messages[0]) from error
    created.save()
    return created


def _advertiser(audition: Audition, seen_at: datetime) -> Advertiser | None:
    """The poster behind the call's contact (auditions.posters), found or made."""
    return posters.advertisers_resolve(
        [(posters.audition_keys(audition), audition.company)], seen_at
    )[0]


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
        new_roles = role_objects(audition, roles)
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
    if audition.advertiser_id is None:  # a poster staff merged it into stays its poster
        audition.advertiser = _advertiser(audition, timezone.now())
    audition_save(audition)
    if changes:
        audition_event_record(audition, AuditionEvent.Action.UPDATED, changes=changes, note=note)
