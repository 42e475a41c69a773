from celery import shared_task

from auditions import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_jitter=True, max_retries=3)
def expire_auditions() -> int:
    """Closes auditions past their deadline. Idempotent: a second run finds nothing due."""
    return services.auditions_expire()
