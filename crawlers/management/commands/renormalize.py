"""`manage.py renormalize [--source SLUG] [--batch-size N]`: read the catalogue's listings
again from their kept raw text with the current normaliser, in the foreground."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from crawlers.services import listings_renormalize
from ohmanager.exceptions import NotFound


class Command(BaseCommand):
    help = (
        "Reads listings again from their kept raw text with the current normaliser, without "
        "crawling: those read by an older NORMALISER_VERSION, or every listing of --source. "
        "Staff-locked fields stay; changes are recorded. Idempotent. Prints the counts."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source", dest="source_slug", default=None, metavar="SLUG",
            help="Every listing of this source, whatever version read it.",
        )  # fmt: skip
        parser.add_argument("--batch-size", type=int, default=200, metavar="N")

    def handle(self, *args: Any, source_slug: str | None, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            result = listings_renormalize(source_slug=source_slug, batch_size=batch_size)
        except NotFound as error:
            raise CommandError(f"no source {source_slug!r}") from error
        self.stdout.write(
            f"normaliser version {result.version}"
            + (f", source {source_slug}" if source_slug else "")
            + f": read {result.read}, changed {result.changed}, "
            f"unchanged {result.unchanged}, failed {result.failed}, "
            f"skipped {result.skipped} (no raw text)"
        )
        if result.failed_listing_ids:
            shown = ", ".join(str(pk) for pk in result.failed_listing_ids[:20])
            more = len(result.failed_listing_ids) - 20
            self.stdout.write(
                f"failed listings: {shown}" + (f" and {more} more" if more > 0 else "")
            )
