"""`manage.py crawl SLUG [--max-pages N]`: one crawl now, in the foreground."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from crawlers.models import CrawlRun, CrawlSource
from crawlers.services import crawl_source_crawl


class Command(BaseCommand):
    help = "Runs one crawl of a source now (its own process, hard timeout) and prints the counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--max-pages", type=int, default=None)

    def handle(self, *args: Any, slug: str, max_pages: int | None, **options: Any) -> None:
        source = CrawlSource.objects.filter(slug=slug).first()
        if source is None:
            raise CommandError(f"no crawl source {slug!r} (see `manage.py load_sources`)")
        if max_pages is not None and max_pages < 1:
            raise CommandError("--max-pages must be at least 1")
        run = crawl_source_crawl(
            source_id=source.pk, max_pages=max_pages, trigger=CrawlRun.Trigger.COMMAND
        )
        if run is None:
            raise CommandError(f"another crawl of {slug!r} is running")
        self.stdout.write(
            f"{slug}: {run.status} in {run.duration.total_seconds():.1f}s — "
            f"pages {run.pages_fetched}, seen {run.items_seen}, created {run.items_created}, "
            f"updated {run.items_updated}, unchanged {run.items_unchanged}, "
            f"merged {run.items_merged}, rejected {run.items_rejected}, errors {run.error_count}"
        )
        if run.reason:
            self.stdout.write(f"reason: {run.reason}")
        for error in run.errors[:10]:
            self.stdout.write(f"  {error.get('kind')}: {error.get('url')} — {error.get('reason')}")
