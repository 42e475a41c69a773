"""Re-reading the catalogue from kept raw text when NORMALISER_VERSION moves
(`crawlers.services.listings_renormalize`, `manage.py renormalize`, the hourly task)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from auditions import selectors, services
from auditions.models import Audition, AuditionEvent, SourceListing
from auditions.tests import factories
from crawlers import tasks
from crawlers.scraper import pipelines
from crawlers.services import listings_renormalize
from ohmanager.schedules import PERIODIC_TASKS

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)
_numbers = iter(range(900, 100_000))


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sources(db):
    return factories.source("filmmakers"), factories.source("castingboard", "Casting Board")


def _raw(slug: str = "filmmakers", **changes: str) -> dict[str, str]:
    number = next(_numbers)
    raw = {
        "url": f"https://www.{slug}.test/actorCasting/{number}",
        "external_id": str(number),
        "title": f"단편영화 <겨울숲 {number}> 배우 모집",
        "company": "숲필름",
        "roles": "수아(20대 여자), 민구(30대 남자)",
        "pay": "회차당 20만원",
        "deadline": "3월 20일",
        "region": "서울 마포구",
        "email": "casting@example.kr",
        "description": "눈썰매 장면이 있습니다. 프로필을 보내주세요.",
    }
    raw.update(changes)
    return raw


def _crawl(raws: list[dict[str, str]], slug: str = "filmmakers") -> list[SourceListing]:
    """The raw items ingested as the crawl pipeline ingests them (today's reading)."""
    today = NOW.date()
    results = services.audition_ingest_listings(
        listings=[pipelines.listing_from_item(raw, source_slug=slug, today=today) for raw in raws]
    )
    return [SourceListing.objects.get(pk=result.listing_id) for result in results]


def _as_read_by_an_older_version(listing: SourceListing, **wrong: object) -> Audition:
    """What an older normaliser left: another content hash, a lower version and a wrong
    reading with derived columns (trust, feed points) to match."""
    SourceListing.objects.filter(pk=listing.pk).update(
        normaliser_version=pipelines.NORMALISER_VERSION - 1, content_hash="read-by-the-old-one"
    )
    # The search columns go stale too (PostgreSQL searches search_vector, not the document).
    Audition.objects.filter(pk=listing.audition_id).update(
        trust_score=0, trust_flags=[], feed_points=0, search_vector=None, **wrong
    )
    return Audition.objects.get(pk=listing.audition_id)


# Wrong the way issue 14's list says the old normaliser was wrong.
OLD_READING = {
    "category": "drama",  # a genre label taken for the medium
    "pay_type": "unknown",  # `회차 당` not read
    "pay_amount_min": None,
    "pay_amount_max": None,
    "pay_unit": "",
    "description": "프로필을 보내주세요.",  # part of the body lost
}


@pytest.mark.django_db
def test_a_listing_read_by_an_older_version_is_read_right_again_without_a_crawl(sources):
    # given: a call ingested today, then made to look read by the previous version
    (listing,) = _crawl([_raw()])
    fresh = Audition.objects.get(pk=listing.audition_id)
    _as_read_by_an_older_version(listing, **OLD_READING)
    assert not selectors.audition_list(query="눈썰매").exists()

    # when
    result = listings_renormalize()

    # then: read right, as a fresh crawl would
    assert (result.read, result.changed, result.unchanged, result.failed) == (1, 1, 0, 0)
    assert result.version == pipelines.NORMALISER_VERSION
    audition = Audition.objects.get(pk=listing.audition_id)
    assert audition.category == "film"
    assert (audition.pay_type, audition.pay_amount_min, audition.pay_unit) == (
        "paid",
        200_000,
        "per_session",
    )
    # ... with trust, feed points and the search document refreshed
    assert (audition.trust_score, audition.trust_flags) == (fresh.trust_score, fresh.trust_flags)
    assert audition.feed_points == fresh.feed_points > 0
    assert list(selectors.audition_list(query="눈썰매")) == [audition]
    if connection.vendor == "postgresql":
        assert audition.search_vector == fresh.search_vector
    # ... one audit event naming what changed, and why
    event = AuditionEvent.objects.get(audition=audition, action=AuditionEvent.Action.UPDATED)
    assert set(OLD_READING) <= set(event.changes)
    assert event.changes["category"] == ["drama", "film"]
    assert f"normaliser version {pipelines.NORMALISER_VERSION}" in event.note
    # ... the listing marked read by this version, and not taken for a sighting
    stored = SourceListing.objects.get(pk=listing.pk)
    assert stored.normaliser_version == pipelines.NORMALISER_VERSION
    assert stored.content_hash != "read-by-the-old-one"
    assert stored.last_seen_at == listing.last_seen_at


@pytest.mark.django_db
def test_relative_dates_are_read_against_the_day_the_listing_was_last_seen(sources):
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=SEOUL), tick=False):
        (listing,) = services.audition_ingest_listings(
            listings=[
                pipelines.listing_from_item(
                    _raw(deadline="D-3"), source_slug="filmmakers", today=date(2026, 3, 1)
                )
            ]
        )
    listing = SourceListing.objects.get(pk=listing.listing_id)
    _as_read_by_an_older_version(listing, deadline=None, category="drama")

    listings_renormalize()  # on 2026-03-10

    audition = Audition.objects.get(pk=listing.audition_id)
    # D-3 as the crawl of 2026-03-01 read it, not ten days on (which would reopen the call)
    assert audition.deadline == date(2026, 3, 4)
    assert audition.category == "film"


@pytest.mark.django_db
def test_staff_locked_fields_stay(sources):
    (listing,) = _crawl([_raw()])
    audition = Audition.objects.get(pk=listing.audition_id)
    factories.staff_edit(audition, actor=None, title="스태프가 고친 제목", category="drama")
    _as_read_by_an_older_version(listing, pay_type="unknown", pay_amount_min=None,
                                 pay_amount_max=None, pay_unit="")  # fmt: skip

    result = listings_renormalize()

    assert result.changed == 1
    audition.refresh_from_db()
    assert (audition.title, audition.category) == ("스태프가 고친 제목", "drama")
    assert audition.pay_amount_min == 200_000
    event = AuditionEvent.objects.get(audition=audition, action=AuditionEvent.Action.UPDATED)
    assert "pay_type" in event.changes
    assert not {"title", "category"} & set(event.changes)


@pytest.mark.django_db
def test_source_limits_it_to_one_source_whatever_version_read_it(sources):
    (ours,) = _crawl([_raw("filmmakers")], "filmmakers")
    # (another call: the same title on two boards would be merged into one audition)
    (theirs,) = _crawl(
        [_raw("castingboard", title="뮤직비디오 <봄비> 단편영화 배우")], "castingboard"
    )
    _as_read_by_an_older_version(ours, category="drama")
    _as_read_by_an_older_version(theirs, category="drama")
    # a listing of the source already read by this version is read again too
    (current,) = _crawl([_raw("filmmakers", pay="일당 15만원")], "filmmakers")

    result = listings_renormalize(source_slug="filmmakers")

    assert (result.read, result.changed, result.unchanged) == (2, 1, 1)
    assert Audition.objects.get(pk=ours.audition_id).category == "film"
    assert Audition.objects.get(pk=theirs.audition_id).category == "drama"
    assert SourceListing.objects.get(pk=theirs.pk).normaliser_version < (
        pipelines.NORMALISER_VERSION
    )
    assert Audition.objects.get(pk=current.audition_id).pay_amount_min == 150_000


@pytest.mark.django_db
def test_a_listing_that_cannot_be_read_again_is_counted_and_the_others_go_on(
    sources, monkeypatch, caplog
):
    listings = _crawl([_raw(), _raw(), _raw(), _raw()])
    for listing in listings:
        _as_read_by_an_older_version(listing, category="drama")
    broken, untitled = listings[1], listings[2]
    # a reading that blows up (quoting the post's text, as errors do) ...
    secret = "010-1234-5678 비밀 연락처"
    real = pipelines.listing_from_item

    def reading(item, **kwargs):
        if item.get("external_id") == broken.external_id:
            raise ValueError(f"cannot read {secret!r}")
        return real(item, **kwargs)

    monkeypatch.setattr(pipelines, "listing_from_item", reading)
    # ... and one the ingest rejects (the new reading finds no title)
    raw = {key: value for key, value in untitled.raw.items() if key != "title"}
    SourceListing.objects.filter(pk=untitled.pk).update(raw=raw)

    with caplog.at_level(logging.WARNING, logger="crawlers.services"):
        result = listings_renormalize(batch_size=2)

    assert (result.read, result.changed, result.failed) == (4, 2, 2)
    assert set(result.failed_listing_ids) == {broken.pk, untitled.pk}
    for listing in (listings[0], listings[3]):
        assert Audition.objects.get(pk=listing.audition_id).category == "film"
    for listing in (broken, untitled):
        assert Audition.objects.get(pk=listing.audition_id).category == "drama"
        assert SourceListing.objects.get(pk=listing.pk).normaliser_version < (
            pipelines.NORMALISER_VERSION
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"listing {broken.pk} failed: ValueError" in logged
    assert f"listing {untitled.pk} failed: InvalidInput (listing_rejected)" in logged
    assert secret not in logged and "겨울숲" not in logged and "casting@" not in logged
    # left for the next run, which changes nothing else
    again = listings_renormalize()
    assert (again.read, again.changed, again.failed) == (2, 0, 2)


@pytest.mark.django_db
def test_a_second_run_changes_nothing(sources):
    listings = _crawl([_raw(), _raw(), _raw()])
    for listing in listings:
        _as_read_by_an_older_version(listing, **OLD_READING)
    first = listings_renormalize(batch_size=2)
    assert first.changed == 3
    events = AuditionEvent.objects.count()
    updated = list(Audition.objects.order_by("pk").values_list("pk", "updated_at"))

    again = listings_renormalize()
    all_of_the_source = listings_renormalize(source_slug="filmmakers")

    assert (again.read, again.changed) == (0, 0)
    assert (all_of_the_source.read, all_of_the_source.changed) == (3, 0)
    assert all_of_the_source.unchanged == 3
    assert AuditionEvent.objects.count() == events
    assert list(Audition.objects.order_by("pk").values_list("pk", "updated_at")) == updated


@pytest.mark.django_db
def test_listings_without_raw_text_are_skipped(sources):
    audition = factories.audition(raw={})  # e.g. demo data: nothing kept to read

    result = listings_renormalize()

    assert (result.read, result.skipped) == (0, 1)
    assert Audition.objects.get(pk=audition.pk).title == audition.title


def _queries_to_renormalize(count: int, *, wrong: dict[str, object]) -> int:
    listings = _crawl([_raw() for _ in range(count)])
    for listing in listings:
        _as_read_by_an_older_version(listing, **wrong)
    with CaptureQueriesContext(connection) as captured:
        result = listings_renormalize(batch_size=2 * count)
    assert result.changed == count
    SourceListing.objects.all().delete()  # the next measure starts from an empty catalogue
    Audition.objects.all().delete()
    return len(captured.captured_queries)


# Per changed listing, whatever number of its fields changed: the ingest's savepoint, the
# source, the listing (found, saved), the audition (locked, its roles, repost count, its two
# check constraints, saved), its roles rewritten when they changed, one event.
PER_LISTING = 18
PER_BATCH = 3  # the batch's transaction and its select
# An unchanged one: the savepoint, the source, the listing found and marked read.
PER_UNCHANGED_LISTING = 5


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 6])
def test_queries_grow_with_the_batch_not_with_the_fields(
    sources, count, django_assert_max_num_queries
):
    one_field = _queries_to_renormalize(count, wrong={"category": "drama"})
    many_fields = _queries_to_renormalize(count, wrong=OLD_READING)
    assert one_field == many_fields

    listings = _crawl([_raw() for _ in range(count)])
    for listing in listings:
        _as_read_by_an_older_version(listing, **OLD_READING)
    with django_assert_max_num_queries(PER_BATCH + PER_LISTING * count):
        listings_renormalize(batch_size=2 * count)


@pytest.mark.django_db
def test_unchanged_listings_cost_a_few_queries_each(sources, django_assert_max_num_queries):
    listings = _crawl([_raw() for _ in range(6)])
    SourceListing.objects.filter(pk__in=[x.pk for x in listings]).update(normaliser_version=1)

    with django_assert_max_num_queries(PER_BATCH + 6 * PER_UNCHANGED_LISTING):
        result = listings_renormalize()

    assert (result.read, result.unchanged, result.changed) == (6, 6, 0)


@pytest.mark.django_db
def test_the_command_prints_the_counts(sources):
    listings = _crawl([_raw(), _raw()])
    _as_read_by_an_older_version(listings[0], category="drama")
    out = StringIO()

    call_command("renormalize", "--source", "filmmakers", "--batch-size", "1", stdout=out)

    assert out.getvalue().strip() == (
        f"normaliser version {pipelines.NORMALISER_VERSION}, source filmmakers: read 2, "
        "changed 1, unchanged 1, failed 0, skipped 0 (no raw text)"
    )
    with pytest.raises(CommandError, match="no source 'nowhere'"):
        call_command("renormalize", "--source", "nowhere")
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("renormalize", "--batch-size", "0")


@pytest.mark.django_db
def test_the_task_runs_the_service_and_is_scheduled(sources):
    (listing,) = _crawl([_raw()])
    _as_read_by_an_older_version(listing, category="drama")

    counts = tasks.renormalize_listings.delay().get()  # eager in tests

    assert counts["read"] == counts["changed"] == 1
    assert Audition.objects.get(pk=listing.audition_id).category == "film"
    specs = {spec.task: spec for spec in PERIODIC_TASKS}
    assert specs["crawlers.tasks.renormalize_listings"].queue == "default"


@pytest.mark.django_db
def test_every_ingest_path_records_the_normaliser_version(sources, monkeypatch):
    # the batch path (new listings) and the single one
    raw = _raw()
    (listing,) = _crawl([raw])
    assert listing.normaliser_version == pipelines.NORMALISER_VERSION
    single = services.audition_ingest_listing(
        listing=pipelines.listing_from_item(_raw(), source_slug="filmmakers", today=NOW.date())
    )
    assert SourceListing.objects.get(pk=single.listing_id).normaliser_version == (
        pipelines.NORMALISER_VERSION
    )
    # content read the same by a newer version: the listing says so, in either path
    monkeypatch.setattr(pipelines, "NORMALISER_VERSION", pipelines.NORMALISER_VERSION + 1)
    again = pipelines.listing_from_item(raw, source_slug="filmmakers", today=NOW.date())
    (result,) = services.audition_ingest_listings(listings=[again])
    assert result.outcome == "unchanged"
    assert SourceListing.objects.get(pk=listing.pk).normaliser_version == (
        pipelines.NORMALISER_VERSION
    )
    monkeypatch.setattr(pipelines, "NORMALISER_VERSION", pipelines.NORMALISER_VERSION + 1)
    again = pipelines.listing_from_item(raw, source_slug="filmmakers", today=NOW.date())
    assert services.audition_ingest_listing(listing=again).outcome == "unchanged"
    assert SourceListing.objects.get(pk=listing.pk).normaliser_version == (
        pipelines.NORMALISER_VERSION
    )
    # ... and nothing is due for re-reading (the other listing is one version behind)
    assert listings_renormalize().read == 1
    assert listings_renormalize().read == 0


@pytest.mark.django_db
def test_staffs_clear_decision_survives_a_renormalise(sources):
    # #18: a risky call quarantined on ingest, cleared by staff, re-read by a newer normaliser
    [listing] = _crawl([_raw(description="등록비 5만원 입금 후 진행, 보호자 신분증 사본 제출")])
    audition = listing.audition
    assert audition.status == Audition.Status.QUARANTINED
    services.audition_moderate(audition=audition, decision="clear", actor=None)
    _as_read_by_an_older_version(listing, category="drama")

    assert listings_renormalize(batch_size=10).changed == 1

    audition.refresh_from_db()
    assert (audition.status, audition.trust_review) == ("open", "cleared")
    assert "fee_requested" in [flag["code"] for flag in audition.trust_flags]
