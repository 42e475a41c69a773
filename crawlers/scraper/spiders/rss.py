"""`rss`: an RSS 2.0, RSS 1.0 (RDF) or Atom feed of casting calls. Each entry is one item;
labelled lines in its description (`모집 마감일: ...`) fill the fields the feed has no element for.

Shapes read: XE/Rhymix board feeds (`/rss`, `/atom`: HTML escaped in `description`, `dc:creator`,
the board and category as `category`, Atom `category@label` with the category's number as
`@term`), blog feeds (Naver's and Tistory's: CDATA, `pubDate` in RFC 822 with `+0900`, `author`),
`content:encoded`, `dc:date`, Atom `published`/`updated`. `external_id_pattern` (a regex over the
entry's link, group 1) gives the site's id; otherwise the guid/id is the id.
"""

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
        if self.unreadable(response):
            return
        selector = Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        if not selector.xpath("/rss | /feed | /RDF"):
            # A login wall, a maintenance page or a truncated answer: say so, not "0 new".
            self.record_error(response.url, "not an RSS or Atom feed", kind="parse")
            return
        for entry in selector.xpath("//item | //entry"):
            item = self._item(entry, response)
            if not item.get("title") and not item.get("url"):
                # What recovery leaves of an entry cut off mid-way (a truncated answer).
                self.record_error(response.url, "an entry without title or link", kind="parse")
                continue
            yield item

    def _item(self, entry: Selector, response: Response) -> CastingItem:
        def text(*paths: str) -> str:
            return first(entry.xpath(f"string({path})").get("").strip() for path in paths)

        link = first([
            entry.xpath("link[not(@rel) or @rel='alternate']/@href").get(""),
            entry.xpath("string(link)").get("").strip(),
            entry.xpath("guid[not(@isPermaLink='false')]/text()").get("").strip(),
        ])  # fmt: skip
        url = response.urljoin(link) if link else ""
        body_html = text("encoded", "content", "description", "summary")
        body = body_html
        if "<" in body_html:
            body = html_text.extract_text(body_html, guess_layout=True)
        labelled, free = self.labels.from_text(body)
        # Atom's label (a category's name) over its term (Rhymix: the category's number).
        categories = [
            (node.attrib.get("label") or node.attrib.get("term") or node.xpath("string()").get())
            for node in entry.xpath("category | subject")
        ]
        fields = {
            "url": url,
            "external_id": self.external_id(url) or text("guid", "id"),
            "title": text("title"),
            "posted": text("pubDate", "published", "updated", "date", "issued"),
            "category": " ".join(c.strip() for c in categories if c and c.strip()),
            "company": text("author/name", "creator", "author"),
            "description": free,
        }
        # Labelled lines fill what the feed's elements left empty.
        for field, value in labelled.items():
            if not fields.get(field):
                fields[field] = value
        return self.make_item(**fields)
