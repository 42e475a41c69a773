"""Scrapy settings for every crawl: polite by default, per-source overrides on top.

`crawlers.scraper.run` (the child process a crawl runs in) builds a crawl's settings from this
module plus `source_settings(source)`; `scrapy crawl` from the repository root (scrapy.cfg)
reads it directly. Django is set up here because the pipeline writes through its services.
https://docs.scrapy.org/en/latest/topics/settings.html
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ohmanager.settings.local")
django.setup()

from django.conf import settings as django_settings  # noqa: E402

BOT_NAME = "ohmanager"
SPIDER_MODULES = ["crawlers.scraper.spiders"]
NEWSPIDER_MODULE = "crawlers.scraper.spiders"

# --- Politeness (docs/architecture.md#traps: Scrapy inside Celery) ---------------------------
# An honest user agent: who we are and how to reach a person.
USER_AGENT = (
    f"OhManagerBot/1.0 (+https://ohmanager.kr/bot; {django_settings.CRAWLER_CONTACT_EMAIL})"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# At least a second between requests to one site; a source may lower it only for tests.
DOWNLOAD_DELAY = 2.0
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# https://docs.scrapy.org/en/latest/topics/downloader-middleware.html#httpcache-middleware-settings
HTTPCACHE_ENABLED = django_settings.CRAWLER_HTTPCACHE_ENABLED
HTTPCACHE_DIR = str(django_settings.VAR_DIR / "httpcache")
HTTPCACHE_EXPIRATION_SECS = 6 * 60 * 60
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 408, 429]

# The pipeline calls Django's ORM, which refuses to run inside a running asyncio loop
# (SynchronousOnlyOperation). A plain Twisted reactor keeps the pipeline synchronous: each
# item is written in its own transaction before the next, which is what a polite crawl needs.
TWISTED_REACTOR = "twisted.internet.epollreactor.EPollReactor"

# Crawls reach only public addresses (SSRF guard, crawlers.scraper.addresses); tests and
# `make run` may allow local ones. The resolver checks every address a connection uses, once
# per name per crawl (an IPv4 and IPv6 resolver; DNS_TIMEOUT does not apply to it, the
# request's DOWNLOAD_TIMEOUT does). The first middleware refuses literal addresses before
# robots.txt is asked for; the second turns the resolver's refusal into an unretried
# IgnoreRequest, ahead of RetryMiddleware (550).
# https://docs.scrapy.org/en/latest/topics/settings.html#twisted-dns-resolver
TWISTED_DNS_RESOLVER = "crawlers.scraper.addresses.PublicAddressResolver"
DOWNLOADER_MIDDLEWARES = {
    "crawlers.scraper.middlewares.PublicAddressOnlyMiddleware": 50,
    "crawlers.scraper.middlewares.ResolverRefusalMiddleware": 555,
}
OHM_ALLOW_PRIVATE_ADDRESSES = django_settings.CRAWLER_ALLOW_PRIVATE_ADDRESSES

ITEM_PIPELINES = {"crawlers.scraper.pipelines.IngestPipeline": 300}
EXTENSIONS = {"crawlers.scraper.pipelines.RunReporter": 500}
# How often a running crawl writes its counts to its CrawlRun row (seconds), so a crawl that
# is killed still tells how far it got.
OHM_PROGRESS_INTERVAL = 5.0

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"


def source_settings(
    *,
    download_delay: float,
    concurrency: int,
    request_timeout: int,
    retry_times: int | None = None,
) -> dict[str, object]:
    """The settings one source overrides: its politeness and timeouts."""
    overrides: dict[str, object] = {
        "DOWNLOAD_DELAY": download_delay,
        "AUTOTHROTTLE_START_DELAY": max(download_delay, 0.1),
        "CONCURRENT_REQUESTS_PER_DOMAIN": max(1, min(concurrency, 2)),
        "DOWNLOAD_TIMEOUT": request_timeout,
    }
    if retry_times is not None:
        overrides["RETRY_TIMES"] = retry_times
    return overrides
