"""Whole crawls: the real task starts the real crawl process, whose spider fetches saved pages
from a local HTTP server and whose pipeline writes through the auditions services.

The child process opens its own database connection, so it must see committed data in a
database that exists outside this process: these run in the `services` run on PostgreSQL
(`make test-services ... PYTEST_ARGS=crawlers`), with transactional_db.
"""

import threading
import time

import pytest
from werkzeug import Request, Response

from auditions.models import Audition, SourceListing
from crawlers.models import CrawlRun
from crawlers.tasks import crawl_source
from crawlers.tests.pages import page

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _run(source) -> CrawlRun:
    run_id = crawl_source(source.pk, trigger=CrawlRun.Trigger.COMMAND)
    return CrawlRun.objects.get(pk=run_id)


def _consistent() -> None:
    """Every audition has its primary listing and every listing its audition: nothing is
    half-written."""
    assert not Audition.objects.filter(listings__isnull=True).exists()
    assert SourceListing.objects.filter(is_primary=True).count() == Audition.objects.count()


def test_crawl_on_a_real_worker_creates_then_rerun_changes_nothing(
    make_source, serve_site, celery_worker_on_redis
):
    # given: filmmakers' saved board on a local server, a source pointed at it
    source = make_source("filmmakers", serve_site("filmmakers"), max_pages=3)

    # when: beat's task goes through the broker to a real worker, which starts the crawl
    crawl_source.delay(source.pk)
    run = _wait_for_run(source)

    # then
    assert run.status == CrawlRun.Status.SUCCEEDED, run.reason
    assert (run.items_seen, run.items_created, run.items_rejected, run.error_count) == (5, 5, 0, 0)
    # page 1, 2 and the empty page 3 + five print views
    assert run.pages_fetched == 8
    assert Audition.objects.count() == 5
    short = Audition.objects.get(listings__external_id="1283405")
    assert (short.category, short.pay_amount_min) == ("film", 300_000)
    assert sorted(short.roles.values_list("name", flat=True)) == ["수진", "수진 엄마"]
    _consistent()

    # when: the same pages again
    crawl_source.delay(source.pk)
    rerun = _wait_for_run(source, after=run)

    # then: nothing created, nothing updated; every listing marked seen again
    assert rerun.status == CrawlRun.Status.SUCCEEDED
    assert (rerun.items_created, rerun.items_updated, rerun.items_unchanged) == (0, 0, 5)
    assert Audition.objects.count() == 5
    assert not SourceListing.objects.filter(last_seen_at__lt=rerun.started_at).exists()


def test_a_500_and_a_timeout_leave_a_partial_run_with_reasons(make_source, serve_site):
    def error(request: Request) -> Response:
        return Response("oops", status=500)

    def slow(request: Request) -> Response:
        time.sleep(8)
        return Response(page("filmmakers/print_1283399.html"), content_type="text/html")

    base = serve_site("filmmakers", {
        "/actorCasting/dispDocumentPrint?document_srl=1283405": error,
        "/actorCasting/dispDocumentPrint?document_srl=1283399": slow,
    })  # fmt: skip
    # A timeout with room for a busy machine: a good page answered but read late must not
    # count as timed out; the slow one (8 s) is always past it.
    source = make_source(
        "filmmakers", base, request_timeout_seconds=5, config={"retry_times": 0}, concurrency=2
    )

    run = _run(source)

    assert run.status == CrawlRun.Status.PARTIAL
    assert (run.items_created, run.error_count) == (3, 2)
    reasons = {e["url"].rsplit("=", 1)[-1]: e["reason"] for e in run.errors}
    assert reasons == {"1283405": "HTTP 500", "1283399": "timed out"}
    assert "HTTP 500" in run.reason and "timed out" in run.reason
    assert Audition.objects.count() == 3
    _consistent()


def test_robots_txt_that_disallows_us_fails_the_run(make_source, serve_site):
    def robots(request: Request) -> Response:
        return Response("User-agent: *\nDisallow: /\n", content_type="text/plain")

    source = make_source("filmmakers", serve_site("filmmakers", {"/robots.txt": robots}))

    run = _run(source)

    assert run.status == CrawlRun.Status.FAILED
    assert "robots.txt" in run.reason
    assert run.pages_fetched == 0 and not Audition.objects.exists()


def test_a_crawl_killed_at_its_hard_timeout_keeps_what_it_finished(make_source, serve_site):
    released = threading.Event()

    def stalls(request: Request) -> Response:
        released.wait(timeout=120)
        return Response("", status=200)

    # page 2 hangs past the source's hard timeout (room for the process to start on a busy
    # machine); page 1's three posts are fetched meanwhile (two requests at a time).
    base = serve_site("filmmakers", {"/actorCasting/page/2": stalls})
    source = make_source("filmmakers", base, timeout_seconds=40, concurrency=2)

    try:
        run = _run(source)
    finally:
        released.set()

    assert run.status == CrawlRun.Status.TIMED_OUT
    assert run.reason.startswith("Killed after 40s")
    assert Audition.objects.count() == 3
    _consistent()
    # The run's counts are the last progress the process wrote before it was killed.
    assert run.items_created <= 3


def test_only_one_run_at_a_time(make_source, serve_site):
    from django.core.cache import cache

    from crawlers.services import _lock_key

    source = make_source("rss", serve_site("rss"))
    cache.add(_lock_key(source.pk), "held", timeout=30)
    try:
        assert crawl_source(source.pk) is None
    finally:
        cache.delete(_lock_key(source.pk))

    run = _run(source)

    assert run.status == CrawlRun.Status.SUCCEEDED and run.items_created == 2
    assert CrawlRun.objects.count() == 1


def _wait_for_run(source, after: CrawlRun | None = None, timeout: float = 90) -> CrawlRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = CrawlRun.objects.filter(source=source).exclude(status=CrawlRun.Status.RUNNING)
        if after is not None:
            runs = runs.exclude(pk=after.pk)
        if run := runs.order_by("-started_at").first():
            return run
        time.sleep(0.5)
    raise AssertionError("no finished run")
