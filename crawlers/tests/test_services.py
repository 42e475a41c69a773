"""Sources, schedules, run bookkeeping and the commands, on the database `make test` has."""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from auditions.models import Source
from crawlers.models import CrawlRun, CrawlSource
from crawlers.runner import ChildResult
from crawlers.scraper.spiders import SPIDERS
from crawlers.selectors import crawl_source_health
from crawlers.services import (
    _lock_key,
    crawl_run_finish,
    crawl_run_report,
    crawl_run_start,
    crawl_source_crawl,
    crawl_source_save,
)
from crawlers.signals import crawl_run_finished

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[1] / "sources.example.yaml"


def _ok(**kw) -> ChildResult:
    return ChildResult(**{"returncode": 0, "timed_out": False, "timeout": 60, "duration": 1.0,
                          "output_tail": "", **kw})  # fmt: skip


def test_every_kind_has_a_spider():
    assert set(CrawlSource.Kind.values) == set(SPIDERS)


def test_load_sources_is_an_idempotent_upsert_with_schedules():
    out = StringIO()
    call_command("load_sources", str(EXAMPLE), stdout=out)
    assert out.getvalue().strip() == "sources: 3 created, 0 updated"
    filmmakers = CrawlSource.objects.get(slug="filmmakers-actor-casting")
    assert filmmakers.kind == "filmmakers" and filmmakers.max_pages == 3
    # The catalogue's Source of the same slug exists and is linked.
    assert filmmakers.source == Source.objects.get(slug="filmmakers-actor-casting")
    task = PeriodicTask.objects.get(name="crawl: filmmakers-actor-casting")
    assert (task.task, json.loads(task.args), task.queue, task.enabled) == (
        "crawlers.tasks.crawl_source", [filmmakers.pk], "crawl", True
    )
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "15", "*/2", "Asia/Seoul"
    )

    out = StringIO()
    call_command("load_sources", str(EXAMPLE), stdout=out)

    assert out.getvalue().strip() == "sources: 0 created, 3 updated"
    assert CrawlSource.objects.count() == 3
    assert PeriodicTask.objects.filter(name__startswith="crawl: ").count() == 3


def test_load_sources_json_and_all_or_nothing(tmp_path):
    good = {"slug": "a", "name": "A", "kind": "rss", "start_urls": ["https://a.example/rss"]}
    bad = {"slug": "b", "name": "B", "kind": "board", "start_urls": ["not a url"]}
    path = tmp_path / "sources.json"
    path.write_text(json.dumps({"sources": [good, bad]}))

    with pytest.raises(CommandError, match="'b'"):
        call_command("load_sources", str(path), stdout=StringIO())

    assert not CrawlSource.objects.exists()
    path.write_text(json.dumps({"sources": [{"slug": "c", "name": "C"}]}))
    with pytest.raises(CommandError, match="missing kind, start_urls"):
        call_command("load_sources", str(path), stdout=StringIO())


def test_saving_a_source_retunes_and_disables_its_schedule(make_source):
    source = make_source("rss")
    source.schedule = "5 4 * * 1"
    source.enabled = False

    crawl_source_save(crawl_source=source)

    task = PeriodicTask.objects.get(pk=source.periodic_task_id)
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("5", "4", "1")
    assert task.enabled is False
    assert PeriodicTask.objects.filter(name__startswith="crawl: ").count() == 1


def test_deleting_a_source_removes_its_schedule_and_keeps_the_catalogue_source(make_source):
    from crawlers.services import crawl_source_delete
    from crawlers.tasks import crawl_source

    source = make_source("rss")
    source_id = source.pk

    crawl_source_delete(crawl_source=source)

    assert not PeriodicTask.objects.filter(name__startswith="crawl: ").exists()
    assert Source.objects.filter(slug="board-rss").exists()
    # A task beat sent before the deletion finds nothing to do.
    assert crawl_source(source_id) is None


def test_run_status_from_what_the_crawl_reported(make_source):
    source = make_source("rss")

    def finish(child=None, **reported):
        run = crawl_run_start(crawl_source=source, trigger="command")
        errors = reported.pop("errors", [])
        crawl_run_report(run_id=run.pk, counts=reported, error_count=sum(
            e["kind"] != "rejected" for e in errors), errors=errors)  # fmt: skip
        return crawl_run_finish(run_id=run.pk, child=child or _ok())

    assert finish(pages_fetched=3, items_seen=2, items_created=2).status == "succeeded"
    partial = finish(
        items_seen=20, items_created=19, items_rejected=1,
        errors=[{"url": "https://x/7", "reason": "The listing has no title.", "kind": "rejected"}],
    )  # fmt: skip
    assert partial.status == "partial"
    assert partial.reason == "1 rejected (The listing has no title. x1)"
    failed = finish(errors=[{"url": "https://x/", "reason": "HTTP 500", "kind": "fetch"}])
    assert failed.status == "failed" and "HTTP 500" in failed.reason
    crashed = finish(_ok(returncode=1, output_tail="Traceback\nImportError: boom"))
    assert crashed.status == "failed" and "ImportError: boom" in crashed.reason
    killed = finish(_ok(returncode=None, timed_out=True, timeout=7), items_created=4)
    assert killed.status == "timed_out" and killed.reason.startswith("Killed after 7s")
    assert killed.items_created == 4


def test_a_late_progress_write_does_not_reopen_a_closed_run(make_source):
    run = crawl_run_start(crawl_source=make_source("rss"), trigger="command")
    crawl_run_finish(run_id=run.pk, child=_ok(returncode=None, timed_out=True))

    crawl_run_report(run_id=run.pk, counts={"items_seen": 9}, error_count=0, errors=[])

    run.refresh_from_db()
    assert (run.status, run.items_seen) == ("timed_out", 0)


def test_finished_signal_only_when_auditions_were_created(
    make_source, django_capture_on_commit_callbacks
):
    source = make_source("rss")
    received = []

    def receiver(sender, run, audition_ids, **kwargs):
        received.append((run.pk, audition_ids))

    crawl_run_finished.connect(receiver)
    try:
        quiet = crawl_run_start(crawl_source=source, trigger="command")
        with django_capture_on_commit_callbacks(execute=True):
            crawl_run_finish(run_id=quiet.pk, child=_ok())
        busy = crawl_run_start(crawl_source=source, trigger="command")
        crawl_run_report(run_id=busy.pk, counts={"items_created": 1}, error_count=0, errors=[])
        with django_capture_on_commit_callbacks(execute=True):
            crawl_run_finish(run_id=busy.pk, child=_ok())
            assert received == []  # not before the commit
    finally:
        crawl_run_finished.disconnect(receiver)
    assert [run_id for run_id, _ in received] == [busy.pk]


def test_an_overlapping_crawl_is_skipped_while_the_lock_is_held(make_source):
    source = make_source("rss")
    cache.add(_lock_key(source.pk), "someone-else", timeout=60)
    try:
        assert crawl_source_crawl(source_id=source.pk, trigger="command") is None
    finally:
        cache.delete(_lock_key(source.pk))
    assert not CrawlRun.objects.exists()


def test_health_from_the_last_runs(make_source):
    source = make_source("rss")
    assert crawl_source_health(source=source) == "never run"
    for offset, status in enumerate(("succeeded", "failed", "timed_out")):
        CrawlRun.objects.create(source=source, status=status, max_pages=1,
                                started_at=timezone.now() + timedelta(seconds=offset))
    assert crawl_source_health(source=source) == "failing"
    CrawlRun.objects.create(source=source, status="succeeded", max_pages=1,
                            started_at=timezone.now() + timedelta(minutes=5))
    assert crawl_source_health(source=source) == "healthy"


def test_crawl_command_rejects_unknown_slug():
    with pytest.raises(CommandError, match="no crawl source"):
        call_command("crawl", "nope", stdout=StringIO())
