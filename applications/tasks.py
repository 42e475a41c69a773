"""Periodic reminder tasks (ohmanager/schedules.py). Thin: each calls one service. Running one
twice, or a redelivery, sends nothing twice (see applications.services, "Reminders")."""

from celery import shared_task

from applications import services


@shared_task(acks_late=True)
def remind_deadlines() -> int:
    return services.reminders_send_deadlines()


@shared_task(acks_late=True)
def remind_schedules() -> int:
    return services.reminders_send_schedules()


@shared_task(acks_late=True)
def nudge_stale_applications() -> int:
    return services.reminders_send_stale()
