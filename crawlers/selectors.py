"""Reads the crawlers need: a source's spec for the crawl process, runs, health."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from auditions.models import SourceListing
from crawlers.models import CrawlRun, CrawlSource

# The last few runs tell a source's health.
HEALTH_WINDOW = 3


def crawl_source_spec(*, slug: str | None = None, source_id: int | None = None) -> dict[str, Any]:
    """What a spider needs to crawl a source, as plain data."""
    sources = CrawlSource.objects.all()
    source = sources.get(slug=slug) if slug else sources.get(pk=source_id)
    return {
        "id": source.pk,
        "slug": source.slug,
        "kind": source.kind,
        "start_urls": list(source.start_urls),
        "config": dict(source.config or {}),
        "max_pages": source.max_pages,
        "download_delay": source.download_delay,
        "concurrency": source.concurrency,
        "request_timeout": source.request_timeout_seconds,
    }


def crawl_source_health(*, source: CrawlSource) -> str:
    """`healthy` (last run succeeded), `degraded` (partial, or one failure), `failing` (the
    last two failed or timed out), `running`, or `never run`."""
    recent = list(
        CrawlRun.objects.filter(source=source)
        .exclude(status=CrawlRun.Status.RUNNING)
        .values_list("status", flat=True)[:HEALTH_WINDOW]
    )
    if not recent:
        running = CrawlRun.objects.filter(source=source, status=CrawlRun.Status.RUNNING).exists()
        return "running" if running else "never run"
    bad = {CrawlRun.Status.FAILED, CrawlRun.Status.TIMED_OUT}
    if recent[0] == CrawlRun.Status.SUCCEEDED:
        return "healthy"
    if len(recent) >= 2 and all(status in bad for status in recent[:2]):
        return "failing"
    return "degraded"


def crawl_run_created_audition_ids(*, run: CrawlRun) -> list[UUID]:
    """The auditions this run created: its source's primary listings first seen during it."""
    listings = SourceListing.objects.filter(
        source_id=run.source.source_id, is_primary=True, first_seen_at__gte=run.started_at
    )
    if run.finished_at:
        listings = listings.filter(first_seen_at__lte=run.finished_at)
    return list(listings.values_list("audition_id", flat=True))
