"""The saved pages (crawlers/fixtures/pages) by the path each site serves them at, and an
offline driver that runs a spider's callbacks over them without a reactor."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"

# site → {path?query: file}
SITES: dict[str, dict[str, str]] = {
    "filmmakers": {
        "/robots.txt": "filmmakers/robots.txt",
        "/actorCasting": "filmmakers/actorCasting_page1.html",
        "/actorCasting/page/2": "filmmakers/actorCasting_page2.html",
        "/actorCasting/page/3": "filmmakers/actorCasting_page3.html",
        **{
            f"/actorCasting/dispDocumentPrint?document_srl={srl}": f"filmmakers/print_{srl}.html"
            for srl in (1283405, 1283399, 1283390, 1283377, 1283361)
        },
    },
    "backstage": {
        "/robots.txt": "backstage/robots.txt",
        "/casting/": "backstage/casting.html",
        "/casting/glow-skincare-national-commercial-2061234/": "backstage/casting_glow.html",
        "/casting/the-long-way-home-student-film-2061198/": "backstage/casting_longway.html",
    },
    "mandy": {
        "/robots.txt": "mandy/robots.txt",
        "/jobs/actors": "mandy/jobs_actors.html",
        "/jobs/actors/short-film-lead-the-quiet-hour-a1b2c3": "mandy/job_quiet_hour.html",
        "/jobs/actors/musical-ensemble-uk-tour-d4e5f6": "mandy/job_ensemble.html",
    },
    "rss": {"/robots.txt": "rss/robots.txt", "/casting/rss": "rss/feed.xml"},
}


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def _response(request: scrapy.Request, body: bytes) -> TextResponse:
    kind = XmlResponse if body.lstrip().startswith(b"<?xml") else HtmlResponse
    return kind(url=request.url, body=body, encoding="utf-8", request=request)


def crawl_offline(
    spider: scrapy.Spider, site: dict[str, str], made: dict[str, bytes] | None = None
) -> list[Any]:
    """Follows the spider's requests through the saved pages (and pages a test `made`); a
    page that is neither is skipped. Returns the items in the order they were yielded."""

    async def starts() -> list[scrapy.Request]:
        return [request async for request in spider.start()]

    queue = asyncio.run(starts())
    seen: set[str] = set()
    items: list[Any] = []
    while queue:
        request = queue.pop(0)
        if request.url in seen:
            continue
        seen.add(request.url)
        split = request.url.split("/", 3)
        path = "/" + (split[3] if len(split) > 3 else "")
        name = site.get(path)
        if name is None:
            continue
        body = made[name] if made and name in made else page(name)
        for result in request.callback(_response(request, body), **request.cb_kwargs) or []:
            if isinstance(result, scrapy.Request):
                queue.append(result)
            else:
                items.append(result)
    return items
