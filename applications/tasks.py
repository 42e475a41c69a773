"""Periodic reminder tasks (ohmanager/schedules.py). Thin: each calls one service. Running one
twice, or a redelivery, sends nothing twice (see applications.reminders)."""

from celery import shared_task

from applications import reminders


@shared_task(acks_late=True)
def remind_deadlines() -> int:
    return reminders.reminders_send_deadlines()


@shared_task(acks_late=True)
def remind_schedules() -> int:
    return reminders.reminders_send_schedules()


@shared_task(acks_late=True)
def nudge_stale_applications() -> int:
    return reminders.reminders_send_stale()
