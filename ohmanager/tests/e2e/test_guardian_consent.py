"""The guardian's consent page (`/g/<token>`, issue #17) in a real browser: Chromium through
Playwright against the live server. The guardian opens the link from her e-mail, reads the
notice, types the code and consents; the child's account is active. Checks that the strict
Content-Security-Policy breaks nothing (the inline style by its hash, the form to this site)
and that the CSRF-protected form posts from a real browser. Screenshots land in
var/e2e/<test>/.

Run: make test-services ... PYTEST_ARGS="ohmanager/tests/e2e/test_guardian_consent.py".
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import GUARDIAN_NOTICE_VERSION, GuardianConsent, Member
from accounts.tests.factories import MemberFactory
from ohmanager.tests.e2e.conftest import Browser

pytestmark = pytest.mark.django_db(transaction=True)

GUARDIAN_EMAIL = "mother@example.kr"
LINK = re.compile(r"https?://[^\s\"<>]+(/g/[A-Za-z0-9_\-]+)\s")
CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def consent_request() -> tuple[Member, str, str]:
    """A 10-year-old waiting for her guardian, who has just been e-mailed the link and code."""
    child = MemberFactory(status=Member.Status.PENDING_GUARDIAN)
    account_services.profile_prepare(
        member=child, birth_date=date.today().replace(day=1, year=date.today().year - 10)
    )
    account_services.guardian_request(
        member=child, name="박지현", relationship="parent", email=GUARDIAN_EMAIL
    )
    [message] = [m for m in mail.outbox if GUARDIAN_EMAIL in m.to]
    return child, LINK.search(message.body).group(1), CODE.search(message.body).group(1)


def test_the_guardian_reads_the_notice_and_consents(browser: Browser, consent_request):
    child, path, code = consent_request
    page = browser.page
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    browser.goto(path)
    expect(page.locator("h1")).to_have_text("보호자 동의")
    notice = page.locator("#notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("무엇을 왜 수집하나요")
    expect(notice).to_have_attribute("data-notice-version", GUARDIAN_NOTICE_VERSION)
    browser.shot("the notice and the code form")

    # A wrong code first: the page says so and nothing changes.
    page.fill("#code", "000000" if code != "000000" else "111111")
    page.click("#consent-form button[type=submit]")
    expect(page.locator(".error")).to_contain_text("코드가 올바르지 않습니다")
    browser.shot("a wrong code")

    page.fill("#code", code)
    page.click("#consent-form button[type=submit]")
    expect(page.locator("#state")).to_contain_text("동의가 완료되었습니다")
    browser.shot("consent given")

    assert violations == []
    child.refresh_from_db()
    assert child.status == Member.Status.ACTIVE
    record = GuardianConsent.objects.get(member=child)
    assert record.status == GuardianConsent.Status.GIVEN
    assert "Chrome" in record.given_user_agent  # the browser's own, recorded as proof
    assert all(shot.stat().st_size > 0 for shot in browser.taken)
