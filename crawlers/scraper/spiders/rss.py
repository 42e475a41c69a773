"""`rss`: an RSS 2.0 or Atom feed of casting calls. Each entry is one item; labelled lines in
its description (`모집 마감일: ...`) fill the fields the feed has no element for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import html_text
from parsel import Selector
from scrapy.http import Response

from crawlers.scraper.items import CastingItem
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.spiders.base import SourceSpider, first


class RssSpider(SourceSpider):
    name = "rss"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = LabelExtractor(self.config.get("labels"))

    def parse(self, response: Response, page: int = 1) -> Iterator[CastingItem]:
        selector = Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        for entry in selector.xpath("//item | //entry"):
            yield self._item(entry, response)

    def _item(self, entry: Selector, response: Response) -> CastingItem:
        def text(*paths: str) -> str:
            return first(entry.xpath(f"string({path})").get("").strip() for path in paths)

        link = first([
            entry.xpath("link[not(@rel) or @rel='alternate']/@href").get(""),
            entry.xpath("string(link)").get("").strip(),
        ])  # fmt: skip
        body_html = text("encoded", "content", "description", "summary")
        body = body_html
        if "<" in body_html:
            body = html_text.extract_text(body_html, guess_layout=True)
        labelled, free = self.labels.from_text(body)
        fields = {
            "url": response.urljoin(link) if link else "",
            "external_id": text("guid", "id"),
            "title": text("title"),
            "posted": text("pubDate", "published", "updated", "date"),
            "category": " ".join(entry.xpath("category/text() | category/@term").getall()),
            "company": text("author/name", "creator"),
            "description": free,
        }
        # Labelled lines fill what the feed's elements left empty.
        for field, value in labelled.items():
            if not fields.get(field):
                fields[field] = value
        return self.make_item(**fields)
