"""A rolling call is open only while its source still lists it: a crawl that ran to a
successful end and did not see it (though it reached older posts) lets the expiry close it; a
failed or partial crawl says nothing. The crawl itself is played here through the services the
crawl process calls (run start, batch ingest, progress report, finish); test_crawl_process and
test_demo_crawl run real ones."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from auditions import services, tasks
from auditions.models import Audition, AuditionEvent
from auditions.tests import factories
from crawlers.models import CrawlRun
from crawlers.runner import ChildResult
from crawlers.services import crawl_run_finish, crawl_run_report, crawl_run_start

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime(2026, 5, 11, 9, 0, tzinfo=SEOUL)


def crawl(crawl_source, listings, *, returncode=0, errors=0, finish_reason="finished"):
    """One crawl of `crawl_source` that sees `listings`, ended as the crawl process would."""
    run = crawl_run_start(crawl_source=crawl_source, trigger=CrawlRun.Trigger.COMMAND)
    results = services.audition_ingest_listings(listings=listings)
    crawl_run_report(
        run_id=run.pk,
        counts={"items_seen": len(listings), "items_created": len(listings)},
        error_count=errors,
        errors=[{"url": "http://x.test/1", "reason": "HTTP 500", "kind": "fetch"}] * errors,
        stats={"finish_reason": finish_reason},
    )
    child = ChildResult(returncode, False, 60, 1.0, "")
    run = crawl_run_finish(run_id=run.pk, child=child)
    return run, [result.audition_id for result in results]


@pytest.fixture
def board(make_source):
    source = make_source("rss")
    slug = source.slug

    def post(number: int, *, days_ago: float, deadline=None):
        return factories.listing(
            source_slug=slug,
            url=f"https://board.example/casting/{number}",
            external_id=str(number),
            title=f"웹드라마 배우 상시 모집 {number}",
            deadline=deadline,
            posted_at=T0 - timedelta(days=days_ago),
        )

    return source, post


def statuses(ids) -> list[str]:
    return [Audition.objects.get(pk=pk).status for pk in ids]


def test_a_rolling_post_dropped_from_the_listing_is_expired_after_a_successful_crawl(board):
    source, post = board
    oldest, dropped, kept = post(1, days_ago=10), post(2, days_ago=3), post(3, days_ago=1)
    dated = post(4, days_ago=2, deadline=(T0 + timedelta(days=30)).date())
    beyond = post(5, days_ago=20)  # older than anything the next crawl reaches
    with time_machine.travel(T0, tick=False):
        run, ids = crawl(source, [oldest, dropped, kept, dated, beyond])
        assert run.status == CrawlRun.Status.SUCCEEDED
        assert services.auditions_expire() == 0

    # when: the next day's crawl no longer sees #2 (deleted), #4 (dated) nor #5 (past its pages)
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        run, _ = crawl(source, [oldest, kept])
        assert run.status == CrawlRun.Status.SUCCEEDED
        assert tasks.expire_auditions.delay().get() == 1

        # then: only the dropped rolling post expired
        assert statuses(ids) == ["open", "expired", "open", "open", "open"]
        event = AuditionEvent.objects.get(audition_id=ids[1], action="expired")
        assert "no longer listed" in event.note
        # idempotent
        assert services.auditions_expire() == 0

    # and: seen again by the next crawl, the rest stay open
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        crawl(source, [oldest, kept, beyond])
        assert services.auditions_expire() == 0
        assert statuses(ids) == ["open", "expired", "open", "open", "open"]


@pytest.mark.parametrize(
    "ending",
    [
        {"returncode": 1},  # crashed: failed
        {"errors": 1},  # a page failed: partial
        {"finish_reason": "closespider_timeout"},  # cut short
    ],
    ids=["failed", "partial", "cut-short"],
)
def test_a_crawl_that_did_not_succeed_expires_nothing(board, ending):
    source, post = board
    oldest, dropped = post(1, days_ago=10), post(2, days_ago=3)
    with time_machine.travel(T0, tick=False):
        _, ids = crawl(source, [oldest, dropped])

    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        run, _ = crawl(source, [oldest], **ending)
        assert run.status != CrawlRun.Status.SUCCEEDED or ending.get("finish_reason")
        assert services.auditions_expire() == 0
    assert statuses(ids) == ["open", "open"]


def test_an_ancient_post_on_every_page_does_not_stretch_the_crawls_reach(board):
    # given: a 2009 post pinned to the board's first page, seen by every crawl
    source, post = board
    pinned = post(1, days_ago=17 * 365)
    recent, past_the_pages = post(2, days_ago=2), post(3, days_ago=6)
    with time_machine.travel(T0, tick=False):
        _, ids = crawl(source, [pinned, recent, past_the_pages])

    # when: the next crawl sees the pinned and the recent post only
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        crawl(source, [pinned, recent])
        assert services.auditions_expire() == 0

    # then: #3 is older than anything recent it reached: maybe just on a page it did not read
    assert statuses(ids) == ["expired", "open", "open"]


def test_a_successful_crawl_that_saw_nothing_says_nothing(board):
    source, post = board
    with time_machine.travel(T0, tick=False):
        _, ids = crawl(source, [post(1, days_ago=2)])
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        run, _ = crawl(source, [])  # a selector broke: an "empty" board
        assert run.status == CrawlRun.Status.SUCCEEDED
        assert services.auditions_expire() == 0
    assert statuses(ids) == ["open"]


def test_a_call_still_listed_on_another_source_stays_open(board, make_source):
    source, post = board
    other = make_source("mandy")
    with time_machine.travel(T0, tick=False):
        _, ids = crawl(source, [post(1, days_ago=10), post(2, days_ago=3)])
        extra = factories.listing(
            source_slug=other.slug, url="https://mandy.example/jobs/9", external_id="9"
        )
        services.audition_ingest_listing(listing=extra)
        # Staff merge another site's copy into the rolling call.
        keep = Audition.objects.get(pk=ids[1])
        duplicate = Audition.objects.get(listings__source__slug=other.slug)
        services.audition_merge(duplicate=duplicate, into=keep, actor=None)

    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        crawl(source, [post(1, days_ago=10)])
        assert services.auditions_expire() == 0
    assert statuses(ids) == ["open", "open"]


def test_a_status_staff_set_stays(board):
    source, post = board
    with time_machine.travel(T0, tick=False):
        _, ids = crawl(source, [post(1, days_ago=10), post(2, days_ago=3)])
        staff = factories.member(is_staff=True)
        audition = Audition.objects.get(pk=ids[1])
        services.audition_set_status(audition=audition, status="closed", actor=staff)
        services.audition_set_status(audition=audition, status="open", actor=staff)

    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        crawl(source, [post(1, days_ago=10)])
        assert services.auditions_expire() == 0
    assert statuses(ids) == ["open", "open"]
