"""The trust and safety queue (#18) in a real browser against a live server: staff open the
moderation queue, read a quarantined call's flags and a reported call's text, hide the reported
one as a scam (its applicant is told by e-mail), block the quarantined one's poster and then
clear the call, and open the poster page. Each step checks the page a person sees and what it
did to the data (the models, the outbox, the app's API). Screenshots land in var/e2e/.

Run: make test-services ... PYTEST_ARGS="ohmanager/tests/e2e"; see conftest.py.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services as application_services
from auditions import services
from auditions.models import Audition, AuditionEvent
from auditions.tests import factories
from emails.models import EmailMessage
from ohmanager.tests.e2e.conftest import STAFF_EMAIL, Browser
from ohmanager.tests.e2e.test_back_office import (
    PERFORMER_PASSWORD,
    api_get,
    api_login,
    log_in,
    result_rows,
    run_action,
)

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "/admin/auditions/moderationcase/"


def row_for(browser: Browser, title: str):
    return result_rows(browser).filter(has_text=title)


def test_staff_work_the_moderation_queue(browser: Browser, staff):
    # given: a call quarantined on ingest (a fee and ID copies asked), a call a member who
    # applied to it reported, and a clean call
    factories.source()
    held = Audition.objects.get(
        pk=services.audition_ingest_listing(
            listing=factories.listing(
                title="아역 모델 <반짝> 모집",
                description="등록비 5만원 입금 후 오디션 일정 안내, 보호자 신분증 사본 제출",
                apply_target="kids.casting@gmail.com",
            )
        ).audition_id
    )
    reported = factories.audition(title="웹드라마 <거짓말> 단역 모집", apply_method="in_app")
    # applied in the app from a month-old account: her report weighs 3
    applicant = factories.applicant(date_joined=timezone.now() - timedelta(days=30))
    application_services.application_create(member=applicant, audition_id=reported.id)
    services.audition_report(
        member=applicant,
        audition_id=reported.id,
        reason="fee",
        text="합격했다며 프로필 촬영비 30만원을 요구했어요",
    )
    clean = factories.audition(title="단편영화 <여름> 주연 배우 모집")
    assert held.status == Audition.Status.QUARANTINED
    performer = factories.member()
    access = api_login(browser, performer.email, PERFORMER_PASSWORD)
    page = browser.page

    # -- staff logs in and opens the queue ---------------------------------------------------
    log_in(browser)
    browser.goto(QUEUE)
    expect(result_rows(browser)).to_have_count(2)
    expect(page.locator("#changelist")).not_to_contain_text(clean.title)
    expect(row_for(browser, held.title).locator("td.field-flag_codes")).to_contain_text(
        "fee_requested"
    )
    expect(row_for(browser, reported.title).locator("td.field-report_texts")).to_contain_text(
        "프로필 촬영비 30만원"
    )
    expect(row_for(browser, reported.title).locator("td.field-report_weight")).to_have_text("3")
    browser.shot("the queue with a quarantined and a reported call")

    # -- reads the quarantined call's case ---------------------------------------------------
    row_for(browser, held.title).locator("th a").click()
    expect(page.locator("div.field-trust_flags")).to_contain_text("id_documents_requested")
    trail = page.locator(".inline-group").filter(has_text="audit trail")
    expect(trail.locator("tr").filter(has_text="Quarantined")).to_have_count(1)
    browser.shot("the quarantined case")

    # -- hides the reported call as a scam -----------------------------------------------------
    browser.goto(QUEUE)
    row_for(browser, reported.title).locator("input.action-select").check()
    run_action(browser, "hide_as_scam")
    expect(page.locator("ul.messagelist li.success")).to_have_text("1 hidden as scams.")
    expect(result_rows(browser)).to_have_count(1)  # answered: out of the queue
    browser.shot("hidden as a scam")
    reported.refresh_from_db()
    assert (reported.status, reported.trust_review) == ("hidden", "scam")
    [warning] = EmailMessage.objects.filter(template="audition_scam_warning")
    assert warning.to_email == applicant.email
    assert AuditionEvent.objects.get(audition=reported, action="scam").actor == staff
    assert api_get(browser, f"/api/v1/auditions/{reported.pk}", access).status == 404

    # -- blocks the quarantined call's poster, then clears the call ------------------------------
    row_for(browser, held.title).locator("input.action-select").check()
    run_action(browser, "block_poster")
    expect(page.locator("ul.messagelist li.success")).to_have_text("1 posters blocked.")
    row_for(browser, held.title).locator("input.action-select").check()
    run_action(browser, "clear")
    expect(page.locator("ul.messagelist li.success")).to_have_text("1 cleared.")
    expect(result_rows(browser)).to_have_count(0)
    browser.shot("poster blocked and call cleared")
    held.refresh_from_db()
    assert (held.status, held.trust_review) == ("open", "cleared")
    assert held.advertiser.blocked
    assert {"poster_blocked", "cleared"} <= set(
        AuditionEvent.objects.filter(audition=held, actor=staff).values_list("action", flat=True)
    )
    listed = api_get(browser, "/api/v1/auditions", access)
    assert str(held.pk) in [item["id"] for item in listed.json()["results"]]

    # -- the poster page ---------------------------------------------------------------------------
    browser.goto(f"/admin/auditions/advertiser/{held.advertiser_id}/change/")
    expect(page.locator("div.field-blocked")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("kids.casting@gmail.com")
    expect(page.locator("div.field-reply_rate")).to_contain_text("under 5 members")
    expect(page).to_have_url(re.compile(r"/advertiser/"))
    expect(page.locator("#user-tools")).to_contain_text(STAFF_EMAIL)
    browser.shot("the poster page")
