"""From a spider's raw item to the catalogue: normalise into `auditions.ingest.ListingData`,
hand batches of them to `auditions.ingest.audition_ingest_listings`, count what happened.

Items are buffered and written a batch at a time (`OHM_INGEST_BATCH_SIZE` items, or whatever
has waited `OHM_INGEST_BATCH_SECONDS`, and the rest when the spider closes), each batch in one
transaction: a crawl that dies mid-way leaves every batch before it whole and nothing of the
one it was writing. Outcomes are counted per item once its batch is written.

Re-crawls are mostly unchanged items, and normalising one (~1 ms of Korean text parsing) costs
far more than writing it. So each item's raw fields are fingerprinted (`raw_fingerprint`: the
raw text, `NORMALISER_VERSION` and the reference date relative dates are read against) and,
per batch, the items whose listing on this source was last written from the same fingerprint
are counted unchanged with one look-up and one `last_seen_at` UPDATE, never normalised
(`auditions.ingest.audition_listings_seen_unchanged`). Only the rest are normalised (counted
in `ohm/items_normalised`) and ingested. Bump `NORMALISER_VERSION` with any change to what
`listing_from_item` makes of the same text: the next crawl then normalises everything again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import date
from typing import Any

from django.utils import timezone
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from auditions.ingest import ListingData
from crawlers.scraper import normalize as n
from crawlers.scraper import prose as prose_module
from crawlers.scraper import roles as roles_module
from crawlers.scraper import sections as sections_module
from crawlers.scraper import submission
from crawlers.scraper.items import RAW_FIELDS

logger = logging.getLogger(__name__)

OUTCOMES = ("created", "updated", "unchanged", "merged")
# Bump whenever `listing_from_item` (or crawlers.scraper.normalize) would make something else
# of the same raw text: stored fingerprints stop matching and every item is normalised again.
NORMALISER_VERSION = 4
# Items per batch write, and the longest an item waits for its batch to fill.
BATCH_SIZE = 100
BATCH_SECONDS = 2.0
MAX_ROLES = roles_module.MAX_ROLES
# Kept here for callers that import it from the pipeline.
parse_roles = roles_module.parse_roles


def raw_fields(item: Any) -> dict[str, str]:
    """The item's raw text, field by field (the non-empty RAW_FIELDS, as strings)."""
    return {
        key: str(value) for key, value in ItemAdapter(item).items()
        if key in RAW_FIELDS and value
    }  # fmt: skip


def raw_fingerprint(raw: dict[str, str], *, today: date) -> str:
    """Everything `listing_from_item`'s output depends on besides the source: the raw text,
    the normaliser's version and the reference date (`오늘`, `D-3`, years of birth, a missing
    year are read against it, so a new day normalises once again)."""
    payload = json.dumps(
        [NORMALISER_VERSION, today.isoformat(), raw], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def listing_from_item(item: Any, *, source_slug: str, today: date) -> ListingData:
    """The normalised listing a raw item describes; `raw` keeps every field's original text,
    `raw_fingerprint` is its `raw_fingerprint`."""
    raw = raw_fields(item)
    get = raw.get
    title = n.one_line(get("title")) or n.one_line(get("work_title"))
    description = n.clean_text(get("description"))
    if get("work_title") and get("work_title") not in description:
        description = f"작품: {n.one_line(get('work_title'))}\n{description}".strip()

    # The body read as a reader does: its sections first, then its prose.
    sections = sections_module.split_sections(description)
    section = sections_module.section_values(sections)
    prose = sections_module.prose_of(sections)

    def field(key: str) -> str:
        # The item's own label first, then the body's section of the same name.
        return get(key) or section.get(key, "")

    pay = n.parse_pay(field("pay"))
    if pay.type == "unknown":
        pay = prose_module.pay_from_prose(f"{title}\n{prose}")
    deadline_text = field("deadline")
    deadline = n.parse_date(deadline_text, today=today)
    if "~" in deadline_text or "부터" in deadline_text:
        # A period (`2024.09.01 ~ 2024.09.04`, `~ 2024.09.04`): the call closes at its end.
        end = n.parse_date_range(deadline_text, today=today)[1]
        deadline = n.DateValue(end) if end else deadline
    if deadline.value is None and not deadline.rolling:
        found = prose_module.deadline_from_prose(f"{title}\n{prose}", today=today)
        deadline = n.DateValue(found) if found else deadline
    shoot_start, shoot_end = n.parse_date_range(field("shoot_period"), today=today)
    gender = n.parse_gender(field("gender"))
    age = n.parse_age(field("age"), today=today)
    height = n.parse_height(get("height"))
    headcount = n.parse_headcount(get("headcount"))
    region = (
        n.parse_region(get("region"))
        or n.parse_region(get("location"))
        or n.parse_region(section.get("location"))
        or n.parse_region(title)
        or n.region_from_prose(prose)
        or ""
    )

    contact_text = "\n".join(
        filter(None, (get(k) for k in ("contact_person", "phone", "email", "apply_how")))
    )
    own = n.parse_contact(prose_module.reveal_emails(contact_text))
    said = prose_module.apply_from_text(
        "\n".join(filter(None, (contact_text, section.get("apply_how"), description)))
    )
    if get("apply_url"):
        apply_method, apply_target = "external_url", get("apply_url", "")
    elif own.emails:
        apply_method, apply_target = "email", own.emails[0]
    elif said is not None:
        apply_method, apply_target = said.method, said.target
        if apply_method == "external_url" and not apply_target:
            apply_target = get("url", "")  # a page named without its address: the post's
    elif own.phones:
        apply_method, apply_target = "phone", own.phones[0]
    else:
        apply_method, apply_target = "external_url", get("url", "")
    # What an e-mail application needs besides the address: read from the call's own facts
    # (labels, apply sections, prose), never from its story.
    own_facts = "\n".join(filter(None, (title, contact_text, prose)))

    return ListingData(
        source_slug=source_slug,
        url=get("url", ""),
        external_id=n.one_line(get("external_id"))[:200],
        title=title,
        category=n.parse_category(
            get("category"), get("production_type"), title, get("work_title"), description,
            section.get("genre"),
        ),
        company=n.one_line(get("company")),
        description=description,
        production_type=n.one_line(get("production_type")),
        director=n.one_line(get("director")),
        casting_director=n.one_line(get("casting_director")),
        region=region,
        location=n.one_line(get("location")),
        pay_type=pay.type,
        pay_amount_min=pay.amount_min,
        pay_amount_max=pay.amount_max,
        pay_unit=pay.unit,
        pay_currency=pay.currency,
        pay_raw=n.one_line(field("pay"))[:300],
        deadline=deadline.value,
        deadline_raw=n.one_line(field("deadline"))[:100],
        shoot_start=shoot_start,
        shoot_end=shoot_end,
        posted_at=n.parse_datetime(get("posted"), today=today),
        apply_method=apply_method,
        apply_target=apply_target,
        apply_direct_only=submission.direct_only(own_facts),
        apply_subject_format=submission.subject_format(own_facts),
        required_media=n.parse_required_media(f"{get('apply_how', '')} {description}"),
        contact_raw=n.clean_text(contact_text),
        roles=roles_module.parse_roles(
            get("roles", ""), gender=gender, age=age, height=height, headcount=headcount,
            today=today, sections=sections, prose=f"{title}\n{prose}",
        ),
        raw=raw,
        raw_fingerprint=raw_fingerprint(raw, today=today),
        normaliser_version=NORMALISER_VERSION,
    )


class IngestPipeline:
    """Writes items through the auditions batch service and counts each item's outcome in the
    crawl's stats (`ohm/items_<outcome>`); a rejected item is counted with its reason, never
    fatal, and never stops the rest of its batch."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.today = timezone.localdate()
        settings = crawler.settings
        self.batch_size = max(1, settings.getint("OHM_INGEST_BATCH_SIZE", BATCH_SIZE))
        self.batch_seconds = settings.getfloat("OHM_INGEST_BATCH_SECONDS", BATCH_SECONDS)
        # (url, raw fields, raw fingerprint) of each buffered item.
        self.pending: list[tuple[str, dict[str, str], str]] = []
        self.pending_since = 0.0
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> IngestPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        # A slow crawl still writes what it has every few seconds (a killed one keeps it).
        from twisted.internet import task

        self.loop = task.LoopingCall(self.flush_if_due)
        self.loop.start(max(0.1, self.batch_seconds / 2), now=False)

    def close_spider(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.flush()

    def process_item(self, item: Any) -> Any:
        url = str(ItemAdapter(item).get("url") or "")
        self.crawler.stats.inc_value("ohm/items_seen")
        try:
            raw = raw_fields(item)
            fingerprint = raw_fingerprint(raw, today=self.today)
        except Exception as error:
            logger.exception("reading %s failed", url)
            self._count_failed(url, f"{type(error).__name__}: {error}")
            raise DropItem(f"ingest failed: {error}") from error
        if not self.pending:
            self.pending_since = time.monotonic()
        # Normalised at flush time, and only if the batch's look-up finds it changed or new.
        self.pending.append((url, raw, fingerprint))
        if len(self.pending) >= self.batch_size:
            self.flush()
        else:
            self.flush_if_due()
        return item

    def flush_if_due(self) -> None:
        if self.pending and time.monotonic() - self.pending_since >= self.batch_seconds:
            self.flush()

    def flush(self) -> None:
        """Writes the buffered items as one batch and counts every item's outcome: those whose
        raw fingerprint their listing already has are unchanged without being normalised; the
        rest are normalised and ingested."""
        from auditions.ingest import (
            Rejection,
            SeenItem,
            audition_ingest_listings,
            audition_listings_seen_unchanged,
        )

        pending, self.pending = self.pending, []
        if not pending:
            return
        stats = self.crawler.stats
        spider = self.crawler.spider
        seen_at = timezone.now()
        try:
            seen = audition_listings_seen_unchanged(
                source_slug=spider.source_slug,
                items=[
                    SeenItem(n.one_line(raw.get("external_id"))[:200], raw.get("url", ""), fp)
                    for _, raw, fp in pending
                ],
                seen_at=seen_at,
            )
        except Exception:
            # Only an optimisation: without it every item is normalised and ingested.
            logger.exception("looking up the unchanged items of a batch failed")
            seen = [None] * len(pending)
        batch: list[tuple[str, ListingData]] = []
        for (url, raw, _), result in zip(pending, seen, strict=True):
            if result is not None:
                stats.inc_value(f"ohm/items_{result.outcome}")
                continue
            try:
                listing = listing_from_item(raw, source_slug=spider.source_slug, today=self.today)
            except Exception as error:
                logger.exception("normalising %s failed", url)
                self._count_failed(url, f"{type(error).__name__}: {error}")
                continue
            stats.inc_value("ohm/items_normalised")
            batch.append((url, listing))
        if not batch:
            return
        try:
            results = audition_ingest_listings(
                listings=[listing for _, listing in batch], seen_at=seen_at
            )
        except Exception as error:
            # The batch's transaction was lost (the database went away): nothing of it was
            # written, every item of it failed; the crawl goes on with the next batch.
            logger.exception("ingesting a batch of %d items failed", len(batch))
            for url, _ in batch:
                self._count_failed(url, f"{type(error).__name__}: {error}")
            return
        for (url, _), result in zip(batch, results, strict=True):
            if isinstance(result, Rejection) and result.kind == "rejected":
                stats.inc_value("ohm/items_rejected")
                spider.record_error(url, result.reason, kind="rejected")
            elif isinstance(result, Rejection):
                self._count_failed(url, result.reason)
            else:
                stats.inc_value(f"ohm/items_{result.outcome}")

    def _count_failed(self, url: str, reason: str) -> None:
        # A bug or a database error on one item must not end the crawl.
        self.crawler.stats.inc_value("ohm/items_failed")
        self.crawler.spider.record_error(url, reason, kind="ingest")


class RunReporter:
    """Writes a crawl's counts and error sample to its CrawlRun every few seconds and at the
    end (extension; the run id comes in the OHM_RUN_ID setting)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run_id = crawler.settings.getint("OHM_RUN_ID") or None
        self.interval = crawler.settings.getfloat("OHM_PROGRESS_INTERVAL", 5.0)
        self.pages = 0
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReporter:
        reporter = cls(crawler)
        # Bound methods: signals keep weak references (docs/architecture.md#traps).
        crawler.signals.connect(reporter.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.response_received, signal=signals.response_received)
        crawler.signals.connect(reporter.spider_closed, signal=signals.spider_closed)
        return reporter

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.loop = task.LoopingCall(self.flush)
        self.loop.start(self.interval, now=False)

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        if not request.url.endswith("/robots.txt"):
            self.pages += 1

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.flush(finish_reason=reason)

    def counts(self) -> dict[str, int]:
        stats = self.crawler.stats
        return {
            "pages_fetched": self.pages,
            "items_seen": stats.get_value("ohm/items_seen", 0),
            **{f"items_{o}": stats.get_value(f"ohm/items_{o}", 0) for o in OUTCOMES},
            "items_rejected": stats.get_value("ohm/items_rejected", 0),
        }

    def flush(self, finish_reason: str | None = None) -> None:
        spider = self.crawler.spider
        counts = self.counts()
        if self.run_id is None:
            if finish_reason:
                logger.info("crawl finished (%s): %s", finish_reason, counts)
            return
        from crawlers.services import crawl_run_report

        stats = {"finish_reason": finish_reason} if finish_reason else {}
        crawl_run_report(
            run_id=self.run_id,
            counts=counts,
            error_count=getattr(spider, "error_count", 0),
            errors=list(getattr(spider, "errors", [])),
            stats=stats,
        )
