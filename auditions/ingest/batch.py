"""Batch ingest: many crawled listings in one transaction and a handful of queries.

`audition_ingest_listings` gives every listing the outcome `audition_ingest_listing` would
(created, updated, unchanged, merged, or a rejection with its reason), but for the common
cases it works on the whole batch at once:

- the sources, the existing listings (by external id or canonical URL), the merge candidates
  and the repost counts are each looked up in one query for the batch;
- unchanged listings (same content hash) get one `UPDATE ... last_seen_at`;
- new auditions are validated in Python (`full_clean` without the per-row unique and
  constraint queries: the pk is a fresh UUID, the listing's identity was just looked up, and
  the ranges the check constraints hold are put in order by `listing_values`/`role_objects`)
  and written with one `bulk_create` per table (auditions, roles, listings, audit events),
  their search document and trust flags computed as the single-item path computes them.

The rare ones, a changed listing, a call another site already posted (merge), a listing the
same batch already touched, go through `audition_ingest_listing` one by one, each in its own
savepoint. If the bulk part fails in the database, its savepoint is rolled back and the
batch's listings are ingested one by one instead, so a bad item costs only itself. The whole
batch is one transaction: a crawl that dies mid-batch leaves nothing of it.

Batches are cut where the source changes, so a listing still sees every listing of another
source that came before it (cross-source merges behave as if ingested in order).
"""

from __future__ import annotations

import functools
import itertools
import logging
import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from auditions import posters, trust
from auditions.derived import arrival_status, audition_derive, quarantine_event
from auditions.ingest import values as listing_rows
from auditions.ingest.listing import audition_ingest_listing
from auditions.ingest.types import IngestResult, ListingData
from auditions.models import Audition, AuditionEvent, Role, Source, SourceListing
from auditions.text import canonical_url, is_valid_url, normalize_company, normalize_title
from ohmanager.exceptions import InvalidInput

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rejection:
    """A listing that was not ingested. `kind` "rejected": it cannot make an audition (the
    reason says why); "failed": a bug or a database error on this listing alone."""

    kind: Literal["rejected", "failed"]
    reason: str
    error: Exception


Outcome = IngestResult | Rejection


@dataclass
class _Item:
    index: int
    listing: ListingData
    source: Source
    canonical: str
    content_hash: str
    keys: frozenset[tuple[str, int, str]]


def audition_ingest_listings(
    *, listings: list[ListingData], seen_at: datetime | None = None
) -> list[Outcome]:
    """One outcome per listing, in order (see the module docstring). Never raises for one
    listing's sake; raises only if the batch's transaction itself is lost."""
    seen_at = seen_at or timezone.now()
    results: list[Outcome | None] = [None] * len(listings)
    with transaction.atomic():
        sources = {
            source.slug: source
            for source in Source.objects.filter(
                slug__in={listing.source_slug for listing in listings}
            )
        }
        for _, run in itertools.groupby(enumerate(listings), key=lambda pair: pair[1].source_slug):
            items = []
            for index, listing in run:
                try:
                    items.append(_prepare(index, listing, sources))
                except InvalidInput as error:
                    results[index] = Rejection("rejected", error.message, error)
            if items:
                _ingest_run(items, seen_at, results)
        if transaction.get_rollback():  # a failure the savepoints could not contain
            raise DatabaseError("The batch's transaction was lost; nothing of it was written.")
    return [result for result in results if result is not None]


@dataclass(frozen=True)
class SeenItem:
    """What a crawler knows about a raw item before normalising it: its identity on the
    source (external id as normalised, URL) and its raw fingerprint."""

    external_id: str
    url: str
    raw_fingerprint: str


def audition_listings_seen_unchanged(
    *, source_slug: str, items: list[SeenItem], seen_at: datetime | None = None
) -> list[IngestResult | None]:
    """For each raw item, "unchanged" if the listing it is on this source (external id, else
    canonical URL, as `audition_ingest_listing` finds it) was last written from a raw item
    with the same fingerprint, and its `last_seen_at` bumped (one UPDATE for all); None for
    the rest, which the crawler normalises and ingests as usual. An item whose identity
    another item of the same call shares is never skipped: ingesting them in order decides.
    Two queries whatever the number of items (three with the source look-up)."""
    seen_at = seen_at or timezone.now()
    results: list[IngestResult | None] = [None] * len(items)
    source = Source.objects.filter(slug=source_slug).only("id").first()
    if source is None:
        return results
    keyed: list[tuple[int, SeenItem, str]] = []
    for index, item in enumerate(items):
        if not item.raw_fingerprint or not is_valid_url((item.url or "").strip()):
            continue
        keyed.append((index, item, canonical_url(item.url)))
    uses: dict[tuple[str, str], int] = defaultdict(int)
    for _, item, canonical in keyed:
        uses[("url", canonical)] += 1
        if item.external_id:
            uses[("ext", item.external_id)] += 1
    keyed = [
        (index, item, canonical)
        for index, item, canonical in keyed
        if uses[("url", canonical)] == 1
        and (not item.external_id or uses[("ext", item.external_id)] == 1)
    ]
    if not keyed:
        return results
    existing = _listings_by_key(
        source,
        {item.external_id for _, item, _ in keyed if item.external_id},
        {canonical for _, _, canonical in keyed},
    )
    unchanged = []
    for index, item, canonical in keyed:
        found = existing.get(("ext", item.external_id)) if item.external_id else None
        found = found or existing.get(("url", canonical))
        if found is not None and found.raw_fingerprint == item.raw_fingerprint:
            unchanged.append(found.pk)
            results[index] = IngestResult("unchanged", found.audition_id, found.pk)
    if unchanged:
        SourceListing.objects.filter(pk__in=unchanged).update(last_seen_at=seen_at)
    return results


def _prepare(index: int, listing: ListingData, sources: dict[str, Source]) -> _Item:
    """The checks `audition_ingest_listing` makes before touching the database, in its order."""
    if not (listing.title or "").strip():
        raise listing_rows.listing_rejected("The listing has no title.")
    if not is_valid_url((listing.url or "").strip()):
        raise listing_rows.listing_rejected(
            f"The listing's URL is not a valid http(s) URL: {listing.url!r}."
        )
    source = sources.get(listing.source_slug)
    if source is None:
        raise listing_rows.listing_rejected(f"Unknown source {listing.source_slug!r}.")
    canonical = canonical_url(listing.url)
    keys = {("url", source.pk, canonical)}
    if listing.external_id:
        keys.add(("ext", source.pk, listing.external_id))
    return _Item(
        index,
        listing,
        source,
        canonical,
        listing_rows.listing_content_hash(listing),
        frozenset(keys),
    )


def _ingest_run(items: list[_Item], seen_at: datetime, results: list[Outcome | None]) -> None:
    """One source's consecutive listings: in bulk, or one by one if the bulk write fails."""
    try:
        with transaction.atomic():
            one_by_one = _ingest_bulk(items, seen_at, results)
    except Exception:
        logger.warning("bulk ingest failed; ingesting the batch one by one", exc_info=True)
        for item in items:
            results[item.index] = None
        one_by_one = items
    for item in one_by_one:
        results[item.index] = _ingest_one(item.listing, seen_at)


def _ingest_one(listing: ListingData, seen_at: datetime) -> Outcome:
    try:
        return audition_ingest_listing(listing=listing, seen_at=seen_at)
    except InvalidInput as error:
        return Rejection("rejected", error.message, error)
    except Exception as error:  # its savepoint rolled it back; the others go on
        logger.exception("ingesting %s failed", listing.url)
        return Rejection("failed", f"{type(error).__name__}: {error}", error)


def _ingest_bulk(
    items: list[_Item], seen_at: datetime, results: list[Outcome | None]
) -> list[_Item]:
    """Writes the unchanged and the new listings in bulk; returns the rest, to be ingested
    one by one after."""
    source = items[0].source
    existing = _existing_listings(source, items)

    claimed: set[tuple[str, int, str]] = set()
    unchanged: list[int] = []
    refingerprinted: list[SourceListing] = []
    new: list[_Item] = []
    one_by_one: list[_Item] = []
    for item in items:
        found = _match(existing, item)
        keys = set(item.keys)
        if found is not None:
            keys |= {("url", source.pk, found.canonical_url), ("ext", source.pk, found.external_id)}
        if keys & claimed:  # an earlier listing of this batch is (or makes) the same one
            one_by_one.append(item)
        elif found is None:
            new.append(item)
        elif found.content_hash == item.content_hash:
            fingerprint = item.listing.raw_fingerprint
            version = item.listing.normaliser_version
            if (fingerprint and fingerprint != found.raw_fingerprint) or (
                version and version != found.normaliser_version
            ):
                # Same content from a raw item the stored fingerprint does not describe (a
                # new normaliser version, another reference date): remember this one.
                found.raw_fingerprint = fingerprint or found.raw_fingerprint
                found.normaliser_version = version or found.normaliser_version
                found.last_seen_at = seen_at
                refingerprinted.append(found)
            else:
                unchanged.append(found.pk)
            results[item.index] = IngestResult("unchanged", found.audition_id, found.pk)
        else:
            one_by_one.append(item)
        claimed |= keys

    if unchanged:
        SourceListing.objects.filter(pk__in=unchanged).update(last_seen_at=seen_at)
    if refingerprinted:
        SourceListing.objects.bulk_update(
            refingerprinted, ["raw_fingerprint", "normaliser_version", "last_seen_at"]
        )
    if new:
        one_by_one.extend(_create(source, new, seen_at, results))
    one_by_one.sort(key=lambda item: item.index)
    return one_by_one


def _existing_listings(source: Source, items: list[_Item]) -> dict[tuple[str, str], Any]:
    return _listings_by_key(
        source,
        {item.listing.external_id for item in items if item.listing.external_id},
        {item.canonical for item in items},
    )


def _listings_by_key(
    source: Source, external_ids: set[str], canonicals: set[str]
) -> dict[tuple[str, str], Any]:
    """The source's listings by ("ext", external id) and ("url", canonical URL), the oldest
    first, as `listing._find_listing` picks them."""
    # `external_id <> ''` spelled out so the partial unique index serves the lookup.
    wanted = Q(canonical_url__in=canonicals)
    if external_ids:
        wanted |= Q(external_id__in=external_ids) & ~Q(external_id="")
    found: dict[tuple[str, str], Any] = {}
    for listing in (
        SourceListing.objects.filter(wanted, source=source)
        .only(
            "id",
            "audition_id",
            "external_id",
            "canonical_url",
            "content_hash",
            "raw_fingerprint",
            "normaliser_version",
        )
        .order_by("first_seen_at", "id")
    ):
        if listing.external_id:
            found.setdefault(("ext", listing.external_id), listing)
        found.setdefault(("url", listing.canonical_url), listing)
    return found


def _match(existing: dict[tuple[str, str], Any], item: _Item) -> Any:
    """As `listing._find_listing`: the external id first, else the canonical URL."""
    found = existing.get(("ext", item.listing.external_id)) if item.listing.external_id else None
    return found or existing.get(("url", item.canonical))


def _create(
    source: Source, items: list[_Item], seen_at: datetime, results: list[Outcome | None]
) -> list[_Item]:
    """Creates the new auditions that merge into nothing; returns those that would merge."""
    values = {item.index: listing_rows.listing_values(item.listing) for item in items}
    duplicates = _merge_candidates(source, items, values)
    creating = []
    one_by_one = []
    for item in items:
        if duplicates.get(item.index):
            one_by_one.append(item)  # rare: the full merge path, one by one
        else:
            creating.append(item)
    if not creating:
        return one_by_one

    for item in creating:
        if values[item.index]["posted_at"] is None:
            values[item.index]["posted_at"] = seen_at
    reposts = _RepostCounter(values[item.index] for item in creating)
    # The posters behind the new calls and their reply rates, for the whole batch (#18).
    advertisers = posters.advertisers_resolve(
        [
            (
                posters.contact_keys(
                    apply_target=values[item.index]["apply_target"],
                    contact_raw=values[item.index]["contact_raw"],
                    company=values[item.index]["company"],
                ),
                values[item.index]["company"],
            )
            for item in creating
        ],
        seen_at,
    )
    rates = posters.reply_rates(
        {a.pk for a in advertisers if a is not None and a.first_seen_at < seen_at}
    )

    auditions, roles, listings, events = [], [], [], []
    for item, advertiser in zip(creating, advertisers, strict=True):
        # An archive re-crawled arrives expired, as in `audition_ingest_listing`.
        status, why = arrival_status(values[item.index], seen_at)
        audition = Audition(status=status, advertiser=advertiser, **values[item.index])
        rate = rates.get(advertiser.pk) if advertiser is not None else None
        try:
            built = _build(audition, item, source, seen_at, reposts, rate)
        except InvalidInput as error:
            results[item.index] = Rejection("rejected", error.message, error)
            continue
        reposts.add(audition)
        auditions.append(audition)
        roles.extend(built[0])
        listings.append(built[1])
        events.append(
            AuditionEvent(
                audition=audition,
                action=AuditionEvent.Action.CREATED,
                changes={},
                note=f"Crawled from {source.name}"[:300],
            )
        )
        if why:
            events.append(
                AuditionEvent(
                    audition=audition,
                    action=AuditionEvent.Action.EXPIRED,
                    changes={"status": [None, status]},
                    note=why[:300],
                )
            )
        if (quarantined := quarantine_event(audition)) is not None:
            events.append(quarantined)
    Audition.objects.bulk_create(auditions)
    Role.objects.bulk_create(roles)
    SourceListing.objects.bulk_create(listings)
    AuditionEvent.objects.bulk_create(events)
    for audition, listing in zip(auditions, listings, strict=True):
        results[_index_of(listing)] = IngestResult("created", audition.pk, listing.pk)
    return one_by_one


def _build(
    audition: Audition,
    item: _Item,
    source: Source,
    seen_at: datetime,
    reposts: _RepostCounter,
    reply_rate: float | None,
) -> tuple[list[Role], SourceListing]:
    """Validates a new audition, its roles and its listing as `audition_ingest_listing` does,
    minus the queries (see the module docstring)."""
    audition_derive(audition, repost_count=reposts.count(audition), poster_reply_rate=reply_rate)
    try:
        audition.full_clean(
            exclude=["duplicate_of", "advertiser"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error
    roles = listing_rows.role_objects(audition, item.listing.roles)
    listing = SourceListing(
        audition=audition,
        source=source,
        url=item.listing.url.strip()[:1000],
        canonical_url=item.canonical[:1000],
        external_id=listing_rows.clip(item.listing.external_id, 200),
        is_primary=True,
        first_seen_at=seen_at,
        last_seen_at=seen_at,
        content_hash=item.content_hash,
        raw_fingerprint=item.listing.raw_fingerprint,
        raw=item.listing.raw,
        normaliser_version=item.listing.normaliser_version,
    )
    try:
        listing.full_clean(
            exclude=["audition", "source"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        raise listing_rows.listing_rejected(error.messages[0]) from error
    listing._ingest_index = item.index  # type: ignore[attr-defined]
    return roles, listing


def _index_of(listing: SourceListing) -> int:
    return listing._ingest_index  # type: ignore[attr-defined]


def _merge_candidates(
    source: Source, items: list[_Item], values: dict[int, dict[str, Any]]
) -> dict[int, UUID | None]:
    """For each new listing, the audition of another source it is the same call as (as
    `listing._find_duplicate` decides, same candidates and scoring), in one query for the batch."""
    wanted = {
        item.index: (
            values[item.index]["deadline"],
            normalize_title(values[item.index]["title"]),
            normalize_company(values[item.index]["company"]),
        )
        for item in items
        if values[item.index]["deadline"] is not None
    }
    if not wanted:
        return {}
    candidates: dict[int, list[tuple[UUID, str, str]]] = defaultdict(list)
    if connection.vendor == "postgresql":
        for index, *candidate in _trigram_candidates(source, wanted):
            candidates[index].append(tuple(candidate))
    else:
        by_deadline: dict[date, list[tuple[UUID, str, str]]] = defaultdict(list)
        rows = (
            Audition.objects.filter(deadline__in={deadline for deadline, _, _ in wanted.values()})
            .exclude(status=Audition.Status.MERGED)
            .exclude(listings__source=source)
            .values_list("deadline", "id", "title_norm", "company_norm")
        )
        for deadline, *candidate in rows:
            if len(by_deadline[deadline]) < listing_rows.MERGE_CANDIDATES:
                by_deadline[deadline].append(tuple(candidate))
        for index, (deadline, _, _) in wanted.items():
            candidates[index] = by_deadline[deadline]
    return {
        index: listing_rows.best_duplicate(title, company, candidates[index])
        for index, (_, title, company) in wanted.items()
        if candidates[index]
    }


def _trigram_candidates(
    source: Source, wanted: dict[int, tuple[date, str, str]]
) -> list[tuple[int, UUID, str, str]]:
    """`listing._find_duplicate`'s query for every listing at once: a LATERAL join over the
    batch."""
    audition = Audition._meta.db_table
    listing = SourceListing._meta.db_table
    rows = ", ".join(["(%s::int, %s::date, %s::text)"] * len(wanted))
    params: list[Any] = [value for index, (d, t, _) in wanted.items() for value in (index, d, t)]
    sql = f"""
        SELECT v.idx, a.id, a.title_norm, a.company_norm
        FROM (VALUES {rows}) AS v(idx, deadline, title)
        CROSS JOIN LATERAL (
            SELECT a.id, a.title_norm, a.company_norm, a.posted_at
            FROM {audition} a
            WHERE a.deadline = v.deadline
              AND NOT (a.status = %s)
              AND a.title_norm %% v.title
              -- the sources it was seen on, by audition: a NOT EXISTS with the source in it
              -- bitmap-ANDs the whole source's listings for every candidate.
              AND NOT (%s = ANY (ARRAY(
                  SELECT l.source_id FROM {listing} l WHERE l.audition_id = a.id
              )))
            ORDER BY a.posted_at DESC, a.id DESC
            LIMIT %s
        ) a
    """  # noqa: S608 (table names from the models; values are parameters)
    params += [Audition.Status.MERGED, source.pk, listing_rows.MERGE_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _RepostCounter:
    """`audition_repost_count` (auditions.derived) for a batch: earlier postings of the same
    normalised title and company within the window, from one query, plus those created
    earlier in this batch."""

    def __init__(self, values: Any) -> None:
        pairs = {}
        for value in values:
            title = normalize_title(value["title"])[:300]
            if title:
                pair = (title, normalize_company(value["company"])[:200])
                pairs[pair] = min(value["posted_at"], pairs.get(pair, value["posted_at"]))
        self.seen: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        if not pairs:
            return
        window = timedelta(days=trust.REPOST_WINDOW_DAYS)
        # One (title = … AND company = …) arm per pair: each an index scan on audition_repost.
        # `title_norm IN (…)` instead lets the planner pick the trigram GIN index, whose
        # equality search over common Hangul trigrams took a second per batch.
        same_call = functools.reduce(
            operator.or_, (Q(title_norm=title, company_norm=company) for title, company in pairs)
        )
        rows = (
            Audition.objects.filter(same_call, posted_at__gte=min(pairs.values()) - window)
            .exclude(status=Audition.Status.MERGED)
            .values_list("title_norm", "company_norm", "posted_at")
            .order_by()
        )
        for title, company, posted_at in rows:
            self.seen[(title, company)].append(posted_at)

    def count(self, audition: Audition) -> int:
        title = normalize_title(audition.title)[:300]
        if not title:
            return 1
        since = audition.posted_at - timedelta(days=trust.REPOST_WINDOW_DAYS)
        key = (title, normalize_company(audition.company)[:200])
        return sum(1 for posted_at in self.seen.get(key, ()) if posted_at >= since) + 1

    def add(self, audition: Audition) -> None:
        if audition.title_norm:
            self.seen[(audition.title_norm, audition.company_norm)].append(audition.posted_at)
