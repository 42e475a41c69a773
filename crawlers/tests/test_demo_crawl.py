"""The demo crawl `make run` sets up: the saved pages of crawlers/fixtures/pages/demo/, served
from this machine, crawled by the demo source (crawlers/demo.py) with the real spider.

The whole crawl (task, child process, pipeline, the run's counts) needs a database the child
can open too: the `services` run on PostgreSQL. The spider and pipeline alone run everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from auditions.models import Audition
from crawlers import demo
from crawlers.models import CrawlRun, CrawlSource
from crawlers.tasks import crawl_source
from crawlers.tests.pages import PAGES, crawl_offline

DEMO = PAGES / "demo"
# The static server (Procfile.dev) serves crawlers/fixtures/pages at its root.
DEMO_SITE = {
    "/robots.txt": "robots.txt",
    **{f"/demo/{path.relative_to(DEMO).as_posix()}": f"demo/{path.relative_to(DEMO).as_posix()}"
       for path in sorted(DEMO.rglob("*.html"))},
}  # fmt: skip
# Six open calls on page 1, one on page 2, and a 2009 post from the board's archive.
OPEN_POSTS = {"3001", "3002", "3003", "3004", "3005", "3006", "3007"}
ARCHIVE_POST = "2101"


def serve(server: HTTPServer) -> str:
    for path, name in DEMO_SITE.items():
        kind = "text/plain" if name.endswith(".txt") else "text/html; charset=utf-8"
        body = (PAGES / name).read_bytes()
        server.expect_request(path).respond_with_data(body, content_type=kind)
    return server.url_for("/").rstrip("/")


def demo_source(base_url: str) -> CrawlSource:
    demo.load(base_url=base_url)
    source = CrawlSource.objects.get(slug=demo.DEMO_SLUG)
    source.download_delay = 0  # a test server: no politeness needed
    source.save(update_fields=["download_delay"])
    return source


@pytest.mark.django_db
def test_the_demo_pages_make_auditions_through_the_spider_and_pipeline(spider_for, ingest):
    source = demo_source("http://127.0.0.1:8765")
    spider = spider_for(source)

    items = crawl_offline(spider, DEMO_SITE)
    pipeline = ingest(spider, items)

    stats = pipeline.crawler.stats
    assert stats.get_value("ohm/items_created") == len(OPEN_POSTS) + 1
    assert not stats.get_value("ohm/items_rejected") and not spider.errors
    statuses = dict(Audition.objects.values_list("listings__external_id", "status"))
    assert statuses == {**dict.fromkeys(OPEN_POSTS, "open"), ARCHIVE_POST: "expired"}
    web = Audition.objects.get(listings__external_id="3002")
    assert (web.category, web.region, web.pay_amount_min, web.pay_unit) == (
        "web_drama", "gyeonggi", 150_000, "per_session",
    )  # fmt: skip
    assert web.deadline is not None and web.apply_method == "email"
    assert sorted(web.roles.values_list("name", "gender")) == [("민준", "male"), ("서연", "female")]
    rolling = Audition.objects.get(listings__external_id="3003")
    assert rolling.deadline is None and rolling.status == "open"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_crawl_of_the_demo_source_records_its_counts(site_server):
    # given: the demo pages on a local server, the sources `make run` loads
    source = demo_source(serve(site_server))
    assert source.enabled and source.start_urls[0].endswith("/demo/index.html")

    # when: the crawl task, as beat or `manage.py crawl` starts it (child process and all)
    run = CrawlRun.objects.get(pk=crawl_source(source.pk, trigger=CrawlRun.Trigger.COMMAND))

    # then
    assert run.status == CrawlRun.Status.SUCCEEDED, run.reason
    assert (run.items_seen, run.items_created, run.items_rejected, run.error_count) == (8, 8, 0, 0)
    assert run.pages_fetched == 2 + 8  # two list pages, eight posts
    assert set(Audition.objects.filter(status="open").values_list(
        "listings__external_id", flat=True)) == OPEN_POSTS  # fmt: skip
    assert Audition.objects.get(listings__external_id=ARCHIVE_POST).status == "expired"
    source.source.refresh_from_db()
    assert source.source.listings_checked_at == run.started_at

    # when: again: nothing new, every listing seen again
    rerun = CrawlRun.objects.get(pk=crawl_source(source.pk, trigger=CrawlRun.Trigger.COMMAND))
    assert rerun.status == CrawlRun.Status.SUCCEEDED, rerun.reason
    assert (rerun.items_created, rerun.items_unchanged) == (0, 8)


@pytest.mark.django_db
def test_the_demo_site_is_what_procfile_dev_serves():
    procfile = (Path(__file__).resolve().parents[2] / "Procfile.dev").read_text()
    line = next(line for line in procfile.splitlines() if line.startswith("demo-site:"))
    assert "--directory crawlers/fixtures/pages" in line and "--bind 127.0.0.1" in line
    assert demo.DEMO_SITE_URL.rsplit(":", 1)[1] in line
