"""Writes of the crawlers app: sources and their schedules, runs and their outcome, and the
crawl itself (a per-source lock around a child process with a hard timeout)."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from auditions.ingest import audition_ingest_listing
from auditions.models import Source, SourceListing
from auditions.services import source_listings_checked, source_upsert
from auditions.text import canonical_url
from crawlers.models import CrawlRun, CrawlSource
from crawlers.runner import ChildResult, run_crawl_process
from crawlers.selectors import crawl_run_created_audition_ids
from crawlers.signals import crawl_run_finished
from ohmanager.exceptions import ApplicationError, InvalidInput, NotFound

logger = logging.getLogger(__name__)

CRAWL_TASK = "crawlers.tasks.crawl_source"
# The per-source lock is a lease the crawling worker renews while its crawl runs (every
# third of it): a worker killed mid-crawl lets go within one lease, and then the next run or
# the reaper (`crawl_runs_reap`) closes the run it left `running`.


def _lock_lease_seconds() -> int:
    return max(3, int(getattr(settings, "CRAWLER_LOCK_LEASE_SECONDS", 60)))
# Fields `load_sources` and the admin may set besides slug/name/kind/start_urls/config.
TUNABLE_FIELDS = (
    "homepage_url", "enabled", "schedule", "download_delay", "concurrency",
    "request_timeout_seconds", "timeout_seconds", "max_pages",
)  # fmt: skip


def _lock_key(source_id: int) -> str:
    return f"crawlers:crawl-lock:{source_id}"


# --- Sources and schedules ------------------------------------------------------------------


def _homepage(source: CrawlSource) -> str:
    if source.homepage_url:
        return source.homepage_url
    parts = urlsplit(str(source.start_urls[0])) if source.start_urls else None
    return f"{parts.scheme}://{parts.netloc}/" if parts and parts.netloc else ""


@transaction.atomic
def crawl_source_save(*, crawl_source: CrawlSource) -> CrawlSource:
    """Validates and saves a source (new or edited, e.g. by the admin form), keeps its
    auditions `Source` and its beat schedule in step."""
    crawl_source.full_clean(exclude=["source", "periodic_task"])
    crawl_source.source = source_upsert(
        slug=crawl_source.slug, name=crawl_source.name, homepage_url=_homepage(crawl_source)
    )
    crawl_source.full_clean()
    crawl_source.save()
    crawl_source_sync_schedule(crawl_source=crawl_source)
    return crawl_source


@transaction.atomic
def crawl_source_upsert(
    *,
    slug: str,
    name: str,
    kind: str,
    start_urls: list[str],
    config: dict[str, Any] | None = None,
    **tunables: Any,
) -> tuple[CrawlSource, bool]:
    """Idempotent by slug (what `load_sources` calls): (the source, whether it was created)."""
    unknown = set(tunables) - set(TUNABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown source settings: {', '.join(sorted(unknown))}.")
    crawl_source = CrawlSource.objects.select_for_update().filter(slug=slug).first()
    created = crawl_source is None
    if created:
        crawl_source = CrawlSource(slug=slug)
    crawl_source.name, crawl_source.kind = name, kind
    crawl_source.start_urls, crawl_source.config = list(start_urls or []), dict(config or {})
    for field, value in tunables.items():
        setattr(crawl_source, field, value)
    return crawl_source_save(crawl_source=crawl_source), created


def _crontab(expression: str) -> CrontabSchedule:
    minute, hour, day_of_month, month_of_year, day_of_week = expression.split()
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
        timezone="Asia/Seoul",
    )
    return crontab


@transaction.atomic
def crawl_source_sync_schedule(*, crawl_source: CrawlSource) -> PeriodicTask:
    """The source's beat entry: `crawlers.tasks.crawl_source(<id>)` on the `crawl` queue at the
    source's crontab, enabled with the source. Saving a PeriodicTask tells beat to reload."""
    task, _ = PeriodicTask.objects.update_or_create(
        name=f"crawl: {crawl_source.slug}",
        defaults={
            "task": CRAWL_TASK,
            "crontab": _crontab(crawl_source.schedule),
            "interval": None,
            "args": json.dumps([crawl_source.pk]),
            "kwargs": "{}",
            "queue": "crawl",
            "enabled": crawl_source.enabled,
            "description": f"Crawls {crawl_source.name}. Edit the schedule on the crawl source.",
        },
    )
    if crawl_source.periodic_task_id != task.pk:
        crawl_source.periodic_task = task
        crawl_source.save(update_fields=["periodic_task"])
    return task


@transaction.atomic
def crawl_source_delete(*, crawl_source: CrawlSource) -> None:
    """Deletes a source, its runs and its beat entry. The catalogue's Source and its listings
    stay: auditions already found keep saying where they came from."""
    task_id = crawl_source.periodic_task_id
    crawl_source.delete()
    if task_id:
        PeriodicTask.objects.filter(pk=task_id).delete()


# --- Runs -----------------------------------------------------------------------------------


@transaction.atomic
def crawl_run_start(
    *, crawl_source: CrawlSource, max_pages: int | None = None, trigger: str
) -> CrawlRun:
    run = CrawlRun(
        source=crawl_source,
        trigger=trigger,
        max_pages=max_pages or crawl_source.max_pages,
        status=CrawlRun.Status.RUNNING,
    )
    run.full_clean()
    run.save()
    return run


def crawl_run_report(
    *,
    run_id: int,
    counts: dict[str, int],
    error_count: int,
    errors: list[dict[str, str]],
    stats: dict[str, Any] | None = None,
) -> None:
    """Progress from the crawl process. One UPDATE, only while the run is still running: a run
    the parent has already closed (timed out) is not reopened by a late write."""
    values: dict[str, Any] = {
        **{k: int(v) for k, v in counts.items() if k in _COUNT_FIELDS},
        "error_count": error_count,
        "errors": errors,
        "progress_at": timezone.now(),
    }
    runs = CrawlRun.objects.filter(pk=run_id, status=CrawlRun.Status.RUNNING)
    if stats:
        run = runs.only("stats").first()
        if run is None:
            return
        values["stats"] = {**run.stats, **stats}
    runs.update(**values)


_COUNT_FIELDS = frozenset(
    {"pages_fetched", "items_seen", "items_created", "items_updated", "items_unchanged",
     "items_merged", "items_rejected"}
)  # fmt: skip


def _summary(run: CrawlRun) -> str:
    """`2 errors (HTTP 500 x1, timed out x1); 1 rejected (The listing has no title.)`"""
    parts = []
    fetch = Counter(e["reason"] for e in run.errors if e.get("kind") != "rejected")
    if run.error_count:
        common = ", ".join(f"{reason} x{count}" for reason, count in fetch.most_common(3))
        parts.append(f"{run.error_count} error{'s' * (run.error_count != 1)} ({common})")
    if run.items_rejected:
        rejected = Counter(e["reason"] for e in run.errors if e.get("kind") == "rejected")
        common = ", ".join(f"{reason} x{count}" for reason, count in rejected.most_common(3))
        parts.append(f"{run.items_rejected} rejected ({common})")
    return "; ".join(parts)


@transaction.atomic
def crawl_run_finish(*, run_id: int, child: ChildResult) -> CrawlRun:
    """Closes a run from what the crawl process reported and how it ended:
    timed_out (killed at the hard timeout), failed (crashed, or nothing ingested while things
    went wrong), partial (some errors or rejections), succeeded. A succeeded run that ran to
    the spider's normal end also records which listings its source still shows
    (`source_listings_checked`). Sends `crawl_run_finished` after commit when the run created
    auditions."""
    run = CrawlRun.objects.select_for_update().get(pk=run_id)
    run.finished_at = timezone.now()
    ingested = run.items_created + run.items_updated + run.items_unchanged + run.items_merged
    summary = _summary(run)
    if child.timed_out:
        run.status = CrawlRun.Status.TIMED_OUT
        run.reason = f"Killed after {child.timeout}s (the source's hard timeout). {summary}"
    elif child.returncode != 0:
        run.status = CrawlRun.Status.FAILED
        run.reason = f"The crawl process exited with {child.returncode}: {child.last_error}"
    elif not run.error_count and not run.items_rejected:
        run.status = CrawlRun.Status.SUCCEEDED
        run.reason = ""
    elif ingested == 0:
        run.status = CrawlRun.Status.FAILED
        run.reason = f"Nothing ingested: {summary}"
    else:
        run.status = CrawlRun.Status.PARTIAL
        run.reason = summary
    run.reason = run.reason.strip()[:4000]
    run.stats = {**run.stats, "returncode": child.returncode, "duration": child.duration}
    run.save()
    if run.status == CrawlRun.Status.SUCCEEDED and run.stats.get("finish_reason") == "finished":
        # Read every page it meant to without an error: what it did not see is no longer
        # listed (rolling calls expire on it). Never from a failed, partial or cut-short run.
        source_listings_checked(source_id=run.source.source_id, since=run.started_at)
    if run.items_created:
        transaction.on_commit(lambda: _announce(run.pk))
    return run


def _announce(run_id: int) -> None:
    run = CrawlRun.objects.select_related("source").get(pk=run_id)
    crawl_run_finished.send(
        sender=CrawlRun, run=run, audition_ids=crawl_run_created_audition_ids(run=run)
    )


def crawl_runs_reap() -> int:
    """Closes the `running` runs of every source whose lock nobody holds: their worker died
    (SIGKILL, OOM, a lost machine) without recording an end. The periodic reaper calls this,
    so a dead run is closed even when no other run of its source follows soon."""
    source_ids = set(
        CrawlRun.objects.filter(status=CrawlRun.Status.RUNNING).values_list("source_id", flat=True)
    )
    closed = 0
    for source_id in sorted(source_ids):
        token = uuid.uuid4().hex
        key = _lock_key(source_id)
        # Taking the lock ourselves means no crawl of the source is going on right now.
        if not cache.add(key, token, timeout=_lock_lease_seconds()):
            continue
        try:
            crawl_source = CrawlSource.objects.filter(pk=source_id).first()
            if crawl_source is not None:
                closed += crawl_runs_abandon(crawl_source=crawl_source)
        finally:
            if cache.get(key) == token:
                cache.delete(key)
    if closed:
        logger.warning("closed %s crawl run(s) abandoned by a dead worker", closed)
    return closed


def crawl_runs_abandon(*, crawl_source: CrawlSource) -> int:
    """Closes runs left `running` by a worker that died (no lock is held for them any more)."""
    return CrawlRun.objects.filter(
        source=crawl_source, status=CrawlRun.Status.RUNNING
    ).update(
        status=CrawlRun.Status.FAILED,
        finished_at=timezone.now(),
        reason="Abandoned: the process running it stopped before recording an end.",
    )


# --- The crawl ------------------------------------------------------------------------------


def crawl_source_crawl(
    *, source_id: int, max_pages: int | None = None, trigger: str = CrawlRun.Trigger.SCHEDULE
) -> CrawlRun | None:
    """Runs one crawl of a source now, in its own process, and records it. None when another
    crawl of the same source holds the lock (no overlapping runs) or the source is gone."""
    crawl_source = CrawlSource.objects.filter(pk=source_id).first()
    if crawl_source is None:
        raise NotFound(f"No crawl source {source_id}.")
    token = uuid.uuid4().hex
    key = _lock_key(source_id)
    lease = _lock_lease_seconds()
    if not cache.add(key, token, timeout=lease):
        logger.info("crawl of %s skipped: another run holds the lock", crawl_source.slug)
        return None

    def renew() -> None:
        try:
            if cache.get(key) == token:
                cache.touch(key, lease)
        except Exception:  # the cache is down: the crawl goes on; the lease may lapse
            logger.warning("could not renew the crawl lock of %s", crawl_source.slug, exc_info=True)

    try:
        crawl_runs_abandon(crawl_source=crawl_source)
        run = crawl_run_start(crawl_source=crawl_source, max_pages=max_pages, trigger=trigger)
        child = run_crawl_process(
            run_id=run.pk,
            timeout=crawl_source.timeout_seconds,
            heartbeat=renew,
            heartbeat_every=lease / 3,
        )
        return crawl_run_finish(run_id=run.pk, child=child)
    finally:
        # Only our own lock: after an expiry another run may hold the key now.
        if cache.get(key) == token:
            cache.delete(key)


# --- Re-normalising the catalogue ----------------------------------------------------------


@dataclass(frozen=True)
class RenormalizeResult:
    """What `listings_renormalize` did. `read` = changed + unchanged + failed; `skipped`
    listings keep no raw text to read (not written by the crawler, e.g. demo data)."""

    version: int
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    failed_listing_ids: tuple[int, ...] = ()


def listings_renormalize(
    *, source_slug: str | None = None, batch_size: int = 200
) -> RenormalizeResult:
    """Reads listings again from their kept raw text (`SourceListing.raw`) with the current
    normaliser, without crawling: those read by an older `NORMALISER_VERSION`, or with
    `source_slug` every listing of that source.

    Each listing goes through the crawler's own reading (`pipelines.listing_from_item`, against
    the date it was last seen, as the crawl that wrote it read `오늘`/`D-3`/a missing year) and
    the crawl's update path (`audition_ingest_listing`): staff-locked fields stay, an
    `AuditionEvent` names the changed fields, trust, feed points and the search document are
    recomputed, and `last_seen_at` stays as it was (this is no sighting: the expiry of rolling
    calls counts on it). Batches by primary key, each in its own transaction with its rows
    locked against a concurrent crawl's write; a listing that cannot be read again is counted,
    logged (its id and the error's type, never its text) and left for the next run, and the
    others go on. Idempotent: a second run finds nothing due, or with `source_slug` nothing
    changed."""
    from crawlers.scraper import pipelines  # Scrapy: imported only where it is needed

    version = pipelines.NORMALISER_VERSION
    if source_slug is not None:
        if not Source.objects.filter(slug=source_slug).exists():
            raise NotFound(f"No source {source_slug!r}.", code="source_not_found")
        due = SourceListing.objects.filter(source__slug=source_slug)
    else:
        due = SourceListing.objects.filter(normaliser_version__lt=version)
    due = due.select_related("source").order_by("pk")
    batch_size = max(1, batch_size)
    counts: Counter[str] = Counter()
    failed: list[int] = []
    after = 0
    while True:
        with transaction.atomic():
            batch = list(due.filter(pk__gt=after).select_for_update(of=("self",))[:batch_size])
            for listing in batch:
                outcome = _listing_renormalize(listing, pipelines=pipelines, version=version)
                counts[outcome] += 1
                if outcome == "failed":
                    failed.append(listing.pk)
        if len(batch) < batch_size:
            break
        after = batch[-1].pk
    return RenormalizeResult(
        version=version,
        read=counts["changed"] + counts["unchanged"] + counts["failed"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        failed=counts["failed"],
        skipped=counts["skipped"],
        failed_listing_ids=tuple(failed),
    )


def _listing_renormalize(listing: Any, *, pipelines: Any, version: int) -> str:
    """One listing read again and written through the ingest path: its outcome."""
    if not listing.raw:
        return "skipped"
    try:
        data = pipelines.listing_from_item(
            listing.raw,
            source_slug=listing.source.slug,
            today=timezone.localdate(listing.last_seen_at),
        )
        # The same listing, whatever a newer reading makes of its id: the ingest finds it by
        # external id, else by canonical URL, and must not take it for a new call.
        data = dataclasses.replace(data, url=listing.url, external_id=listing.external_id)
        if not listing.external_id and canonical_url(listing.url) != listing.canonical_url:
            raise LookupError("the listing's URL no longer leads to it")
        result = audition_ingest_listing(
            listing=data,
            seen_at=listing.last_seen_at,
            note=f"Read again from its raw text by normaliser version {version}",
        )
    except Exception as error:  # one listing's bug or rejection; its savepoint rolled back
        # Where it failed, not what it said: a message may quote the post's text.
        frames = traceback.extract_tb(error.__traceback__)
        last = frames[-1] if frames else None
        where = f"{os.path.basename(last.filename)}:{last.lineno} in {last.name}" if last else "?"
        logger.warning(
            "re-reading listing %s failed: %s%s at %s",
            listing.pk,
            type(error).__name__,
            f" ({error.code})" if isinstance(error, ApplicationError) else "",
            where,
        )
        return "failed"
    return "changed" if result.outcome == "updated" else "unchanged"
