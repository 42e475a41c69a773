"""Staff at work in the back office, in a real browser against a live server: log in, find an
audition by a Korean word, edit it, merge two duplicates, crawl a saved-pages source and read
the run's counts, suspend a member. Each step checks what the page shows a person, and what it
did to the data (the model, or the mobile app's API). The admin speaks Korean (LANGUAGE_CODE),
so Django's own words are asserted in Korean; the project's own words are English.

Run: make test-services ... PYTEST_ARGS="ohmanager/tests/e2e"; screenshots land in var/e2e/.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Member, MemberSession
from auditions.models import Audition
from auditions.tests import factories
from crawlers.models import CrawlRun
from ohmanager.tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD, Browser

pytestmark = pytest.mark.django_db(transaction=True)

PERFORMER_PASSWORD = "a-long-password-1"  # auditions.tests.factories.member's


def log_in(browser: Browser) -> None:
    page = browser.page
    # given: a fresh browser asks for the back office
    browser.goto("/admin/")

    # then: it is sent to the login form
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.locator("#login-form")).to_be_visible()
    page.fill("#id_username", STAFF_EMAIL)
    page.fill("#id_password", STAFF_PASSWORD)
    browser.shot("login form")

    # when
    page.click("#login-form [type=submit]")

    # then: the dashboard, with the apps staff curate
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_have_text("Oh Manager")
    expect(page.locator("#content h1")).to_have_text("Back office")
    for row, name in (
        ("auditions-audition", "Auditions"),
        ("crawlers-crawlsource", "Crawl sources"),
        ("crawlers-crawlrun", "Crawl runs"),
        ("accounts-member", "Members"),
    ):
        expect(page.locator(f"#content-main th#{row} a")).to_have_text(name)
    expect(page.locator("#user-tools")).to_contain_text(STAFF_EMAIL)
    browser.shot("dashboard after login")


def result_rows(browser: Browser):
    return browser.page.locator("#result_list tbody tr")


def search(browser: Browser, changelist: str, term: str) -> None:
    page = browser.page
    browser.goto(changelist)
    page.fill("#searchbar", term)
    page.press("#searchbar", "Enter")
    expect(page).to_have_url(re.compile(r"\?q="))
    expect(page.locator("#searchbar")).to_have_value(term)


def run_action(browser: Browser, action: str) -> None:
    """Chooses an admin action for the ticked rows and presses "실행" (Go)."""
    page = browser.page
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def api_login(browser: Browser, email: str, password: str) -> str:
    response = browser.page.request.post(
        browser.base_url + "/api/v1/auth/login", data={"email": email, "password": password}
    )
    assert response.status == 200, response.text()
    return response.json()["access"]


def api_get(browser: Browser, path: str, access: str):
    return browser.page.request.get(
        browser.base_url + path, headers={"Authorization": f"Bearer {access}"}
    )


def test_staff_finds_edits_merges_and_suspends(browser: Browser, staff):
    # given: a catalogue with one call mentioning 별빛, two copies of another, and a performer
    # signed in to the app
    factories.source()
    now = timezone.now()
    starlight = factories.audition(
        title="뮤지컬 <별빛 정거장> 앙상블 배우 모집",
        company="극단 하늘",
        description="노래와 춤이 되는 앙상블 배우를 찾습니다.",
        posted_at=now - timedelta(days=3),
    )
    factories.audition(title="단편영화 <여름> 주연 배우 모집", posted_at=now - timedelta(days=2))
    factories.audition(title="광고 모델 모집 (화장품)", company="뷰티랩", posted_at=now)
    first_copy = factories.audition(
        title="웹드라마 <청춘일기> 조연 배우 모집",
        company="청춘픽처스",
        posted_at=now - timedelta(days=5),
    )
    second_copy = factories.audition(
        title="웹드라마 <청춘일기> 조연 배우 모집",
        company="청춘픽처스",
        posted_at=now - timedelta(days=1),
    )
    assert first_copy.pk != second_copy.pk  # two listings, two auditions: the duplicate pair
    performer = factories.member()
    access = api_login(browser, performer.email, PERFORMER_PASSWORD)
    page = browser.page

    # -- staff logs in ---------------------------------------------------------------------
    log_in(browser)

    # -- finds an audition by a Korean word --------------------------------------------------
    search(browser, "/admin/auditions/audition/", "별빛")
    expect(result_rows(browser)).to_have_count(1)
    expect(result_rows(browser).first.locator("th.field-title")).to_have_text(starlight.title)
    expect(page.locator("#changelist")).not_to_contain_text("청춘일기")
    browser.shot("search 별빛 finds one audition")

    # -- edits it ----------------------------------------------------------------------------
    result_rows(browser).first.locator("th.field-title a").click()
    expect(page.locator("#id_title")).to_have_value(starlight.title)
    new_title = "뮤지컬 <별빛 정거장> 앙상블 배우 모집 (마감 연장)"
    new_deadline = starlight.deadline + timedelta(days=7)
    page.fill("#id_title", new_title)
    page.fill("#id_deadline", new_deadline.isoformat())
    browser.shot("edit title and deadline")
    page.click("input[name=_continue]")  # "저장 및 편집 계속"

    # then: saved, back on the form, with the change in the audit trail and the fields locked
    expect(page.locator("ul.messagelist li.success")).to_contain_text("성공적으로 변경되었습니다")
    expect(page.locator("#id_title")).to_have_value(new_title)
    expect(page.locator("#id_deadline")).to_have_value(new_deadline.isoformat())
    locked = page.locator("div.field-staff_locked_fields div.readonly")
    expect(locked).to_contain_text("deadline")
    expect(locked).to_contain_text("title")
    trail = page.locator(".inline-group").filter(has_text="audit trail")
    edit = trail.locator("tr").filter(has_text="Edited by staff")
    expect(edit).to_have_count(1)
    expect(edit.locator("td.field-actor")).to_have_text(STAFF_EMAIL)
    expect(edit.locator("td.field-changes")).to_contain_text(new_title)
    expect(edit.locator("td.field-changes")).not_to_contain_text("posted_at")
    browser.shot("edit saved with locked fields and audit trail")
    starlight.refresh_from_db()
    assert starlight.title == new_title and starlight.deadline == new_deadline
    assert starlight.staff_locked_fields == ["deadline", "title"]  # only what staff touched
    detail = api_get(browser, f"/api/v1/auditions/{starlight.pk}", access)
    assert detail.status == 200, detail.text()
    assert (detail.json()["title"], detail.json()["deadline"]) == (
        new_title,
        new_deadline.isoformat(),
    )

    # -- merges two duplicates with the admin action -----------------------------------------
    search(browser, "/admin/auditions/audition/", "청춘일기")
    expect(result_rows(browser)).to_have_count(2)
    page.check("#action-toggle")  # tick every row on the page
    expect(page.locator("#changelist-form .action-counter")).to_contain_text("2")
    browser.shot("two duplicates selected")
    run_action(browser, "merge_into_earliest")

    # then: the later copy is folded into the earliest
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        f"Merged 1 into “{first_copy.title}”."
    )
    # the merged copy is kept (newest first), marked merged; its listing moved to the earliest
    expect(result_rows(browser)).to_have_count(2)
    expect(result_rows(browser).locator("td.field-status")).to_have_text(
        ["Merged into another", "Open"]
    )
    expect(result_rows(browser).locator("td.field-source_count")).to_have_text(["0", "2"])
    browser.shot("merged into the earliest")
    second_copy.refresh_from_db()
    assert second_copy.status == Audition.Status.MERGED
    assert second_copy.duplicate_of_id == first_copy.pk
    assert first_copy.listings.count() == 2
    assert api_get(browser, f"/api/v1/auditions/{second_copy.pk}", access).status == 404
    kept = api_get(browser, f"/api/v1/auditions/{first_copy.pk}", access)
    assert kept.status == 200 and len(kept.json()["sources"]) == 2

    # -- suspends a member ---------------------------------------------------------------------
    search(browser, "/admin/accounts/member/", performer.email)
    expect(result_rows(browser)).to_have_count(1)
    row = result_rows(browser).first
    expect(row.locator("th.field-email")).to_have_text(performer.email)
    expect(row.locator("td.field-status")).to_have_text("Active")
    row.locator("input.action-select").check()
    browser.shot("member selected")
    run_action(browser, "suspend")

    # then: suspended, and signed out of the app on the very next request
    expect(page.locator("ul.messagelist li.success")).to_have_text("1 member(s) suspended.")
    expect(result_rows(browser).first.locator("td.field-status")).to_have_text("Suspended")
    browser.shot("member suspended")
    performer.refresh_from_db()
    assert performer.status == Member.Status.SUSPENDED
    assert not MemberSession.objects.filter(member=performer, revoked_at__isnull=True).exists()
    after = api_get(browser, f"/api/v1/auditions/{first_copy.pk}", access)
    assert after.status == 401, after.text()


def test_staff_crawls_a_saved_pages_source_and_reads_the_run(
    browser: Browser,
    staff,
    make_source,
    serve_site,
    celery_worker_on_redis,
    crawl_child_sees_settings_module,
):
    # given: filmmakers' saved board on a local server, a source pointed at it, and a real
    # worker on the broker (the crawl runs as a child process of the worker)
    source = make_source("filmmakers", serve_site("filmmakers"), max_pages=3)
    page = browser.page
    log_in(browser)

    # -- the source, never crawled ------------------------------------------------------------
    browser.goto("/admin/crawlers/crawlsource/")
    row = result_rows(browser).filter(has_text=source.name)
    expect(row).to_have_count(1)
    expect(row.locator("td.field-last_run")).to_have_text("—")
    row.locator("input.action-select").check()
    browser.shot("source selected")

    # -- crawl now ------------------------------------------------------------------------------
    run_action(browser, "crawl_now")
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        "1 crawl(s) queued; runs appear under Crawl runs."
    )
    browser.shot("crawl queued")

    # -- the run's counts, as staff would see them by reloading the runs page ---------------
    browser.goto("/admin/crawlers/crawlrun/")
    run_row = result_rows(browser).first
    deadline = time.monotonic() + 90

    def finished() -> bool:
        status = run_row.locator("td.field-status")
        return result_rows(browser).count() == 1 and status.inner_text() != "Running"

    while not finished():
        if time.monotonic() > deadline:
            browser.shot("crawl run not finished")
            raise AssertionError("the crawl run did not finish within 90 s")
        time.sleep(1)
        page.reload()

    cells = {
        name: run_row.locator(f"td.field-{name}")
        for name in ("status", "trigger", "pages_fetched", "items_seen", "items_created",
                     "items_updated", "items_rejected", "error_count")
    }  # fmt: skip
    expect(run_row.locator("th.field-source")).to_have_text(source.name)
    expect(cells["status"]).to_have_text("Succeeded")
    expect(cells["trigger"]).to_have_text("Admin")
    # page 1, 2 and the empty page 3 + five print views; five posts, all new
    expect(cells["pages_fetched"]).to_have_text("8")
    expect(cells["items_seen"]).to_have_text("5")
    expect(cells["items_created"]).to_have_text("5")
    expect(cells["items_updated"]).to_have_text("0")
    expect(cells["items_rejected"]).to_have_text("0")
    expect(cells["error_count"]).to_have_text("0")
    browser.shot("crawl run in the list")

    # -- the run's own page: every count, and no errors ------------------------------------
    run_row.locator("th.field-source a").click()
    expect(page.locator("#content h1")).to_contain_text("crawl run")  # "... 보기" (view)
    for name, value in (("status", "Succeeded"), ("pages_fetched", "8"), ("items_seen", "5"),
                        ("items_created", "5"), ("items_updated", "0"), ("items_rejected", "0"),
                        ("error_count", "0")):
        expect(page.locator(f"div.field-{name} div.readonly")).to_have_text(value)  # fmt: skip
    browser.shot("crawl run page with counts")
    run = CrawlRun.objects.get(source=source)
    assert (run.status, run.trigger) == (CrawlRun.Status.SUCCEEDED, CrawlRun.Trigger.ADMIN)
    assert Audition.objects.filter(listings__source__slug=source.slug).count() == 5

    # -- and the source list now shows its last run ------------------------------------------
    browser.goto("/admin/crawlers/crawlsource/")
    last_run = result_rows(browser).filter(has_text=source.name).locator("td.field-last_run")
    expect(last_run).to_contain_text("succeeded")
    browser.shot("source shows last run")
