"""Thin tasks: take ids, call a service; each is named after the service it calls. The sends
go to the `email` queue (CELERY_TASK_ROUTES)."""

from datetime import timedelta
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task

from emails import services


class DeliveryTask(Task):
    """A send whose retries are spent (or that failed otherwise) leaves its row `failed` with
    the error's first line, instead of `queued` for ever."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        email_id = args[0] if args else kwargs.get("email_id")
        if email_id:
            services.email_mark_failed(email_id=email_id, detail=services.smtp_refusal_detail(exc))


DELIVERY = {
    "base": DeliveryTask,
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,  # 1 s, 2 s, 4 s ... between tries
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,  # idempotent: the outbox row makes a redelivery a no-op
}


@shared_task(**DELIVERY)
def email_deliver(email_id: str, *_legacy: Any) -> bool:
    """Takes the outbox row's id only: the context, which may hold a code, is read from the
    row. (`_legacy` swallows the context argument of messages queued by older releases.)"""
    return services.email_deliver(email_id=email_id)


@shared_task
def email_outbox_flush(older_than_seconds: int = 120, max_age_seconds: int = 24 * 3600) -> int:
    """Every few minutes: queues again the outbox messages whose task never reached the broker
    (Redis was down, or the process died between the commit and the enqueue). Idempotent."""
    return services.email_outbox_flush(
        older_than=timedelta(seconds=older_than_seconds), max_age=timedelta(seconds=max_age_seconds)
    )


# The names these tasks had while the outbox lived in accounts, kept registered for messages
# already on the broker when that release was replaced (a worker drops a message whose task it
# does not know) and for a beat row not yet renamed. Nothing here sends under them any more;
# remove them once no worker of that release is left and its queues have drained.
@shared_task(name="accounts.tasks.send_email_message", **DELIVERY)
def send_email_message(email_id: str, *_legacy: Any) -> bool:
    """Old name of `email_deliver`."""
    return services.email_deliver(email_id=email_id)


@shared_task(name="accounts.tasks.flush_email_outbox")
def flush_email_outbox(older_than_seconds: int = 120, max_age_seconds: int = 24 * 3600) -> int:
    """Old name of `email_outbox_flush`."""
    return email_outbox_flush(older_than_seconds, max_age_seconds)
