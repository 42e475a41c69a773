"""No call stays open forever: a call without a readable deadline (rolling) is open at most
AUDITION_ROLLING_MAX_AGE_DAYS after it was posted (or first seen), and an archive re-crawled
arrives expired. (Rolling calls their source stops listing: crawlers/tests/test_rolling_listings.)
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from auditions import services, tasks
from auditions.models import Audition, AuditionEvent
from auditions.tests import factories

LIST = "/api/v1/auditions"
SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=SEOUL)


def listed(client) -> set[str]:
    response = client.get(LIST, {"page_size": 100})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def ingest(listing, batch: bool):
    if batch:
        (result,) = services.audition_ingest_listings(listings=[listing])
        return result
    return services.audition_ingest_listing(listing=listing)


def status(audition_id) -> str:
    return Audition.objects.values_list("status", flat=True).get(pk=audition_id)


@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
def test_a_2009_post_without_a_deadline_is_ingested_expired_and_not_listed(
    client_for, source, batch
):
    # given: a board's archive re-crawled today: posted in 2009, no deadline that reads
    with time_machine.travel(T0, tick=False):
        old = factories.listing(
            deadline=None,
            deadline_raw="접수마감 : 2. 25(수)?",
            posted_at=datetime(2009, 2, 10, 14, 33, tzinfo=SEOUL),
        )

        # when
        result = ingest(old, batch)

        # then: stored expired, with the reason in the trail; not on the list
        assert result.outcome == "created"
        assert status(result.audition_id) == "expired"
        event = AuditionEvent.objects.get(audition_id=result.audition_id, action="expired")
        assert "2009-02-10" in event.note
        assert str(result.audition_id) not in listed(client_for)
        detail = client_for.get(f"{LIST}/{result.audition_id}")
        assert detail.status_code == 200 and detail.json()["status"] == "expired"


@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
def test_a_post_whose_deadline_passed_long_ago_is_ingested_expired(source, batch):
    with time_machine.travel(T0, tick=False):
        result = ingest(
            factories.listing(
                deadline=datetime(2009, 2, 25).date(),
                posted_at=datetime(2009, 2, 10, tzinfo=SEOUL),
            ),
            batch,
        )
        assert status(result.audition_id) == "expired"


def test_a_fresh_rolling_post_is_listed_then_expired_by_the_task_46_days_later(client_for, source):
    # given: a rolling call posted today
    with time_machine.travel(T0, tick=False):
        result = services.audition_ingest_listing(
            listing=factories.listing(deadline=None, posted_at=T0 - timedelta(hours=2))
        )
        assert status(result.audition_id) == "open"
        assert str(result.audition_id) in listed(client_for)

    # when: 44 days on, then 46
    with time_machine.travel(T0 + timedelta(days=44), tick=False):
        assert tasks.expire_auditions.delay().get() == 0
        assert str(result.audition_id) in listed(client_for)
    with time_machine.travel(T0 + timedelta(days=46), tick=False):
        assert tasks.expire_auditions.delay().get() == 1

        # then
        assert status(result.audition_id) == "expired"
        assert str(result.audition_id) not in listed(client_for)
        event = AuditionEvent.objects.get(audition_id=result.audition_id, action="expired")
        assert event.actor is None and "45 days" in event.note


def test_the_age_counts_from_first_seen_when_the_post_is_re_dated(source):
    # given: a rolling call first seen 46 days ago whose board now shows a fresh date (bumped)
    listing = factories.listing(deadline=None, posted_at=None)
    with time_machine.travel(T0, tick=False):
        result = services.audition_ingest_listing(listing=listing)
    with time_machine.travel(T0 + timedelta(days=44), tick=False):
        listing.posted_at = T0 + timedelta(days=44)
        assert services.audition_ingest_listing(listing=listing).outcome == "updated"

    # when / then
    with time_machine.travel(T0 + timedelta(days=46), tick=False):
        assert services.auditions_expire() == 1
    assert status(result.audition_id) == "expired"


def test_a_future_deadline_and_staff_choices_are_left_alone(source):
    with time_machine.travel(T0, tick=False):
        dated = factories.audition(deadline=(T0 + timedelta(days=100)).date(), posted_at=T0)
        kept_open = factories.audition(deadline=None, posted_at=T0)
        staff = factories.member(is_staff=True)
        services.audition_set_status(audition=kept_open, status="hidden", actor=staff)
        services.audition_set_status(audition=kept_open, status="open", actor=staff)
        entered = services.audition_create(
            actor=staff, data={"title": "상시 모집: 앱 홍보 모델", "posted_at": T0}
        )

    with time_machine.travel(T0 + timedelta(days=60), tick=False):
        assert services.auditions_expire() == 0

    assert {status(a.pk) for a in (dated, kept_open, entered)} == {"open"}
    kept_open.refresh_from_db()
    assert "status" in kept_open.staff_locked_fields


def test_re_running_the_expiry_changes_nothing(source):
    with time_machine.travel(T0, tick=False):
        rolling = factories.audition(deadline=None, posted_at=T0)
        past = factories.audition(deadline=(T0 - timedelta(days=1)).date(), posted_at=T0)
    with time_machine.travel(T0 + timedelta(days=10), tick=False):
        fresh = factories.audition(deadline=None, posted_at=T0 + timedelta(days=10))

    with time_machine.travel(T0 + timedelta(days=46), tick=False):
        assert services.auditions_expire() == 2
        before = (
            dict(Audition.objects.values_list("id", "status")),
            AuditionEvent.objects.count(),
            dict(Audition.objects.values_list("id", "updated_at")),
        )
        assert services.auditions_expire() == 0
        assert tasks.expire_auditions.delay().get() == 0
        after = (
            dict(Audition.objects.values_list("id", "status")),
            AuditionEvent.objects.count(),
            dict(Audition.objects.values_list("id", "updated_at")),
        )
    assert before == after
    assert (status(rolling.pk), status(past.pk), status(fresh.pk)) == (
        "expired",
        "expired",
        "open",
    )


def test_the_max_age_is_a_setting(source, settings):
    settings.AUDITION_ROLLING_MAX_AGE_DAYS = 10
    with time_machine.travel(T0, tick=False):
        audition = factories.audition(deadline=None, posted_at=T0)
    with time_machine.travel(T0 + timedelta(days=11), tick=False):
        assert services.auditions_expire() == 1
    assert status(audition.pk) == "expired"
