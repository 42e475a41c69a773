"""The back office: sources with last run and health, read-only runs, "crawl now"."""

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from crawlers.models import CrawlRun, CrawlSource

pytestmark = pytest.mark.django_db


def test_source_list_shows_last_run_and_health(admin_client, make_source):
    source = make_source("rss")
    CrawlRun.objects.create(source=source, status="partial", max_pages=1)

    response = admin_client.get(reverse("admin:crawlers_crawlsource_changelist"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "partial" in body and "degraded" in body


def test_adding_a_board_source_in_the_admin_schedules_it(admin_client):
    response = admin_client.post(reverse("admin:crawlers_crawlsource_add"), {
        "name": "New board", "slug": "new-board", "kind": "board", "enabled": "on",
        "start_urls": '["https://new.example.kr/casting"]',
        "config": '{"list_item": "li.post", "link": "a::attr(href)"}',
        "schedule": "0 9 * * *", "download_delay": "2", "concurrency": "1",
        "request_timeout_seconds": "30", "timeout_seconds": "600", "max_pages": "2",
        "homepage_url": "",
    })  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    source = CrawlSource.objects.get(slug="new-board")
    assert source.source.slug == "new-board"
    assert PeriodicTask.objects.get(pk=source.periodic_task_id).crontab.hour == "9"


def test_crawl_now_queues_a_crawl_after_commit(
    admin_client, make_source, django_capture_on_commit_callbacks
):
    source = make_source("rss")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(
            reverse("admin:crawlers_crawlsource_changelist"),
            {"action": "crawl_now", "_selected_action": [source.pk]},
        )

    assert response.status_code == 302
    assert len(callbacks) == 1  # the task goes out only once the request commits


def test_runs_are_read_only(admin_client, make_source):
    run = CrawlRun.objects.create(source=make_source("rss"), status="failed", max_pages=1)

    change = admin_client.get(reverse("admin:crawlers_crawlrun_change", args=[run.pk]))
    add = admin_client.get(reverse("admin:crawlers_crawlrun_add"))

    assert change.status_code == 200 and add.status_code == 403
    assert b'name="status"' not in change.content
