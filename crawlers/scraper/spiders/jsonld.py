"""`jsonld`: pages that embed schema.org `JobPosting` JSON-LD (read with extruct), as job and
casting sites do for search engines. Config: `link` (CSS of detail links on a listing page),
`next_page` / `page_url` for pagination, `defaults`, `labels` (read in the description)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import extruct
import html_text
import scrapy
from scrapy.http import Response

from crawlers.scraper.items import CastingItem
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.spiders.base import SourceSpider

# schema.org's unitText for a salary → words the pay parser reads.
_UNIT_WORDS = {"DAY": "per day", "MONTH": "per month", "WEEK": "", "HOUR": "", "YEAR": ""}


def job_postings(data: Any) -> Iterator[dict[str, Any]]:
    """Every JobPosting in extruct's JSON-LD output, inside @graph, lists or ItemLists."""
    if isinstance(data, list):
        for entry in data:
            yield from job_postings(entry)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "JobPosting" in kinds:
            yield data
            return
        for key in ("@graph", "itemListElement", "item"):
            if key in data:
                yield from job_postings(data[key])


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("value") or "")
    if isinstance(value, list):
        return ", ".join(filter(None, map(_name, value)))
    return str(value or "")


def _place(posting: dict[str, Any]) -> str:
    if str(posting.get("jobLocationType", "")).upper() == "TELECOMMUTE":
        return "online"
    places = posting.get("jobLocation") or []
    parts: list[str] = []
    for place in places if isinstance(places, list) else [places]:
        address = place.get("address", {}) if isinstance(place, dict) else {}
        if isinstance(address, dict):
            parts += [_name(address.get(k)) for k in ("addressLocality", "addressRegion",
                                                       "addressCountry")]  # fmt: skip
        else:
            parts.append(str(address))
    return ", ".join(p for p in parts if p)


def _pay(posting: dict[str, Any]) -> str:
    salary = posting.get("baseSalary")
    if not isinstance(salary, dict):
        return str(salary or "")
    value = salary.get("value") or {}
    currency = salary.get("currency", "")
    if not isinstance(value, dict):
        return f"{currency} {value}".strip()
    low, high = value.get("minValue"), value.get("maxValue")
    amount = f"{low} - {high}" if low is not None and high is not None else value.get("value", "")
    unit = _UNIT_WORDS.get(str(value.get("unitText", "")).upper(), "")
    return f"{currency} {amount} {unit}".strip()


class JsonLdSpider(SourceSpider):
    name = "jsonld"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = LabelExtractor(self.config.get("labels"))

    def parse(
        self, response: Response, page: int = 1
    ) -> Iterator[CastingItem | scrapy.Request]:
        yield from self.parse_detail(response)
        if link := self.config.get("link"):
            for href in response.css(link).getall():
                yield self.request(response.urljoin(href), self.parse_detail)
        if next_url := self.next_page_url(response, page):
            yield self.request(next_url, self.parse, page=page + 1)

    def parse_detail(self, response: Response) -> Iterator[CastingItem]:
        data = extruct.extract(
            response.text, base_url=response.url, syntaxes=["json-ld"], uniform=True
        )
        for posting in job_postings(data.get("json-ld", [])):
            yield self._item(posting, response)

    def _item(self, posting: dict[str, Any], response: Response) -> CastingItem:
        description_html = str(posting.get("description") or "")
        description = description_html
        if "<" in description_html:
            description = html_text.extract_text(description_html, guess_layout=True)
        labelled, free = self.labels.from_text(description)
        identifier = posting.get("identifier")
        return self.make_item(
            **labelled,
            url=response.urljoin(str(posting.get("url") or response.url)),
            external_id=str(identifier.get("value") or "")
            if isinstance(identifier, dict)
            else str(identifier or ""),
            title=str(posting.get("title") or posting.get("name") or ""),
            description=free,
            posted=str(posting.get("datePosted") or ""),
            deadline=str(posting.get("validThrough") or ""),
            company=_name(posting.get("hiringOrganization")),
            location=_place(posting),
            pay=_pay(posting),
            category=" ".join(
                filter(None, (_name(posting.get(k)) for k in ("occupationalCategory", "industry")))
            ),
        )
