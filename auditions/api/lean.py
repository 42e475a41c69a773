"""The catalogue's lean read path: an audition's contract shape built from a plain row.

`GET auditions` (every filter, search, deep pages) and `GET auditions/{id}` read their rows as
dicts (`selectors.audition_rows`: `values()` over the same querysets the selectors build, so
which rows are listed is decided in one place) and shape them here, without a model instance
or a serializer per row. serializers.audition_dict is the same shape read from an Audition
instance (bookmarks, the feed) and stays the reference: test_lean_equivalence compares the two,
field for field, on a crafted catalogue.

A field added to the audition's shape is added to `audition_item` (and, if it is a column, to
selectors.LIST_COLUMNS); the equivalence test fails until both shapes agree.

UUIDs are left as UUID objects: the API's renderer (ohmanager.renderers) writes them as DRF's
encoder does (`str(uuid)`), natively. Dates and times are written out here, as audition_dict
writes them.
"""

from datetime import date, tzinfo
from typing import Any

from django.utils import timezone

from auditions import trust
from auditions.api.serializers import poster_dict
from auditions.selectors import status_shown


def audition_item(
    row: dict[str, Any], today: date, language: str = "ko", zone: tzinfo | None = None
) -> dict[str, Any]:
    """The contract's audition (docs/architecture.md#the-contract) from a row of
    `selectors.audition_rows` with its `role_rows`, `source_rows` and `poster_figures`
    attached; trust reasons in `language` (serializers.reader_language); times in `zone`
    (the current time zone when None)."""
    zone = timezone.get_current_timezone() if zone is None else zone
    deadline = row["deadline"]
    shoot_start = row["shoot_start"]
    shoot_end = row["shoot_end"]
    application_id = row.get("application_id")
    return {
        "id": row["id"],
        "title": row["title"],
        "category": row["category"],
        "company": row["company"],
        "description": row["description"],
        "production_type": row["production_type"],
        "director": row["director"],
        "casting_director": row["casting_director"],
        "region": row["region"] or None,
        "location": row["location"],
        "pay": {
            "type": row["pay_type"],
            "amount_min": row["pay_amount_min"],
            "amount_max": row["pay_amount_max"],
            "unit": row["pay_unit"] or None,
            "currency": row["pay_currency"],
            "raw": row["pay_raw"],
        },
        "deadline": deadline.isoformat() if deadline else None,
        "shoot_start": shoot_start.isoformat() if shoot_start else None,
        "shoot_end": shoot_end.isoformat() if shoot_end else None,
        # In the server's zone (Asia/Seoul) with its offset, as audition_dict writes it.
        "posted_at": row["posted_at"].astimezone(zone).isoformat(),
        "status": status_shown(row["status"], row["deadline_sort"], today),
        "roles": row["role_rows"],
        "sources": row["source_rows"],
        "apply": {
            "method": row["apply_method"],
            "target": row["apply_target"],
            "direct_only": row["apply_direct_only"],
            "subject_format": row["apply_subject_format"] or None,
        },
        "required_media": row["required_media"],
        "trust": {
            "score": row["trust_score"],
            "flags": trust.localized_flags(row["trust_flags"], language),
        },
        "poster": poster_dict(row["poster_figures"]),
        "is_bookmarked": bool(row.get("is_bookmarked", False)),
        "applied": application_id is not None,
        "application_id": application_id,
    }


def audition_items(
    rows: list[dict[str, Any]], today: date, language: str = "ko"
) -> list[dict[str, Any]]:
    zone = timezone.get_current_timezone()  # once per page, not per row (profiled)
    return [audition_item(row, today, language, zone) for row in rows]
