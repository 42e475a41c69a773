"""The crawl process: `python -m crawlers.scraper.run <run id>`.

Started by `crawlers.runner.run_crawl_process`; runs one spider for the run's source with the
source's politeness settings and writes items through the pipeline. Exit status 0 means the
crawl ran to its end (the run row says how well); anything else is a crash.
"""

from __future__ import annotations

import argparse
import os
import sys


def _setup_django() -> None:
    from django.conf import settings

    # The parent may use a database of another name than its settings say (a test database).
    if name := os.environ.get("OHMANAGER_CRAWL_DATABASE_NAME"):
        settings.DATABASES["default"]["NAME"] = name
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("run_id", type=int)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ohmanager.settings.local")
    _setup_django()

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawlers.models import CrawlRun
    from crawlers.scraper.settings import source_settings
    from crawlers.scraper.spiders import SPIDERS
    from crawlers.selectors import crawl_source_spec

    run = CrawlRun.objects.get(pk=args.run_id)
    spec = crawl_source_spec(source_id=run.source_id)
    settings = Settings()
    settings.setmodule("crawlers.scraper.settings", priority="project")
    settings.setdict(
        source_settings(
            download_delay=spec["download_delay"],
            concurrency=spec["concurrency"],
            request_timeout=spec["request_timeout"],
            retry_times=spec["config"].get("retry_times"),
        ),
        priority="cmdline",
    )
    settings.set("OHM_RUN_ID", run.pk, priority="cmdline")
    if interval := os.environ.get("OHMANAGER_CRAWL_PROGRESS_INTERVAL"):
        settings.set("OHM_PROGRESS_INTERVAL", float(interval), priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(SPIDERS[spec["kind"]], source=spec, max_pages=run.max_pages)
    process.start()
    from django.db import connections

    connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
