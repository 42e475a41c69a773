"""Fixtures of the crawlers app: sources over saved pages, and a local server for them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from scrapy.utils.test import get_crawler

from crawlers.models import CrawlSource
from crawlers.scraper.pipelines import IngestPipeline
from crawlers.scraper.spiders import SPIDERS
from crawlers.selectors import crawl_source_spec
from crawlers.services import crawl_source_upsert
from crawlers.tests.pages import SITES, page

# The example file's sources, pointed at whatever server serves the saved pages.
SOURCE_CONFIGS: dict[str, dict[str, Any]] = {
    "filmmakers": {"slug": "filmmakers-actor-casting", "name": "필름메이커스 배우 캐스팅",
                   "kind": "filmmakers", "paths": ["/actorCasting"], "config": {}},
    "backstage": {"slug": "backstage", "name": "Backstage", "kind": "jsonld",
                  "paths": ["/casting/"],
                  "config": {"link": "a.prod-listing__title::attr(href)",
                             "next_page": "a.pagination__next::attr(href)",
                             "defaults": {"region": "overseas"}}},
    "mandy": {"slug": "mandy-actors", "name": "Mandy", "kind": "board",
              "paths": ["/jobs/actors"],
              "config": {"list_item": "div.job-card", "link": "a.job-card__title::attr(href)",
                         "external_id_pattern": "-([a-z0-9]+)$", "content": "article.job",
                         "detail_fields": {"title": "h1.job__title::text",
                                           "company": "p.job__company::text",
                                           "description": "div.job__description"},
                         "list_fields": {"posted": "span.job-card__posted::text"},
                         "defaults": {"region": "overseas"}}},
    "rss": {"slug": "board-rss", "name": "오디션 게시판 RSS", "kind": "rss",
            "paths": ["/casting/rss"], "config": {}},
}  # fmt: skip


@pytest.fixture
def make_source(db) -> Callable[..., CrawlSource]:
    """A CrawlSource for one of the saved sites at `base_url`, fast politeness for tests."""

    def make(site: str, base_url: str = "https://www.example.test", **tunables: Any) -> CrawlSource:
        spec = SOURCE_CONFIGS[site]
        source, _ = crawl_source_upsert(
            slug=spec["slug"],
            name=spec["name"],
            kind=spec["kind"],
            start_urls=[base_url.rstrip("/") + path for path in spec["paths"]],
            config={**spec["config"], **tunables.pop("config", {})},
            **{"download_delay": 0, "max_pages": 3, **tunables},
        )
        return source

    return make


@pytest.fixture
def spider_for() -> Callable[..., Any]:
    """A spider bound to a crawler (stats, signals) for a source, as the crawl process makes."""

    def build(source: CrawlSource, max_pages: int | None = None) -> Any:
        spidercls = SPIDERS[source.kind]
        crawler = get_crawler(spidercls, {})
        spider = spidercls.from_crawler(
            crawler, source=crawl_source_spec(source_id=source.pk), max_pages=max_pages
        )
        crawler.spider = spider
        return spider

    return build


@pytest.fixture
def ingest() -> Callable[..., IngestPipeline]:
    def run(spider: Any, items: list[Any]) -> IngestPipeline:
        pipeline = IngestPipeline.from_crawler(spider.crawler)
        for item in items:
            try:
                pipeline.process_item(item)
            except Exception as error:  # DropItem: counted by the pipeline
                assert type(error).__name__ == "DropItem"
        pipeline.close_spider()  # writes the last batch
        return pipeline

    return run


@pytest.fixture
def site_server() -> Iterator[HTTPServer]:
    """pytest-httpserver, threaded: a slow page must not hold up the others."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


@pytest.fixture
def serve_site(site_server: HTTPServer) -> Callable[..., str]:
    """Serves a saved site (crawlers/tests/pages.py) on the local server; returns its base
    URL. Pages in `overrides` ({path: handler}) take the place of the saved ones."""

    def serve(site: str, overrides: dict[str, Callable[..., Any]] | None = None) -> str:
        overrides = overrides or {}
        for path, handler in overrides.items():
            uri, _, query = path.partition("?")
            site_server.expect_request(uri, query_string=query or None).respond_with_handler(
                handler
            )
        for path, name in SITES[site].items():
            if path in overrides:
                continue
            uri, _, query = path.partition("?")
            content_type = "text/plain" if name.endswith(".txt") else (
                "application/rss+xml" if name.endswith(".xml") else "text/html; charset=utf-8")
            site_server.expect_request(uri, query_string=query or None).respond_with_data(
                page(name), content_type=content_type
            )
        return site_server.url_for("/").rstrip("/")

    return serve
