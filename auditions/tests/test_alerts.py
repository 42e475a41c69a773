"""Saved-search digests: exactly the new matches, once, in the member's language, with links
into the app; daily/weekly from the periodic tasks, instant after a crawl run."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts import services as account_services
from accounts.profiles import services as profile_services
from auditions import services, tasks
from auditions.models import SavedSearch, SavedSearchDelivery
from auditions.services import alerts
from auditions.tests import factories
from crawlers.runner import ChildResult
from crawlers.services import (
    crawl_run_finish,
    crawl_run_report,
    crawl_run_start,
    crawl_source_upsert,
)
from ohmanager.schedules import PERIODIC_TASKS

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/saved-searches"


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs a task (eagerly) and the email tasks it queues after commit; returns new mail."""

    def run(task, *args):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            task.delay(*args)
        return mail.outbox[before:]

    return run


def save_search(client, frequency="daily", **filters) -> dict:
    filters = filters or {"category": ["film"], "region": "seoul"}
    response = client.post(
        URL, {"name": "서울 영화", "filters": filters, "frequency": frequency}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def film(title: str, **overrides):
    return factories.audition(title=title, category="film", region="seoul", **overrides)


def html(message) -> str:
    return message.alternatives[0][0]


def test_daily_digest_holds_exactly_the_new_matches_once_across_runs(
    client_for, member, source, run_tasks
):
    # given: one match listed before the search was saved, then two new matches and a miss
    member.language = "en"
    member.save(update_fields=["language"])
    film("Old seoul film")
    saved = save_search(client_for)
    first, second = film("New film one"), film("New film two")
    factories.audition(title="New drama", category="drama", region="seoul")
    factories.audition(title="New busan film", category="film", region="busan")

    # when: the daily run, twice
    sent = run_tasks(tasks.alert_daily_saved_searches)
    again = run_tasks(tasks.alert_daily_saved_searches)

    # then: one email with exactly the two new matches, nothing on the re-run
    assert again == []
    [message] = sent
    assert message.to == [member.email]
    assert message.subject == '[Oh Manager] 2 new auditions for "서울 영화"'
    for body in (message.body, html(message)):
        assert "New film one" in body and "New film two" in body
        assert "Old seoul film" not in body
        assert "New drama" not in body and "New busan film" not in body
    for audition in (first, second):
        assert f"ohmanager://auditions/{audition.id}" in message.body
        assert f'href="ohmanager://auditions/{audition.id}"' in html(message)
        assert f"https://ohmanager.kr/auditions/{audition.id}" in html(message)
    assert set(
        SavedSearchDelivery.objects.filter(saved_search_id=saved["id"]).values_list(
            "audition_id", flat=True
        )
    ) == {first.id, second.id}
    assert client_for.get(f"{URL}/{saved['id']}").json()["last_notified_at"] is not None

    # and: a later match is announced alone on the next run
    third = film("New film three")
    [later] = run_tasks(tasks.alert_daily_saved_searches)
    assert "New film three" in later.body
    assert "New film one" not in later.body and "New film two" not in later.body
    assert f"ohmanager://auditions/{third.id}" in later.body


def test_a_rerun_with_a_rewound_marker_announces_nothing_twice(client_for, source, run_tasks):
    saved = save_search(client_for)
    film("Only once")
    assert len(run_tasks(tasks.alert_saved_search, saved["id"])) == 1

    # A crashed or overlapping run left the marker behind: the delivery rows still hold.
    SavedSearch.objects.filter(pk=saved["id"]).update(
        notified_until=SavedSearch.objects.get(pk=saved["id"]).created_at
    )
    assert run_tasks(tasks.alert_saved_search, saved["id"]) == []


def test_an_audition_committed_late_is_still_announced(client_for, source, run_tasks):
    # Created (stamped) before the run's marker but visible only after it: the slack window
    # looks back past the marker, the delivery rows keep it from repeating.
    saved = save_search(client_for)
    late = film("Late commit")
    SavedSearch.objects.filter(pk=saved["id"]).update(
        notified_until=late.created_at + timedelta(minutes=5)
    )

    [message] = run_tasks(tasks.alert_saved_search, saved["id"])

    assert "Late commit" in message.body


def test_digest_is_in_korean_by_default(client_for, source, run_tasks):
    save_search(client_for)
    film("서울 단편영화 주연")

    [message] = run_tasks(tasks.alert_daily_saved_searches)

    assert message.subject == "[Oh Manager] '서울 영화' 새 오디션 1건"
    assert "서울 단편영화 주연" in message.body
    assert "앱에서 보기" in message.body
    assert "<" not in message.body.replace("<여름>", "")  # text part is not HTML-escaped


def test_each_frequency_runs_on_its_own_schedule(api_client, source, run_tasks):
    by_frequency = {}
    for frequency in ("instant", "daily", "weekly", "off"):
        member = factories.member()
        api_client.force_authenticate(member)
        save_search(api_client, frequency=frequency)
        by_frequency[frequency] = member.email
    film("For everyone")

    weekly = run_tasks(tasks.alert_weekly_saved_searches)
    daily = run_tasks(tasks.alert_daily_saved_searches)

    assert [m.to for m in weekly] == [[by_frequency["weekly"]]]
    assert [m.to for m in daily] == [[by_frequency["daily"]]]
    scheduled = {spec.task: spec.crontab for spec in PERIODIC_TASKS}
    assert scheduled["auditions.tasks.alert_daily_saved_searches"] == {"minute": "0", "hour": "9"}
    assert scheduled["auditions.tasks.alert_weekly_saved_searches"]["day_of_week"] == "1"


def test_alerts_honour_the_members_preference(client_for, member, source, run_tasks):
    account_services.profile_prepare(member=member)
    profile_services.profile_update(member=member, notify_saved_search_alerts=False)
    saved = save_search(client_for)
    film("Quiet")

    assert run_tasks(tasks.alert_daily_saved_searches) == []
    assert run_tasks(tasks.alert_saved_search, saved["id"]) == []

    # Turning alerts back on does not flood the member with what came out meanwhile.
    profile_services.profile_update(member=member, notify_saved_search_alerts=True)
    assert run_tasks(tasks.alert_daily_saved_searches) == []
    film("Loud")
    [message] = run_tasks(tasks.alert_daily_saved_searches)
    assert "Loud" in message.body and "Quiet" not in message.body


def test_switching_a_search_back_on_starts_from_now(client_for, source, run_tasks):
    saved = save_search(client_for, frequency="off")
    film("While off")
    assert run_tasks(tasks.alert_daily_saved_searches) == []

    client_for.patch(f"{URL}/{saved['id']}", {"frequency": "daily"}, format="json")
    film("After")

    [message] = run_tasks(tasks.alert_daily_saved_searches)
    assert "After" in message.body and "While off" not in message.body


def test_withdrawn_members_get_nothing(client_for, member, source, run_tasks):
    saved = save_search(client_for)
    film("Nobody home")
    member.status = "withdrawn"
    member.save(update_fields=["status"])

    assert run_tasks(tasks.alert_daily_saved_searches) == []
    assert services.saved_search_notify(saved_search_id=saved["id"]).announced == 0


def test_instant_alerts_follow_a_crawl_run_that_created_auditions(
    client_for, source, run_tasks, django_capture_on_commit_callbacks
):
    save_search(client_for, frequency="instant")
    crawl_source, _ = crawl_source_upsert(
        slug="filmmakers", name="Filmmakers", kind="rss", start_urls=["https://f.example/rss"]
    )
    run = crawl_run_start(crawl_source=crawl_source, trigger="command")
    film("Crawled just now")
    crawl_run_report(run_id=run.pk, counts={"items_created": 1}, error_count=0, errors=[])
    before = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        crawl_run_finish(
            run_id=run.pk,
            child=ChildResult(
                returncode=0, timed_out=False, timeout=60, duration=1.0, output_tail=""
            ),
        )

    [message] = mail.outbox[before:]
    assert "Crawled just now" in message.body


def test_a_digest_is_capped_and_counts_the_rest(client_for, source, run_tasks, settings):
    settings.APP_DEEP_LINK_BASE = "ohm-test://a/{id}"
    save_search(client_for)
    made = [film(f"Bulk {n:02}") for n in range(alerts.DIGEST_SHOWN + 2)]

    [message] = run_tasks(tasks.alert_daily_saved_searches)

    assert message.body.count("ohm-test://a/") == alerts.DIGEST_SHOWN
    assert "그 밖에 2건" in message.body
    assert SavedSearchDelivery.objects.count() == len(made)
