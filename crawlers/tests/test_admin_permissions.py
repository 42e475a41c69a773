"""Starting a crawl from the admin takes `crawlers.crawl_now`: viewing or editing sources is not
enough (security review #13, point 2). Refused, no crawl is queued and no run appears."""

import pytest
from django.urls import reverse

from crawlers.models import CrawlRun
from ohmanager.tests.admin_staff import client_for, offered_actions, post_action, staff_member

pytestmark = pytest.mark.django_db

SOURCES = reverse("admin:crawlers_crawlsource_changelist")


@pytest.mark.parametrize(
    "perms",
    [
        ["crawlers.view_crawlsource"],
        ["crawlers.view_crawlsource", "crawlers.change_crawlsource"],
    ],
)
def test_without_crawl_now_staff_cannot_start_a_crawl(
    perms, make_source, django_capture_on_commit_callbacks
):
    source = make_source("rss")
    staff = client_for(staff_member(perms=perms))
    assert "crawl_now" not in offered_actions(staff, SOURCES)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_action(staff, SOURCES, "crawl_now", [source.pk])

    assert callbacks == []
    assert not CrawlRun.objects.exists()


def test_crawl_now_queues_the_crawl(make_source, django_capture_on_commit_callbacks):
    source = make_source("rss")
    staff = client_for(staff_member(perms=["crawlers.view_crawlsource", "crawlers.crawl_now"]))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_action(staff, SOURCES, "crawl_now", [source.pk])

    assert response.status_code == 302
    assert len(callbacks) == 1
