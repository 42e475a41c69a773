"""Every write to the catalogue, by topic; import from here: `from auditions import services`.

- `catalogue`: sources, staff edits (create, edit, status, merge), the expiry, feed points;
- `marks`: a member's bookmarks and dismissals;
- `saved_searches`: a member's saved searches;
- `alerts`: the saved searches' digests;
- `moderation`: members' reports, staff's decisions on calls and posters (#18);
- crawled listings come in through auditions.ingest, re-exported here.

Reads are in auditions.selectors; the columns every audition write derives in auditions.derived.
"""

from auditions.derived import arrival_status, rolling_max_age, seoul_today
from auditions.ingest import (
    IngestResult,
    Rejection,
    SeenItem,
    audition_ingest_listing,
    audition_ingest_listings,
    audition_listings_seen_unchanged,
)
from auditions.services.alerts import DigestResult, saved_search_notify
from auditions.services.catalogue import (
    STAFF_FIELDS,
    STAFF_STATUSES,
    audition_create,
    audition_merge,
    audition_roles_save,
    audition_set_status,
    audition_staff_save,
    auditions_expire,
    auditions_feed_points_refresh,
    source_listings_checked,
    source_upsert,
)
from auditions.services.marks import (
    bookmark_add,
    bookmark_remove,
    dismissal_add,
    dismissal_remove,
    member_mark_add,
    member_mark_remove,
)
from auditions.services.moderation import (
    Decision,
    ModerationResult,
    advertiser_block,
    advertiser_merge,
    audition_moderate,
    audition_report,
)
from auditions.services.saved_searches import (
    MAX_SAVED_SEARCHES,
    saved_search_create,
    saved_search_delete,
    saved_search_filters_clean,
    saved_search_update,
)

__all__ = [
    "MAX_SAVED_SEARCHES",
    "STAFF_FIELDS",
    "STAFF_STATUSES",
    "Decision",
    "DigestResult",
    "IngestResult",
    "ModerationResult",
    "Rejection",
    "SeenItem",
    "advertiser_block",
    "advertiser_merge",
    "arrival_status",
    "audition_create",
    "audition_ingest_listing",
    "audition_ingest_listings",
    "audition_listings_seen_unchanged",
    "audition_merge",
    "audition_moderate",
    "audition_report",
    "audition_roles_save",
    "audition_set_status",
    "audition_staff_save",
    "auditions_expire",
    "auditions_feed_points_refresh",
    "bookmark_add",
    "bookmark_remove",
    "dismissal_add",
    "dismissal_remove",
    "member_mark_add",
    "member_mark_remove",
    "rolling_max_age",
    "saved_search_create",
    "saved_search_delete",
    "saved_search_filters_clean",
    "saved_search_notify",
    "saved_search_update",
    "seoul_today",
    "source_listings_checked",
    "source_upsert",
]
