"""From a crawled listing (auditions.ingest.types) to the catalogue's rows and values: no queries.

Shared by the one-listing path (auditions.ingest.listing), the batch path
(auditions.ingest.batch) and the staff services, which build roles from `RoleData` too.
"""

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from rapidfuzz import fuzz

from auditions.ingest.types import ListingData, RoleData
from auditions.models import ApplyMethod, Audition, Category, Gender, PayType, PayUnit, Region, Role
from ohmanager.exceptions import InvalidInput

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
    "apply_direct_only",
    "apply_subject_format",
    "required_media",
    "contact_raw",
)

# Cross-source duplicates: same deadline, titles this similar (0-100) and companies this
# similar (or both unnamed, then the title must be closer still).
MERGE_TITLE_SIMILARITY = 88
MERGE_TITLE_SIMILARITY_NO_COMPANY = 95
MERGE_COMPANY_SIMILARITY = 85
MERGE_CANDIDATES = 200


def listing_rejected(reason: str) -> InvalidInput:
    return InvalidInput(reason, code="listing_rejected")


# The content hash leaves out the raw fingerprint and the normaliser version: they say where
# the content came from, not what it is (and stored hashes stay valid).
_LISTING_PROVENANCE_FIELDS = ("raw_fingerprint", "normaliser_version")
_LISTING_DATA_FIELDS = tuple(
    f.name for f in dataclasses.fields(ListingData) if f.name not in _LISTING_PROVENANCE_FIELDS
)
_ROLE_DATA_FIELDS = tuple(f.name for f in dataclasses.fields(RoleData))


def listing_content_hash(listing: ListingData) -> str:
    # The JSON of `dataclasses.asdict(listing)` (stored hashes stay valid), built without
    # asdict's deep copies: they were a third of an unchanged listing's cost.
    data = {name: getattr(listing, name) for name in _LISTING_DATA_FIELDS}
    data["roles"] = [
        {name: getattr(role, name) for name in _ROLE_DATA_FIELDS} for role in listing.roles
    ]
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def clip(value: str, length: int) -> str:
    return (value or "").strip()[:length]


def listing_values(listing: ListingData) -> dict[str, Any]:
    """The audition's fields from a crawled listing, coerced into the model's vocabulary:
    an unknown code becomes the neutral value rather than rejecting the whole call."""
    field = Audition._meta.get_field
    values: dict[str, Any] = {}
    for name in LISTING_FIELDS:
        value = getattr(listing, name)
        if isinstance(value, str) and getattr(field(name), "max_length", None):
            value = clip(value, field(name).max_length)
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


def role_objects(audition: Audition, roles: list[RoleData]) -> list[Role]:
    objects = []
    for position, data in enumerate(roles):
        age_min, age_max = data.age_min, data.age_max
        if age_min is not None and age_max is not None and age_min > age_max:
            age_min, age_max = age_max, age_min
        role = Role(
            audition=audition,
            position=position,
            name=clip(data.name, 200) or "-",
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
            raise listing_rejected(f"role {position + 1}: {error.messages[0]}") from error
        objects.append(role)
    return objects


def best_duplicate(
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
