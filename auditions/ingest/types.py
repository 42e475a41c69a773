"""The ingest interface between crawlers and the catalogue: plain data, no Django models.

Crawler pipelines fill a `ListingData` and hand it to
`auditions.ingest.audition_ingest_listing` (or, in batches, `audition_ingest_listings`), which
answers with an `IngestResult`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from uuid import UUID


@dataclass
class RoleData:
    name: str
    gender: str = "any"
    age_min: int | None = None
    age_max: int | None = None
    height_min_cm: int | None = None
    height_max_cm: int | None = None
    headcount: int | None = None
    description: str = ""


@dataclass
class ListingData:
    source_slug: str
    url: str
    title: str
    category: str = "other"
    external_id: str = ""
    company: str = ""
    description: str = ""
    production_type: str = ""
    director: str = ""
    casting_director: str = ""
    region: str = ""
    location: str = ""
    pay_type: str = "unknown"
    pay_amount_min: int | None = None
    pay_amount_max: int | None = None
    pay_unit: str = ""
    pay_currency: str = "KRW"
    pay_raw: str = ""
    deadline: date | None = None
    deadline_raw: str = ""
    shoot_start: date | None = None
    shoot_end: date | None = None
    posted_at: datetime | None = None
    apply_method: str = "external_url"
    apply_target: str = ""
    # The post refuses third-party submissions (대리 접수 불가, 본인이 직접 지원): the performer
    # must apply herself, never the platform for her.
    apply_direct_only: bool = False
    # The e-mail subject the post asks for, as written (`[배역/이름/나이]`); "" when none.
    apply_subject_format: str = ""
    required_media: list[str] = field(default_factory=list)
    contact_raw: str = ""
    roles: list[RoleData] = field(default_factory=list)
    # The original text of every field, as the site showed it.
    raw: dict[str, str] = field(default_factory=dict)
    # The crawler's fingerprint of the raw item (see SourceListing.raw_fingerprint); stored
    # with the listing, not part of its content hash. Empty: none.
    raw_fingerprint: str = ""
    # The crawler's normaliser version that read `raw` into this listing (see
    # SourceListing.normaliser_version); like the fingerprint, not part of the content hash.
    # 0: unknown.
    normaliser_version: int = 0


Outcome = Literal["created", "updated", "unchanged", "merged"]


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    audition_id: UUID
    listing_id: int
