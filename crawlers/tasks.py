"""Crawl tasks. They run on the `crawl` queue (CELERY_TASK_ROUTES), apart from email."""

import logging

from celery import shared_task

from crawlers.models import CrawlRun
from crawlers.services import crawl_runs_reap, crawl_source_crawl, listings_renormalize
from ohmanager.exceptions import NotFound

logger = logging.getLogger(__name__)

# The child's hard timeout is at most 90 minutes (CrawlSource.timeout_seconds); the task's
# limits sit above it and below the broker's 2-hour visibility timeout.
TASK_SOFT_TIME_LIMIT = 95 * 60
TASK_TIME_LIMIT = 100 * 60


@shared_task(soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT)
def crawl_source(
    source_id: int, max_pages: int | None = None, trigger: str = CrawlRun.Trigger.SCHEDULE
) -> int | None:
    """Crawls one source now (beat sends this on the source's schedule). No retries: a failed
    run is recorded and the next scheduled run tries again. Returns the run id, or None when
    another run of the source was still going."""
    try:
        run = crawl_source_crawl(source_id=source_id, max_pages=max_pages, trigger=trigger)
    except NotFound:
        # A source deleted after beat sent its task: nothing to do, nothing to retry.
        logger.warning("crawl_source: no crawl source %s", source_id)
        return None
    return run.pk if run else None


@shared_task
def reap_abandoned_crawl_runs() -> int:
    """Every few minutes: marks failed the runs a killed worker left `running` (their source's
    lock lease has lapsed). Idempotent."""
    return crawl_runs_reap()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_jitter=True, max_retries=3)
def renormalize_listings() -> dict[str, int]:
    """Hourly (ohmanager/schedules.py): reads again, from their kept raw text, the listings an
    older NORMALISER_VERSION read (`listings_renormalize`). After a deploy that moved the
    version the first run re-reads the catalogue batch by batch; every other run finds
    nothing due in one index probe. Idempotent: an interrupted run loses one batch at most
    and the next goes on from there."""
    result = listings_renormalize()
    return {
        "version": result.version,
        "read": result.read,
        "changed": result.changed,
        "unchanged": result.unchanged,
        "failed": result.failed,
        "skipped": result.skipped,
    }
