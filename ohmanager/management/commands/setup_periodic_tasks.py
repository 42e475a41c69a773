from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from ohmanager.schedules import PERIODIC_TASKS, PeriodicTaskSpec


class Command(BaseCommand):
    help = (
        "Creates the platform's periodic tasks. Idempotent: existing tasks keep the schedule "
        "staff gave them in the admin unless --reset is passed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Restore every schedule to the one in code."
        )

    @transaction.atomic
    def handle(self, *args, reset: bool = False, **options) -> None:
        created = updated = 0
        for spec in PERIODIC_TASKS:
            task = PeriodicTask.objects.filter(name=spec.name).first()
            if task is None:
                PeriodicTask.objects.create(name=spec.name, **self._fields(spec))
                created += 1
            elif reset:
                for key, value in self._fields(spec).items():
                    setattr(task, key, value)
                task.save()
                updated += 1
        if created or updated:
            # Beat re-reads its schedule only when told that something changed.
            PeriodicTasks.update_changed()
        self.stdout.write(
            f"periodic tasks: {created} created, {updated} reset, "
            f"{len(PERIODIC_TASKS) - created - updated} kept"
        )

    @staticmethod
    def _fields(spec: PeriodicTaskSpec) -> dict:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=spec.crontab.get("minute", "0"),
            hour=spec.crontab.get("hour", "*"),
            day_of_week=spec.crontab.get("day_of_week", "*"),
            day_of_month=spec.crontab.get("day_of_month", "*"),
            month_of_year=spec.crontab.get("month_of_year", "*"),
            timezone="Asia/Seoul",
        )
        return {
            "task": spec.task,
            "crontab": crontab,
            "interval": None,
            "queue": spec.queue,
            "description": spec.description,
            "enabled": True,
        }
