from celery import shared_task

from auditions import selectors, services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_jitter=True, max_retries=3)
def expire_auditions() -> int:
    """Expires auditions past their deadline, and rolling ones too old or no longer listed
    (services.auditions_expire). Idempotent: a second run finds nothing due."""
    return services.auditions_expire()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_jitter=True, max_retries=3)
def refresh_feed_points() -> int:
    """Moves the feed's deadline and freshness points to today's bands (only rows that
    changed). Idempotent; returns how many rows moved."""
    return services.auditions_feed_points_refresh(today=services.seoul_today())


# --- Saved-search alerts (auditions/services/alerts.py) -------------------------------------


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,  # idempotent: delivery rows and the marker make a re-run announce nothing
)
def alert_saved_search(saved_search_id: str) -> int:
    """One search's digest of new matches; returns how many auditions it announced."""
    return services.saved_search_notify(saved_search_id=saved_search_id).announced


@shared_task
def alert_saved_searches(frequency: str) -> int:
    """Fans out one task per due search, so one failing search retries alone."""
    due = selectors.saved_searches_due(frequency=frequency)
    for saved_search_id in due:
        alert_saved_search.delay(str(saved_search_id))
    return len(due)


@shared_task
def alert_daily_saved_searches() -> int:
    return alert_saved_searches("daily")


@shared_task
def alert_weekly_saved_searches() -> int:
    return alert_saved_searches("weekly")
