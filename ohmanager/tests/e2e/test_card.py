"""The profile card (`/c/<token>`) in a real browser: Chromium through Playwright against the
live server, photos on the S3-compatible test server (presigned URLs, as in production), on a
desktop and on a phone-sized viewport. Checks what a poster sees, that the strict
Content-Security-Policy lets the photos and the thumbnail in and nothing else breaks, and that
the phone layout needs no sideways scrolling. Screenshots land in var/e2e/<test>/.

Run: make test-services ... PYTEST_ARGS="ohmanager/tests/e2e/test_card.py".
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.cards import services as card_services
from accounts.profiles import services as profile_services
from accounts.tests.factories import MemberFactory
from accounts.tests.images import image_bytes, upload
from ohmanager.tests.e2e.conftest import Browser

pytestmark = pytest.mark.django_db(transaction=True)

YT_ID = "dQw4w9WgXcQ"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def card_path(s3_storage) -> str:
    member = MemberFactory()
    account_services.profile_prepare(member=member)
    profile_services.profile_update(
        member=member,
        display_name="김서연",
        birth_date=date(1998, 3, 14),
        gender="female",
        height_cm=165,
        weight_kg=50,
        bio="연극과 영상 모두 합니다.\n현대무용 8년.",
        skills=["현대무용", "경상도 사투리", "수영"],
        languages=["영어", "일본어"],
        representation="agency",
        agency_name="하늘 엔터테인먼트",
    )
    for color in ((200, 60, 60), (60, 120, 200), (80, 160, 90)):
        profile_services.photo_upload(
            member=member, upload=upload(image_bytes(size=(600, 800), color=color))
        )
    profile_services.credit_create(
        member=member, title="여름의 끝", year=2024, kind="film", role_name="수진"
    )
    profile_services.credit_create(member=member, title="봄밤", year=2023, kind="web_drama")
    card_services.media_create(
        member=member, kind="reel", url=f"https://youtu.be/{YT_ID}", title="2024 릴", duration_s=95
    )
    card_services.media_create(
        member=member, kind="monologue", url="https://vimeo.com/76979871", title="햄릿 독백"
    )
    issued = card_services.card_link_rotate(member=member, expires_in_days=30)
    return "/c/" + issued.url.rsplit("/c/", 1)[1]


def _no_sideways_scroll(browser: Browser) -> bool:
    return browser.page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_card_on_a_desktop_and_a_phone(browser: Browser, card_path: str):
    page = browser.page
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # The thumbnail host is on the internet; the test serves a stand-in image for it.
    thumbnail = image_bytes(size=(480, 360), color=(30, 30, 30))
    page.route(
        "https://i.ytimg.com/**",
        lambda route: route.fulfill(status=200, content_type="image/jpeg", body=thumbnail),
    )

    # when: a poster opens the card on a desktop
    browser.goto(card_path)

    # then: the performer, in Korean (the browser's language), photos loaded through the CSP
    expect(page.locator("h1")).to_have_text("김서연")
    expect(page.locator(".facts")).to_contain_text("만 ")
    expect(page.locator(".facts")).to_contain_text("165 cm")
    expect(page.locator(".rep")).to_have_text("소속사 하늘 엔터테인먼트")
    expect(page.locator(".media li")).to_have_count(2)
    expect(page.locator(".credits li").first).to_contain_text("여름의 끝")
    page.wait_for_load_state("load")
    loaded = page.evaluate("[...document.images].map(img => img.complete && img.naturalWidth > 0)")
    assert loaded and all(loaded), loaded
    # no birth date, only the age: not in what is shown, nor anywhere in the page as a date
    # (the whole HTML holds random photo keys and URL signatures, where "1998" can occur)
    assert "1998" not in page.inner_text("body")
    assert "1998-03-14" not in page.content() and "1998.03.14" not in page.content()
    assert _no_sideways_scroll(browser)
    browser.shot("card on a desktop")

    # when: on a phone
    page.set_viewport_size(PHONE)
    browser.goto(card_path)

    # then: one column, nothing wider than the screen
    expect(page.locator("h1")).to_have_text("김서연")
    hero = page.locator(".hero img").bounding_box()
    assert hero is not None and hero["width"] <= PHONE["width"]
    assert _no_sideways_scroll(browser)
    browser.shot("card on a phone")

    assert violations == []
