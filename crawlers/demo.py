"""Crawl sources for `make run` (via ohmanager/demo.py). Idempotent.

- The example sources (crawlers/sources.example.yaml) are created disabled, so nothing hits a
  real site unless someone enables one in the admin; a source that already exists is left as
  staff tuned it.
- The demo source crawls the saved pages of crawlers/fixtures/pages/demo/, which `make run`
  serves on this machine (Procfile.dev's `demo-site`), with the real spider, child process and
  pipeline: beat runs it on its schedule, or `manage.py crawl demo-casting-board` now.
  Crawling 127.0.0.1 needs CRAWLER_ALLOW_PRIVATE_ADDRESSES, on in local settings only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from crawlers.models import CrawlSource
from crawlers.services import crawl_source_upsert

EXAMPLE_SOURCES = Path(__file__).resolve().parent / "sources.example.yaml"
# Where Procfile.dev's `demo-site` serves crawlers/fixtures/pages.
DEMO_SITE_URL = "http://127.0.0.1:8765"
DEMO_SLUG = "demo-casting-board"


def demo_source_spec(base_url: str = DEMO_SITE_URL) -> dict[str, Any]:
    """The demo source: a board read by the generic `board` spider from its config alone."""
    return {
        "slug": DEMO_SLUG,
        "name": "데모 캐스팅 게시판 (로컬 저장 페이지)",
        "kind": CrawlSource.Kind.BOARD,
        "start_urls": [f"{base_url.rstrip('/')}/demo/index.html"],
        "homepage_url": f"{base_url.rstrip('/')}/demo/index.html",
        "config": {
            "list_item": "div.post",
            "link": "a.title::attr(href)",
            "list_fields": {"posted": "span.date::text"},
            "external_id_pattern": r"/posts/(\d+)\.html$",
            "detail_fields": {"title": "h1.subject::text"},
            "content": "div.content",
            "next_page": "a.next::attr(href)",
        },
        "enabled": True,
        "schedule": "*/30 * * * *",
        # A server on this machine: a short delay is polite enough.
        "download_delay": 0.2,
        "request_timeout_seconds": 10,
        "timeout_seconds": 120,
        "max_pages": 2,
    }


def load(*, base_url: str = DEMO_SITE_URL) -> list[str]:
    created = []
    entries = (yaml.safe_load(EXAMPLE_SOURCES.read_text(encoding="utf-8")) or {})["sources"]
    for entry in entries:
        if CrawlSource.objects.filter(slug=entry["slug"]).exists():
            continue
        crawl_source_upsert(**{**entry, "enabled": False})
        created.append(entry["slug"])
    spec = demo_source_spec(base_url)
    if not CrawlSource.objects.filter(slug=spec["slug"]).exists():
        crawl_source_upsert(**spec)
        created.append(spec["slug"])
    lines = [f"crawl sources: created {', '.join(created)}" if created else "crawl sources: ok"]
    lines.append(
        f"demo crawl: `manage.py crawl {DEMO_SLUG}` (or wait for beat, every 30 min) reads "
        f"{spec['start_urls'][0]}; the run's counts are at /admin/crawlers/crawlrun/"
    )
    return lines
