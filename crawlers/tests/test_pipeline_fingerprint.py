"""Re-crawls of unchanged raw items skip normalisation (the raw fingerprint on the listing)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from auditions.models import Audition, SourceListing
from crawlers.scraper import pipelines
from crawlers.scraper.items import CastingItem

TODAY = date(2026, 11, 20)


def _items(count: int, **changes: dict[int, dict[str, str]]) -> list[CastingItem]:
    items = []
    for n in range(count):
        raw = {
            "url": f"https://www.example.test/actorCasting/{500 + n}?utm_source=list",
            "external_id": str(500 + n),
            "title": f"단편영화 <바다 {n}> 주연 배우 모집",
            "company": f"바다필름 {n}",
            "roles": "주인공(20대 여자), 친구(30대 남자)",
            "pay": "회차당 30만원",
            "deadline": "12월 1일",
            "region": "서울 마포구",
            "email": f"casting{n}@example.kr",
            "description": "프로필과 연기영상을 보내주세요.",
        }
        raw.update(changes.get("by_index", {}).get(n, {}))
        items.append(CastingItem(**raw))
    return items


def _crawl(make_source, spider_for, items, *, today=TODAY):
    spider = spider_for(make_source("filmmakers"))
    pipeline = pipelines.IngestPipeline.from_crawler(spider.crawler)
    pipeline.today = today
    with CaptureQueriesContext(connection) as captured:
        for item in items:
            pipeline.process_item(item)
        pipeline.close_spider()
    stats = spider.crawler.stats
    counts = {
        key: stats.get_value(f"ohm/items_{key}", 0)
        for key in ("seen", "normalised", "created", "updated", "unchanged", "merged")
    }
    return counts, len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(("small", "large"), [(3, 40)])
def test_an_unchanged_rerun_normalises_nothing_in_a_flat_number_of_queries(
    make_source, spider_for, settings, small, large
):
    first, _ = _crawl(make_source, spider_for, _items(large))
    assert first["normalised"] == first["created"] == large

    # when: the same raw items again, few and many
    again_few, few_queries = _crawl(make_source, spider_for, _items(large)[:small])
    again_many, many_queries = _crawl(make_source, spider_for, _items(large))

    # then: all unchanged, none normalised; source + listings + one UPDATE, whatever the count
    assert again_many == {"seen": large, "normalised": 0, "created": 0, "updated": 0,
                          "unchanged": large, "merged": 0}  # fmt: skip
    assert again_few["normalised"] == 0 and again_few["unchanged"] == small
    assert few_queries == many_queries <= 3
    assert SourceListing.objects.exclude(raw_fingerprint="").count() == large


@pytest.mark.django_db
def test_a_changed_raw_field_is_normalised_again_and_updated(make_source, spider_for):
    _crawl(make_source, spider_for, _items(5))

    changed = _items(5, by_index={2: {"pay": "일당 15만원"}})
    counts, _ = _crawl(make_source, spider_for, changed)

    assert (counts["normalised"], counts["updated"], counts["unchanged"]) == (1, 1, 4)
    audition = Audition.objects.get(listings__external_id="502")
    assert (audition.pay_amount_min, audition.pay_unit) == (150_000, "day")
    # and the new fingerprint is stored: the next run skips it too
    counts, _ = _crawl(make_source, spider_for, changed)
    assert (counts["normalised"], counts["unchanged"]) == (0, 5)


@pytest.mark.django_db
def test_a_new_normaliser_version_or_reference_date_normalises_again(
    make_source, spider_for, monkeypatch
):
    _crawl(make_source, spider_for, _items(4))

    # a new version: everything normalised again, content the same, so unchanged
    monkeypatch.setattr(pipelines, "NORMALISER_VERSION", pipelines.NORMALISER_VERSION + 1)
    counts, _ = _crawl(make_source, spider_for, _items(4))
    assert (counts["normalised"], counts["unchanged"], counts["updated"]) == (4, 4, 0)
    # ... and the new fingerprints are remembered
    counts, _ = _crawl(make_source, spider_for, _items(4))
    assert (counts["normalised"], counts["unchanged"]) == (0, 4)

    # another day: a relative date may mean something else, so normalised again
    counts, _ = _crawl(make_source, spider_for, _items(4), today=TODAY + timedelta(days=1))
    assert counts["normalised"] == 4


@pytest.mark.django_db
def test_staff_locked_fields_stay_when_the_raw_item_changes(make_source, spider_for):
    _crawl(make_source, spider_for, _items(2))
    audition = Audition.objects.get(listings__external_id="500")
    audition.title = "스태프가 고친 제목"
    audition.staff_locked_fields = ["title"]
    audition.save()

    edited = _items(2, by_index={0: {"title": "바뀐 제목", "pay": "일당 10만원"}})
    counts, _ = _crawl(make_source, spider_for, edited)

    assert counts["updated"] == 1
    audition.refresh_from_db()
    assert audition.title == "스태프가 고친 제목"
    assert audition.pay_amount_min == 100_000


@pytest.mark.django_db
def test_the_same_identity_twice_in_a_batch_is_not_skipped(make_source, spider_for):
    _crawl(make_source, spider_for, _items(3))
    items = _items(3)
    newer = _items(1, by_index={0: {"title": "같은 글, 고친 제목"}})[0]

    counts, _ = _crawl(make_source, spider_for, [*items, newer])

    # the unchanged copy and the edit of listing 500 both go through the ingest, in order
    assert (counts["normalised"], counts["unchanged"]) == (2, 3)
    assert Audition.objects.get(listings__external_id="500").title == "같은 글, 고친 제목"
