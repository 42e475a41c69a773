"""`board`: a listing page of links to detail pages, both described in the source's config, so
staff add a board-style site in the admin without a deploy.

Config keys (all optional except `list_item`/`link` for most sites):
  list_item: CSS of one listing on a list page             (default "a")
  link: CSS of its detail URL, relative to list_item        (default "::attr(href)")
  link_pattern: regex over the list item's HTML, group 1 = URL (for onclick="location.href=...")
  skip_item: CSS; a list item that matches it (itself or inside) is not a listing: a notice
             pinned at the top of every page (`tr.bo_notice`, `img[src*=icon_notice]`)
  list_fields: {field: CSS} read on the list page
  external_id_pattern: regex over the detail URL, group 1 = the site's id
  fetch_url: template of the page to fetch for a detail ({id}, {board}); the item keeps the
             public detail URL (filmmakers' print view carries the same post in plainer markup)
  content: CSS of the element holding the labelled header and the text (default "body"); a
           page without it (a deleted post's message page) is recorded as an error, no item
  detail_fields: {field: CSS} read on the detail page; win over labels
  description: CSS of the prose (default: the content's text without its labelled lines)
  labels: {field: [label, ...]} labels added to crawlers.scraper.labels.DEFAULT_LABELS
  next_page: CSS of the next page's link (or its href), or page_url: template with {page} and
             {board}; a page that lists no post not already seen ends the board
  defaults: {field: raw text} for fields the site never states (e.g. region: overseas)
  retry_times: retries of a failed request (Scrapy's RETRY_TIMES; default 2) — any kind
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import scrapy
from parsel import Selector
from parsel.csstranslator import HTMLTranslator
from scrapy.http import Response

from crawlers.scraper.items import CastingItem
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.spiders.base import SourceSpider, css_text, first_match


class BoardSpider(SourceSpider):
    name = "board"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = LabelExtractor(self.config.get("labels"))
        skip = self.config.get("skip_item")
        # descendant-or-self: `tr.notice` skips the row itself, `img[alt=공지]` a row holding it.
        self._skip_xpath = (
            HTMLTranslator().css_to_xpath(skip, prefix="descendant-or-self::") if skip else None
        )
        # Posts already requested in this crawl, by the site's id (or URL): a board repeats its
        # pinned notices on every page, and links one post as `...&page=2` from page 2.
        self._listed: set[str] = set()

    def parse(self, response: Response, page: int = 1) -> Iterator[scrapy.Request]:
        if self.unreadable(response):
            return
        found = 0
        for node in response.css(self.config.get("list_item", "a")):
            if self._skip_xpath and node.xpath(self._skip_xpath):
                continue
            url = self._detail_url(node, response)
            if not url:
                continue
            external_id = self.external_id(url)
            if (external_id or url) in self._listed:
                continue
            self._listed.add(external_id or url)
            found += 1
            fetch = url
            if (template := self.config.get("fetch_url")) and external_id:
                fetch = response.urljoin(template.format(id=external_id, board=self.board))
            list_fields = {
                field: css_text(node, css)
                for field, css in (self.config.get("list_fields") or {}).items()
            }
            yield self.request(
                fetch, self.parse_detail, url=url, external_id=external_id, list_fields=list_fields
            )
        # A page with no post not seen before ends the board even when the page limit allows
        # more: an empty page, one of pinned notices only, or a board that answers a page past
        # its end with its last page again.
        if found and (next_url := self.next_page_url(response, page)):
            yield self.request(next_url, self.parse, page=page + 1)

    def _detail_url(self, node: Selector, response: Response) -> str:
        href = node.css(self.config.get("link", "::attr(href)")).get()
        if not href and (pattern := self.config.get("link_pattern")):
            match = re.search(pattern, node.get())
            href = match.group(1) if match else None
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            return ""
        return response.urljoin(href.strip())

    def parse_detail(
        self, response: Response, url: str, external_id: str, list_fields: dict[str, str]
    ) -> Iterator[CastingItem]:
        if self.unreadable(response):
            return
        content = first_match(response, self.config.get("content", "body"))
        if content is None:
            # A deleted or moved post answers 200 with a message page ("삭제된 게시물입니다");
            # the list's title alone must not become a listing.
            self.record_error(response.url, "no post content on the page", kind="parse")
            return
        labelled, free = self.read_content(content)
        explicit = {
            field: css_text(response, css)
            for field, css in (self.config.get("detail_fields") or {}).items()
        }
        fields = {**list_fields, **labelled, **{k: v for k, v in explicit.items() if v}}
        if not fields.get("description"):
            fields["description"] = (
                css_text(response, self.config["description"])
                if self.config.get("description")
                else free
            )
        yield self.make_item(url=url, external_id=external_id, **fields)

    def read_content(self, content: Selector) -> tuple[dict[str, str], str]:
        """(labelled values, free text) of the post's content element; a site's spider reads
        what its markup holds besides (filmmakers' print view: the post time)."""
        return self.labels.extract(content)
