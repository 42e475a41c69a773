"""`jsonld`: pages that embed schema.org `JobPosting` JSON-LD, as job and casting sites do for
search engines. Config: `link` (CSS of detail links on a listing page), `next_page` /
`page_url` for pagination, `defaults`, `labels` (read in the description).

Shapes read (https://schema.org/JobPosting, Google's job-posting structured data guide):
- postings at the top of a block, in a top-level array, inside `@graph`, `ItemList`s, or
  beside other things (WebSite, Organization, BreadcrumbList...), `@type` a string or a list;
- `hiringOrganization` as text, an `Organization`, or an `{"@id": ...}` reference to a node
  elsewhere on the page (Yoast-style `@graph`s);
- `jobLocation` as one `Place` or a list, `address` as text or a `PostalAddress`;
- `baseSalary` as a number or a `MonetaryAmount` whose `value` is a number or a
  `QuantitativeValue` (`value`, or `minValue`/`maxValue`, `unitText`), see `salary_text`;
- `validThrough` / `datePosted` as a date or a datetime, with or without an offset.

Each `<script type="application/ld+json">` is parsed on its own, so a broken block costs only
itself: it is counted (`ohm/jsonld/broken_blocks`) and logged, and it enters the run's error
sample only when the page gave no posting at all (then the posting was most likely in it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import html_text
import jstyleson
import scrapy
from extruct.jsonld import HTML_OR_JS_COMMENTLINE
from scrapy.http import Response

from crawlers.scraper.items import CastingItem
from crawlers.scraper.labels import LabelExtractor
from crawlers.scraper.spiders.base import SourceSpider

# schema.org unitText → the words `normalize.parse_pay` reads as the contract's pay unit.
# DAY → `day` and MONTH → `month` fit. HOUR, WEEK and YEAR have no counterpart among the
# contract's units (per_session/day/project/month) and are NOT converted (an hourly rate is
# not a session's fee, and a year is not twelve equal months of work): their amount is kept
# as stated, the unit is left null, and the raw text (`... per hour`) says what it was.
_UNIT_WORDS = {
    "DAY": "per day",
    "MONTH": "per month",
    "HOUR": "per hour",  # → unit null (no contract counterpart)
    "WEEK": "per week",  # → unit null
    "YEAR": "per year",  # → unit null
}
# Currencies the pay parser knows by their symbol. The symbol is written before each amount
# because the parser drops bare numbers under 100 (`2회`, `1일`) unless a symbol marks them
# as money: an hourly `USD 25` would otherwise be lost.
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_CATEGORY_KEYS = ("occupationalCategory", "industry")
_KOREA = {"kr", "kor", "korea", "south korea", "republic of korea", "대한민국", "한국"}


def _types(node: dict[str, Any]) -> set[str]:
    """`JobPosting`, `["JobPosting"]`, `schema:JobPosting`, `http://schema.org/JobPosting`."""
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in kinds if k}


def job_postings(data: Any) -> Iterator[dict[str, Any]]:
    """Every JobPosting in parsed JSON-LD: inside @graph, lists or ItemLists."""
    if isinstance(data, list):
        for entry in data:
            yield from job_postings(entry)
    elif isinstance(data, dict):
        if "JobPosting" in _types(data):
            yield data
            return
        for key in ("@graph", "itemListElement", "item", "mainEntity"):
            if key in data:
                yield from job_postings(data[key])


def _nodes_by_id(data: Any, index: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every node with an `@id` and more than the id, so `{"@id": ...}` references resolve."""
    if isinstance(data, list):
        for entry in data:
            _nodes_by_id(entry, index)
    elif isinstance(data, dict):
        if isinstance(data.get("@id"), str) and len(data) > 1:
            index.setdefault(data["@id"], data)
        for value in data.values():
            if isinstance(value, (list, dict)):
                _nodes_by_id(value, index)
    return index


class _Page:
    """One page's JSON-LD nodes, with `@id` references resolved on demand."""

    def __init__(self, blocks: list[Any]) -> None:
        self.ids = _nodes_by_id(blocks, {})

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return self.ids.get(str(value["@id"]), value)
        return value

    def name(self, value: Any) -> str:
        value = self.resolve(value)
        if isinstance(value, dict):
            return str(value.get("name") or value.get("value") or "").strip()
        if isinstance(value, list):
            return ", ".join(filter(None, map(self.name, value)))
        return str(value or "").strip()

    def places(self, posting: dict[str, Any]) -> list[dict[str, str]]:
        """Each Place as {venue, street, locality, region, country} text (or {text: ...})."""
        found = self.resolve(posting.get("jobLocation")) or []
        out = []
        for place in found if isinstance(found, list) else [found]:
            place = self.resolve(place)
            if not isinstance(place, dict):
                if str(place or "").strip():
                    out.append({"text": str(place).strip()})
                continue
            address = self.resolve(place.get("address"))
            parts = {"venue": self.name(place.get("name"))}
            if isinstance(address, dict):
                parts |= {
                    "street": self.name(address.get("streetAddress")),
                    "locality": self.name(address.get("addressLocality")),
                    "region": self.name(address.get("addressRegion")),
                    "country": self.name(address.get("addressCountry")),
                }
            elif address:
                parts["text"] = str(address).strip()
            out.append(parts)
        return out


def _location(posting: dict[str, Any], places: list[dict[str, str]]) -> str:
    """The places as one line each joined by ` / `: venue, street, locality, region, country
    (a part already inside a longer one is not repeated)."""
    if str(posting.get("jobLocationType", "")).upper() == "TELECOMMUTE":
        return "online"
    lines = []
    for place in places:
        parts: list[str] = []
        for key in ("venue", "text", "street", "locality", "region", "country"):
            value = place.get(key, "")
            if value and not any(value in part for part in parts):
                parts.append(value)
        if parts:
            lines.append(", ".join(parts))
    return " / ".join(lines)


def _region(places: list[dict[str, str]]) -> str:
    """The province the first place in Korea names (`서울특별시`, `경기도`, `Seoul`), for the
    pipeline's region reader. A place abroad gives none: the source's default (`overseas`)
    or the location text decides."""
    for place in places:
        if place.get("country", "").strip().lower() not in _KOREA | {""}:
            continue
        if region := place.get("region") or place.get("locality"):
            return region
    return ""


def _amount(value: Any) -> str:
    """`150000`, `150000.0`, `"150,000"` → `150000`; `25.5` → `25.5`; text that is no number
    (`회사내규에 따름`) as it is; nothing → ``."""
    if value is None or isinstance(value, bool):
        return ""
    text = str(value).strip()
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text
    if not number.is_finite():
        return ""
    return str(int(number)) if number == number.to_integral_value() else str(number.normalize())


def salary_text(posting: dict[str, Any]) -> str:
    """`baseSalary` as pay text the pipeline's pay parser reads, which is also kept as the raw
    pay: `KRW 150000 per day`, `KRW 2000000 - 2500000 per month`, `USD $25 per hour`.
    `""` when the posting states no salary."""
    salary = posting.get("baseSalary")
    if isinstance(salary, list):
        salary = next((s for s in salary if s not in (None, "")), None)
    currency = str(posting.get("salaryCurrency") or "").strip().upper()
    value: Any = salary
    unit = ""
    if isinstance(salary, dict):
        currency = str(salary.get("currency") or currency).strip().upper()
        value = salary.get("value")
        if value in (None, "") and ("minValue" in salary or "maxValue" in salary):
            value = salary  # MonetaryAmount may carry minValue/maxValue itself
        unit = str(salary.get("unitText") or "")
    low = high = ""
    if isinstance(value, dict):
        unit = str(value.get("unitText") or unit)
        low, high = _amount(value.get("minValue")), _amount(value.get("maxValue"))
        if not (low or high):
            low = _amount(value.get("value"))
    else:
        low = _amount(value)
    if not (low or high):
        return ""
    symbol = _SYMBOLS.get(currency, "")
    amounts = " - ".join(f"{symbol}{a}" for a in dict.fromkeys(a for a in (low, high) if a))
    words = _UNIT_WORDS.get(unit.strip().upper(), unit.strip().lower())
    return " ".join(part for part in (currency, amounts, words) if part)


def _date_text(value: Any) -> str:
    """validThrough / datePosted as written (`2026-12-05`, `2026-12-05T23:59:59+09:00`): the
    pipeline reads the date a poster wrote, in the poster's own zone."""
    return str(value or "").strip()


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

    def json_ld_blocks(self, response: Response) -> tuple[list[Any], list[str]]:
        """(each block that parses, why each other one did not). Parsed one by one, with
        extruct's leniency (leading HTML/JS comment lines, then comments and trailing
        commas through jstyleson), because extruct's own `extract` fails or drops the
        whole page's JSON-LD over one bad block."""
        blocks: list[Any] = []
        broken: list[str] = []
        scripts = response.xpath(
            "//script[starts-with(normalize-space(translate(@type,"
            " 'APPLICATION/LD+JSON', 'application/ld+json')), 'application/ld+json')]"
        )
        for number, script in enumerate(scripts, start=1):
            text = script.xpath("string()").get("").strip()
            if not text:
                continue
            try:
                blocks.append(json.loads(text, strict=False))
            except ValueError:
                try:
                    blocks.append(
                        jstyleson.loads(HTML_OR_JS_COMMENTLINE.sub("", text), strict=False)
                    )
                except Exception as error:  # whatever a broken block raises, never the page
                    broken.append(f"JSON-LD block {number} is not valid JSON: {error}")
        return blocks, broken

    def parse_detail(self, response: Response) -> Iterator[CastingItem]:
        blocks, broken = self.json_ld_blocks(response)
        page = _Page(blocks)
        postings = list(job_postings(blocks))
        for reason in broken:
            self.logger.warning("%s: %s", response.url, reason)
            if getattr(self, "crawler", None):
                self.crawler.stats.inc_value("ohm/jsonld/broken_blocks")
            if not postings:
                self.record_error(response.url, reason, kind="parse")
        for posting in postings:
            yield self._item(posting, response, page)

    def _item(self, posting: dict[str, Any], response: Response, page: _Page) -> CastingItem:
        description_html = str(posting.get("description") or "")
        description = description_html
        if "<" in description_html:
            description = html_text.extract_text(description_html, guess_layout=True)
        labelled, free = self.labels.from_text(description)
        identifier = posting.get("identifier")
        places = page.places(posting)
        structured = {
            "url": response.urljoin(str(posting.get("url") or response.url)),
            # The posting's own identifier, else its JSON-LD node id (`…/casting/7301#job`).
            "external_id": str(identifier.get("value") or "")
            if isinstance(identifier, dict)
            else str(identifier or posting.get("@id") or ""),
            "title": str(posting.get("title") or posting.get("name") or ""),
            "description": free,
            "posted": _date_text(posting.get("datePosted")),
            "deadline": _date_text(posting.get("validThrough")),
            "company": page.name(posting.get("hiringOrganization")),
            "region": _region(places),
            "location": _location(posting, places),
            "pay": salary_text(posting),
            "category": " ".join(
                filter(None, (page.name(posting.get(k)) for k in _CATEGORY_KEYS))
            ),
        }
        # The structured value wins where the posting states one; the description's
        # `출연료: …` / `마감: …` labels fill what it leaves out (they used to collide with it:
        # `make_item() got multiple values for keyword argument 'pay'`).
        return self.make_item(**{**labelled, **{k: v for k, v in structured.items() if v}})
