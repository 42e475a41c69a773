"""Thin tasks: take ids, call a service. Names starting with `send_` go to the `email` queue."""

from datetime import timedelta
from smtplib import SMTPException
from typing import Any

from celery import shared_task

from accounts import emails, services
from accounts.profiles import services as profile_services


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,  # 1 s, 2 s, 4 s ... between tries
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,  # idempotent: the outbox row makes a redelivery a no-op
)
def send_email_message(email_id: str, *_legacy: Any) -> bool:
    """Takes the outbox row's id only: the context, which may hold a code, is read from the
    row. (`_legacy` swallows the context argument of messages queued by older releases.)"""
    return emails.email_deliver(email_id=email_id)


@shared_task
def flush_email_outbox(older_than_seconds: int = 120, max_age_seconds: int = 24 * 3600) -> int:
    """Every few minutes: queues again the outbox messages whose task never reached the broker
    (Redis was down, or the process died between the commit and the enqueue). Idempotent."""
    return emails.email_outbox_flush(
        older_than=timedelta(seconds=older_than_seconds), max_age=timedelta(seconds=max_age_seconds)
    )


@shared_task
def purge_expired_auth_records() -> dict[str, int]:
    """Nightly: drops dead sessions, used or expired codes and old sent emails. Idempotent."""
    return services.auth_records_purge()


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
