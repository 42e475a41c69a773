"""The back office in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium,
installed by .ci/run; Playwright's own browser downloads are not used) against pytest-django's
live server. Every test here is marked `services` and `e2e` and runs in the service run, where
the crawl child process can see the live server's PostgreSQL database.

Each step of a scenario saves a full-page screenshot under var/e2e/<test>/ for review.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

# The crawlers app's fixtures: a source over the saved pages and a local server for them.
from crawlers.tests.conftest import make_source, serve_site, site_server  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e"
# How long a person would wait for a page (ms); the crawl waits on its own deadline.
PAGE_TIMEOUT_MS = 15_000

STAFF_EMAIL = "curator@ohmanager.example"
STAFF_PASSWORD = "a-long-staff-password-7"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.services)


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop in this thread; Django would then refuse the
    # test's own ORM calls (set-up and checks) as if they came from async code. They do not:
    # the browser only talks to the live server's thread over HTTP.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Login throttles and crawl locks live in the cache (this run's own Redis database).
    cache.clear()
    yield
    cache.clear()


@dataclass
class Browser:
    """One browser tab on the live server, and the screenshots of the steps taken in it."""

    page: Any  # playwright.sync_api.Page
    base_url: str
    shots: Path
    taken: list[Path] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, step: str) -> Path:
        """A full-page screenshot named after the step, numbered in order."""
        name = f"{len(self.taken) + 1:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower()).strip('-')}"
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        self.taken.append(path)
        return path


@pytest.fixture
def browser(live_server, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Browser]:
    """A fresh Chromium (new user-data dir: no cookies, no cache) with one tab on the live
    server. Fails, never skips, when Chromium is missing: the service run must have it."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does it)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=PAGE_TIMEOUT_MS)

    shots = SCREENSHOTS / request.node.name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1000},
            locale="ko-KR",
        )
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            yield Browser(page=page, base_url=live_server.url, shots=shots)
        finally:
            context.close()


@pytest.fixture
def staff(transactional_db):
    from accounts.models import Member

    return Member.objects.create_superuser(STAFF_EMAIL, STAFF_PASSWORD)


@pytest.fixture
def crawl_child_sees_settings_module(live_server, settings) -> None:
    """The live server's settings override (pytest-django adds its host to ALLOWED_HOSTS)
    leaves settings.SETTINGS_MODULE None, which crawlers.runner.child_environment hands the
    crawl child as DJANGO_SETTINGS_MODULE. Name the module again for the test's duration."""
    settings.SETTINGS_MODULE = os.environ["DJANGO_SETTINGS_MODULE"]
