"""The periodic tasks the platform needs, as code. `manage.py setup_periodic_tasks` writes them
into django-celery-beat's tables, where staff can retune them in the admin."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PeriodicTaskSpec:
    name: str
    task: str
    # Keys of django_celery_beat.models.CrontabSchedule (minute, hour, day_of_week, ...).
    crontab: dict[str, str] = field(default_factory=dict)
    queue: str | None = None
    description: str = ""


PERIODIC_TASKS: list[PeriodicTaskSpec] = [
    PeriodicTaskSpec(
        name="platform.clear_expired_admin_sessions",
        task="ohmanager.tasks.clear_expired_admin_sessions",
        crontab={"minute": "17", "hour": "4"},
        description="Deletes expired back-office (Django) sessions every night.",
    ),
    PeriodicTaskSpec(
        name="auditions.expire_auditions",
        task="auditions.tasks.expire_auditions",
        # Hourly at :05 Seoul time, so yesterday's deadlines expire by 00:05; the list hides
        # them even before it runs.
        crontab={"minute": "5", "hour": "*"},
        description="Marks open auditions expired: past their deadline, or rolling and too old "
        "or no longer listed by their source.",
    ),
    PeriodicTaskSpec(
        name="auditions.refresh_feed_points",
        task="auditions.tasks.refresh_feed_points",
        # At 00:00 Seoul the date turns and the feed's deadline/freshness bands move; the
        # other hours only catch up after an outage (a run with nothing to move is one scan).
        crontab={"minute": "0", "hour": "*"},
        description="Moves the recommended feed's date-based points when the day changes.",
    ),
    PeriodicTaskSpec(
        # Named accounts.flush_email_outbox before the outbox was its own app; the emails
        # migration 0002 renamed that row, keeping the schedule staff gave it.
        name="emails.email_outbox_flush",
        task="emails.tasks.email_outbox_flush",
        crontab={"minute": "*/5"},
        description="Queues again emails whose task never reached the broker (Redis was down).",
    ),
    PeriodicTaskSpec(
        name="accounts.purge_expired_auth_records",
        task="accounts.tasks.purge_expired_auth_records",
        crontab={"minute": "37", "hour": "4"},
        description="Deletes long-dead member sessions, expired codes and old sent emails.",
    ),
    PeriodicTaskSpec(
        name="accounts.erase_unconsented_children",
        task="accounts.tasks.erase_unconsented_children",
        crontab={"minute": "23", "hour": "*"},
        description="Erases a child's data 7 days after her guardian revoked consent, unless "
        "consent was given again (PIPA art. 22-2).",
    ),
    PeriodicTaskSpec(
        name="crawlers.reap_abandoned_crawl_runs",
        task="crawlers.tasks.reap_abandoned_crawl_runs",
        crontab={"minute": "*/10"},
        queue="default",  # not behind long crawls on the `crawl` queue
        description="Marks failed the crawl runs a killed worker left running.",
    ),
    PeriodicTaskSpec(
        name="crawlers.renormalize_listings",
        task="crawlers.tasks.renormalize_listings",
        # Hourly rather than a deploy step: a deploy that moves NORMALISER_VERSION needs no
        # extra command, a run cut short goes on an hour later, and a run with nothing due is
        # one index probe. `manage.py renormalize` does it now, in the foreground.
        crontab={"minute": "40", "hour": "*"},
        queue="default",  # not behind long crawls on the `crawl` queue
        description="Reads again, from their kept raw text, the listings an older normaliser "
        "version read (after a deploy that moved NORMALISER_VERSION).",
    ),
    # Instant saved-search alerts follow each crawl run (crawlers.signals.crawl_run_finished).
    PeriodicTaskSpec(
        name="auditions.alert_daily_saved_searches",
        task="auditions.tasks.alert_daily_saved_searches",
        crontab={"minute": "0", "hour": "9"},
        description="Emails daily saved searches' new matches (09:00 Seoul).",
    ),
    PeriodicTaskSpec(
        name="auditions.alert_weekly_saved_searches",
        task="auditions.tasks.alert_weekly_saved_searches",
        crontab={"minute": "0", "hour": "9", "day_of_week": "1"},
        description="Emails weekly saved searches' new matches (Mondays 09:00 Seoul).",
    ),
    # Reminders: each is recorded before its email is queued, so a second run sends nothing.
    PeriodicTaskSpec(
        name="applications.remind_deadlines",
        task="applications.tasks.remind_deadlines",
        crontab={"minute": "0", "hour": "10"},
        description="D-3 and D-1 deadline reminders for bookmarked auditions not applied to.",
    ),
    PeriodicTaskSpec(
        name="applications.remind_schedules",
        task="applications.tasks.remind_schedules",
        crontab={"minute": "0", "hour": "18"},
        description="Reminders the evening before a shoot (cast) or a scheduled audition.",
    ),
    PeriodicTaskSpec(
        name="applications.nudge_stale_applications",
        task="applications.tasks.nudge_stale_applications",
        crontab={"minute": "30", "hour": "10"},
        description="Nudges about applications with no change for 14 days (suggests no_response).",
    ),
]
