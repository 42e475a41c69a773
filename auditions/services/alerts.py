"""Saved-search alerts: digests of new matches, emailed in the member's language.

At most once per search and audition, whatever runs: each run locks the search's row (runs of
one search queue behind each other), looks at auditions created since the search's
last-notified marker (`notified_until`, minus a slack for transactions that committed late),
skips those already in `SavedSearchDelivery` (unique per search + audition), records the
rest and moves the marker, all in one transaction. The email goes through the emails
outbox after the commit, so a rolled-back run sends nothing.

When: `instant` searches after every crawl run that created auditions (`crawl_run_finished`),
`daily` and `weekly` ones from the periodic tasks in ohmanager/schedules.py. A member who
turned off `notify_saved_search_alerts` is still visited: nothing is announced and the marker
and its floor (`announce_after`) move, so turning alerts back on brings no backlog. A search
set to `off` is not visited; switching it back on restarts both (saved_search_update).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Member, Profile
from auditions.models import SavedSearch, SavedSearchDelivery
from auditions.selectors import saved_search_matches
from emails.services import email_enqueue

logger = logging.getLogger("auditions.alerts")

DIGEST_TEMPLATE = "saved_search_digest"
# A transaction that started before a run and committed after it stamps its auditions
# earlier than the marker the run set; looking this far back catches them, and the delivery
# rows keep them from being announced twice.
MARKER_SLACK = timedelta(hours=1)
DIGEST_SHOWN = 20  # listed in the email; the rest are counted and open in the app
ANNOUNCE_MAX = 500  # per run and search, so one huge crawl cannot build a giant transaction


def audition_links(audition_id: UUID | str) -> dict[str, str]:
    """`app`: the deep link the mobile app opens (settings.APP_DEEP_LINK_BASE); `web`: the https
    fallback for a device without the app (settings.APP_WEB_LINK_BASE). README documents both."""
    return {
        "app": settings.APP_DEEP_LINK_BASE.format(id=audition_id),
        "web": settings.APP_WEB_LINK_BASE.format(id=audition_id),
    }


@dataclass(frozen=True)
class DigestResult:
    saved_search_id: UUID | None
    announced: int
    emailed: bool


def _wants_alerts(member: Member, saved: SavedSearch) -> bool:
    if not member.is_active or saved.frequency == SavedSearch.Frequency.OFF:
        return False
    preference = (
        Profile.objects.filter(member_id=member.pk)
        .values_list("notify_saved_search_alerts", flat=True)
        .first()
    )
    return preference is not False  # no profile yet: the default (on)


def _item(audition: Any) -> dict[str, Any]:
    return {
        "id": str(audition.pk),
        "title": audition.title,
        "company": audition.company,
        "region": audition.get_region_display() if audition.region else "",
        "deadline": audition.deadline.isoformat() if audition.deadline else "",
        "links": audition_links(audition.pk),
    }


@transaction.atomic
def saved_search_notify(*, saved_search_id: UUID, now: datetime | None = None) -> DigestResult:
    """Announces this search's new matches (see the module docstring). Safe to re-run."""
    now = now or timezone.now()
    saved = (
        SavedSearch.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(pk=saved_search_id)
        .first()
    )
    if saved is None:  # deleted meanwhile
        return DigestResult(None, 0, False)
    member = saved.member
    wants = _wants_alerts(member, saved)
    rows: list = []
    if wants:
        since = max(saved.notified_until - MARKER_SLACK, saved.announce_after)
        rows = list(
            saved_search_matches(saved_search=saved, created_after=since)
            .filter(created_at__lte=now)
            .exclude(
                Exists(
                    SavedSearchDelivery.objects.filter(
                        saved_search_id=saved.pk, audition_id=OuterRef("pk")
                    )
                )
            )
            .order_by("-posted_at", "-id")[:ANNOUNCE_MAX]
        )
    if rows:
        SavedSearchDelivery.objects.bulk_create(
            [SavedSearchDelivery(saved_search=saved, audition=row, created_at=now) for row in rows]
        )
        email_enqueue(
            to_email=member.email,
            template=DIGEST_TEMPLATE,
            language=member.language,
            member=member,
            context={
                "search_name": saved.name,
                "frequency": saved.frequency,
                "total": len(rows),
                "items": [_item(row) for row in rows[:DIGEST_SHOWN]],
                "more": max(0, len(rows) - DIGEST_SHOWN),
            },
        )
        saved.last_notified_at = now
    if not wants:
        # Whatever came out while alerts were paused is never announced.
        saved.announce_after = max(now, saved.announce_after)
    saved.notified_until = max(now, saved.notified_until)
    saved.save(update_fields=["notified_until", "announce_after", "last_notified_at", "updated_at"])
    if rows:
        logger.info("saved search %s: %d new auditions announced", saved.pk, len(rows))
    return DigestResult(saved.pk, len(rows), bool(rows))


def on_crawl_run_finished(sender: Any, run: Any = None, audition_ids: Any = None, **kwargs) -> None:
    """`crawl_run_finished` receiver (connected in AuditionsConfig.ready): instant alerts go
    out from a worker, not from the crawl's process. The signal is sent after the run
    committed, so the new auditions are visible to the task."""
    from auditions.tasks import alert_saved_searches

    if audition_ids:
        alert_saved_searches.delay(SavedSearch.Frequency.INSTANT)
