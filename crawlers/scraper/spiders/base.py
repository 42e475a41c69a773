"""What every source's spider shares: its source spec, polite requests with an errback, an
error sample for the CrawlRun, pagination bounded by the source's page limit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import html_text
import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawlers.scraper.items import RAW_FIELDS, CastingItem
from crawlers.scraper.normalize import clean_text

# The CrawlRun keeps this many errors with their URLs; the count covers all of them.
ERROR_SAMPLE_SIZE = 20


def describe_failure(failure: Failure) -> str:
    """A short reason a person can act on: `HTTP 500`, `timed out`, `Forbidden by robots.txt`."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return "timed out"
    if failure.check(IgnoreRequest):
        return str(failure.value) or "request ignored"
    return f"{failure.type.__name__}: {failure.value}"


def without_userinfo(url: str) -> str:
    """The URL without a `user:password@` (a run's error sample is shown to staff)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def css_text(selector: Selector | Response, css: str | None) -> str:
    """The text a CSS selector points at: `::text`/`::attr()` values joined, or an element's
    visible text (line breaks kept)."""
    if not css:
        return ""
    found = selector.css(css)
    if "::" in css:
        return clean_text(" ".join(value.strip() for value in found.getall() if value.strip()))
    first = found[0].get() if found else ""
    return clean_text(html_text.extract_text(first, guess_layout=True)) if first else ""


def first_match(selector: Selector | Response, css: str) -> Selector | None:
    """The first element matched by the first alternative of `a, b, c` that matches anything:
    a fallback list, unlike CSS's union, which answers in document order."""
    for alternative in css.split(","):
        found = selector.css(alternative.strip())
        if found:
            return found[0]
    return None


class SourceSpider(scrapy.Spider):
    """Base of every spider. `source` is the spec `crawlers.selectors.crawl_source_spec`
    returns (or, from `scrapy crawl`, a source slug); `max_pages` bounds listing pages."""

    name = "base"
    default_config: dict[str, Any] = {}

    def __init__(
        self, source: dict[str, Any] | str | None = None, max_pages: int | str | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(**kwargs)
        if isinstance(source, str):
            from crawlers.selectors import crawl_source_spec

            source = crawl_source_spec(slug=source)
        if not source:
            raise ValueError("a spider needs a source: -a source=<slug>")
        self.source = source
        self.source_slug: str = source["slug"]
        self.start_urls = list(source["start_urls"])
        self.config: dict[str, Any] = {**self.default_config, **(source.get("config") or {})}
        self.max_pages = max(1, int(max_pages or source.get("max_pages") or 1))
        self.errors: list[dict[str, str]] = []
        self.error_count = 0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # A bound method, not a lambda: signals hold weak references (docs/architecture.md#traps).
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        return spider

    # --- errors -------------------------------------------------------------------------------

    def record_error(self, url: str, reason: str, *, kind: str = "fetch") -> None:
        """Keeps a sample with URLs. Rejected items are counted by the pipeline, apart from
        errors (fetch, parse, ingest), but share the sample so staff see both reasons."""
        if kind != "rejected":
            self.error_count += 1
        if len(self.errors) < ERROR_SAMPLE_SIZE:
            self.errors.append({"url": without_userinfo(url), "reason": reason[:500], "kind": kind})
        if getattr(self, "crawler", None):
            self.crawler.stats.inc_value(f"ohm/errors/{kind}")

    def on_request_error(self, failure: Failure) -> None:
        self.record_error(failure.request.url, describe_failure(failure))

    def on_spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        if spider is self:
            self.record_error(response.url, describe_failure(failure), kind="parse")

    # --- requests -----------------------------------------------------------------------------

    def request(self, fetch_url: str, callback: Any, /, **cb_kwargs: Any) -> scrapy.Request:
        return scrapy.Request(
            fetch_url, callback=callback, errback=self.on_request_error, cb_kwargs=cb_kwargs
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            yield self.request(url, self.parse, page=1)

    def next_page_url(self, response: Response, page: int) -> str | None:
        """The next listing page, while the page limit allows: a `next_page` link, or the
        `page_url` template (`{page}`, `{board}` = the start URL's first path segment)."""
        if page >= self.max_pages:
            return None
        if css := self.config.get("next_page"):
            # `a.next` means its href: without `::attr()` the element's HTML would be joined.
            found = first_match(response, css)
            if found is not None and "::" not in css:
                found = found.css("::attr(href)")
            href = found.get() if found is not None else None
            if not href or href.strip().startswith(("javascript:", "#")):
                return None
            return response.urljoin(href.strip())
        if template := self.config.get("page_url"):
            return response.urljoin(template.format(page=page + 1, board=self.board))
        return None

    @property
    def board(self) -> str:
        match = re.match(r"https?://[^/]+/([^/?#]+)", self.start_urls[0] if self.start_urls else "")
        return match.group(1) if match else ""

    def unreadable(self, response: Response) -> bool:
        """True (and recorded) for a page the spider cannot read as text: an image, a PDF or an
        attachment served where a page was expected. Selectors would raise on it."""
        if isinstance(response, TextResponse):
            return False
        self.record_error(response.url, "not a text page", kind="parse")
        return True

    # --- items --------------------------------------------------------------------------------

    def make_item(self, **fields: str | None) -> CastingItem:
        """An item of the non-empty raw fields, over the source's configured defaults
        (`defaults: {region: overseas}` for a site abroad)."""
        values = {**(self.config.get("defaults") or {}), **{k: v for k, v in fields.items() if v}}
        return CastingItem(
            **{k: clean_text(str(v)) for k, v in values.items() if k in RAW_FIELDS and v}
        )

    def external_id(self, url: str) -> str:
        pattern = self.config.get("external_id_pattern")
        match = re.search(pattern, url) if pattern else None
        return match.group(1) if match else ""


def first(values: Iterable[str]) -> str:
    return next((v for v in values if v), "")
