"""Crawl sources (data, not code) and the record of every crawl run."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_url = URLValidator(schemes=["http", "https"])


def validate_cron(value: str) -> None:
    """Five crontab fields (minute hour day-of-month month day-of-week), as beat expects."""
    if len(value.split()) != 5:
        raise ValidationError(_("Write five crontab fields, e.g. '0 */6 * * *'."))


class CrawlSource(models.Model):
    """A site we crawl. Its listings belong to the auditions `Source` of the same slug; its
    schedule is a django-celery-beat periodic task kept in step by `crawlers.services`."""

    # One kind per spider in crawlers.scraper.spiders.SPIDERS (a test keeps them in step).
    class Kind(models.TextChoices):
        RSS = "rss", _("RSS/Atom feed")
        JSONLD = "jsonld", _("Pages with schema.org JobPosting (JSON-LD)")
        BOARD = "board", _("Board: list and detail pages by CSS selectors")
        FILMMAKERS = "filmmakers", _("filmmakers.co.kr casting board")

    source = models.OneToOneField(
        "auditions.Source", on_delete=models.PROTECT, related_name="crawl_source", editable=False
    )
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    homepage_url = models.URLField(max_length=500, blank=True)
    start_urls = models.JSONField(default=list, help_text=_("A list of URLs the crawl starts at."))
    config = models.JSONField(
        default=dict, blank=True, help_text=_("Selectors, labels and defaults; see the README.")
    )
    enabled = models.BooleanField(default=True)
    schedule = models.CharField(
        max_length=100,
        default="0 */6 * * *",
        validators=[validate_cron],
        help_text=_("Crontab in Asia/Seoul time: minute hour day-of-month month day-of-week."),
    )
    # Politeness. A delay under a second is for tests against a local server only.
    download_delay = models.FloatField(default=2.0, validators=[MinValueValidator(0)])
    concurrency = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    request_timeout_seconds = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(300)]
    )
    # The whole crawl is killed after this long; it must stay under the task's time limit.
    timeout_seconds = models.PositiveIntegerField(
        default=30 * 60, validators=[MinValueValidator(5), MaxValueValidator(90 * 60)]
    )
    max_pages = models.PositiveIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Listing pages followed per crawl (detail pages are not counted)."),
    )
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="crawl_source",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        # Starting a crawl spends a worker and the source's politeness budget; editing a source
        # (change_crawlsource) is a different trust (see crawlers/admin.py).
        permissions = [("crawl_now", "Can start a crawl of a source now")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.start_urls, list) or not self.start_urls:
            raise ValidationError({"start_urls": _("Give at least one start URL, as a list.")})
        for url in self.start_urls:
            try:
                _url(str(url))
            except ValidationError as error:
                raise ValidationError({"start_urls": _("Not a URL: %s") % url}) from error
        if not isinstance(self.config, dict):
            raise ValidationError({"config": _("The config is a JSON object.")})


class CrawlRun(models.Model):
    """One crawl of one source: what it fetched, what it did to the catalogue, what failed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        PARTIAL = "partial", _("Partial")
        FAILED = "failed", _("Failed")
        TIMED_OUT = "timed_out", _("Timed out")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command")

    source = models.ForeignKey(CrawlSource, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.SCHEDULE)
    max_pages = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The child process writes its counts every few seconds; the last write is here.
    progress_at = models.DateTimeField(null=True, blank=True)
    pages_fetched = models.PositiveIntegerField(default=0)
    items_seen = models.PositiveIntegerField(default=0)
    items_created = models.PositiveIntegerField(default=0)
    items_updated = models.PositiveIntegerField(default=0)
    items_unchanged = models.PositiveIntegerField(default=0)
    items_merged = models.PositiveIntegerField(default=0)
    items_rejected = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # A sample: [{"url", "reason", "kind": fetch|parse|rejected|ingest}, ...]
    errors = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True, help_text=_("Why the run is not a full success."))
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"], name="crawlrun_source_recent")]

    def __str__(self) -> str:
        return f"{self.source} @ {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None
