"""Crawled listings into the catalogue, one way down: `types` (the plain data crawlers fill and
get back) <- `values` (a listing's rows and values, no queries) <- `listing` (one listing,
`audition_ingest_listing`) <- `batch` (many in one transaction, `audition_ingest_listings`).
The derived columns come from auditions.derived, as for staff edits. Import from here:
`from auditions.ingest import ListingData, audition_ingest_listings`."""

from auditions.ingest.batch import (
    Rejection,
    SeenItem,
    audition_ingest_listings,
    audition_listings_seen_unchanged,
)
from auditions.ingest.listing import audition_ingest_listing
from auditions.ingest.types import IngestResult, ListingData, RoleData
from auditions.ingest.values import LISTING_FIELDS, listing_content_hash

__all__ = [
    "LISTING_FIELDS",
    "IngestResult",
    "ListingData",
    "Rejection",
    "RoleData",
    "SeenItem",
    "audition_ingest_listing",
    "audition_ingest_listings",
    "audition_listings_seen_unchanged",
    "listing_content_hash",
]
