"""Workers killed with SIGKILL: mid-email (the message goes out exactly once) and mid-crawl
(the run is closed as failed, and the next run completes). Real `celery worker` processes on
a private Redis and this test database."""

import asyncio
import os
import signal
import threading
import time

import pytest
from werkzeug import Request, Response

from crawlers.models import CrawlRun
from crawlers.services import crawl_runs_reap
from crawlers.tasks import crawl_source
from crawlers.tests.pages import page
from emails.models import EmailMessage
from emails.services import email_enqueue
from ohmanager.tests.faults.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_an_email_whose_worker_dies_mid_send_is_delivered_exactly_once(
    on_private_redis, start_worker, smtp_server
):
    # given: an SMTP server that stalls the first delivery, as a slow relay would
    first_attempt = threading.Event()
    release = threading.Event()
    attempts = []
    deliver = smtp_server.handle_DATA

    async def stalling(server, session, envelope):
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            first_attempt.set()
            for _ in range(200):  # at most 20 s
                if release.is_set():
                    break
                await asyncio.sleep(0.1)
            return "451 4.3.0 connection lost"  # the client is dead by now
        return await deliver(server, session, envelope)

    smtp_server.handle_DATA = stalling
    worker = start_worker(
        on_private_redis.url(0),
        queues="email",
        EMAIL_HOST=smtp_server.host,
        EMAIL_PORT=str(smtp_server.port),
    )

    # when: a message is queued, and the pool process sending it is killed mid-DATA
    message = email_enqueue(
        to_email="once@example.kr", template="password_changed", context={"email": "x"}
    )
    assert first_attempt.wait(30), worker.output()[-3000:]
    [child] = worker.pool_children()
    os.kill(child, signal.SIGKILL)
    release.set()

    # then: the broker hands the task to a new pool process (acks_late + reject_on_worker_lost)
    delivered = smtp_server.wait_for(lambda m: m["To"] == "once@example.kr", timeout=30)
    assert delivered["X-Ohmanager-Message-Id"] == str(message.id)
    wait_until(
        lambda: EmailMessage.objects.get(pk=message.pk).status == EmailMessage.Status.SENT,
        timeout=10,
    )
    time.sleep(2)  # room for a duplicate to show up, if one were coming
    assert [m["To"] for m in smtp_server.messages] == ["once@example.kr"]
    assert len(attempts) == 2
    assert EmailMessage.objects.get(pk=message.pk).attempts == 1
    assert "WorkerLostError" in worker.output()


def test_a_crawl_whose_worker_dies_is_marked_failed_and_the_next_run_completes(
    on_private_redis, start_worker, make_source, serve_site, settings
):
    # given: a site whose one detail page hangs until we let it go
    release = threading.Event()

    def hanging(request: Request) -> Response:
        release.wait(30)
        return Response(page("filmmakers/print_1283399.html"), content_type="text/html")

    base = serve_site(
        "filmmakers", {"/actorCasting/dispDocumentPrint?document_srl=1283399": hanging}
    )
    source = make_source("filmmakers", base, max_pages=3, request_timeout_seconds=60)
    settings.CRAWLER_LOCK_LEASE_SECONDS = 3
    worker_env = {"CRAWLER_LOCK_LEASE_SECONDS": "3"}
    worker = start_worker(on_private_redis.url(0), queues="crawl", **worker_env)

    # when: the worker is killed (with its crawl process) while the crawl is under way
    crawl_source.delay(source.pk)
    running = wait_until(
        lambda: CrawlRun.objects.filter(
            source=source, status=CrawlRun.Status.RUNNING, items_seen__gte=1
        ).first(),
        timeout=60,
    )
    worker.kill()
    release.set()

    # then: while its lock lease lasts the run is left alone; after it, the reaper closes it
    closed = wait_until(lambda: crawl_runs_reap(), timeout=15, interval=0.5)
    assert closed == 1
    running.refresh_from_db()
    assert running.status == CrawlRun.Status.FAILED
    assert running.reason.startswith("Abandoned")
    assert running.finished_at is not None

    # when: a new worker takes the next run of the source
    start_worker(on_private_redis.url(0), queues="crawl", **worker_env)
    crawl_source.delay(source.pk)

    # then: it completes normally
    def finished():
        run = CrawlRun.objects.filter(source=source).exclude(pk=running.pk).first()
        return run if run and run.status != CrawlRun.Status.RUNNING else None

    # Bounded, but generous: a new crawl process starts Django and Scrapy on a busy machine.
    rerun = wait_until(finished, timeout=120, interval=0.5)
    assert rerun.status == CrawlRun.Status.SUCCEEDED, rerun.reason
    assert rerun.items_seen == 5
    assert CrawlRun.objects.filter(source=source, status=CrawlRun.Status.RUNNING).count() == 0
