"""Thin tasks: take ids, call a service. (The outbox's tasks are emails.tasks.)"""

from celery import shared_task

from accounts import services
from accounts.profiles import services as profile_services


@shared_task
def purge_expired_auth_records() -> dict[str, int]:
    """Nightly: drops dead sessions, used or expired codes and old sent emails. Idempotent."""
    return services.auth_records_purge()


@shared_task
def erase_unconsented_children() -> int:
    """Hourly: erases children whose guardian revoked consent and did not give it again within
    the grace (accounts.services.guardians). Idempotent: an erased child is not due again."""
    return services.guardians_unconsented_erase()


@shared_task
def purge_member_storage(prefix: str) -> int:
    """Deletes a withdrawn member's files; running it twice deletes nothing the second time."""
    return services.storage_prefix_purge(prefix=prefix)


@shared_task(
    autoretry_for=(OSError,),  # botocore's connection errors are OSErrors too
    retry_backoff=True,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=8,
)
def delete_member_files(names: list[str]) -> int:
    """Deletes objects of a deleted photo, after the commit. Deleting a missing object is a
    no-op on every backend, so a redelivery is harmless."""
    return profile_services.member_files_delete(names=names)
