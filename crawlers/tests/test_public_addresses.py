"""Staff-typed source URLs never reach the internal network (SSRF guard)."""

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawlers.scraper.middlewares import PublicAddressOnlyMiddleware


@pytest.fixture
def guard() -> PublicAddressOnlyMiddleware:
    return PublicAddressOnlyMiddleware(allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://localhost/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "ftp://93.184.216.34/file",
    ],
)
def test_non_public_addresses_are_refused(guard, url):
    with pytest.raises(IgnoreRequest, match="refusing"):
        guard.process_request(Request(url))


def test_a_public_address_goes_through(guard):
    assert guard.process_request(Request("https://93.184.216.34/casting/1")) is None


def test_tests_and_local_runs_may_allow_private_addresses():
    allowing = PublicAddressOnlyMiddleware(allow_private=True)

    assert allowing.process_request(Request("http://127.0.0.1:8000/")) is None


def test_the_guard_is_on_by_default_in_every_crawl():
    from crawlers.scraper import settings as scrapy_settings

    crawler = get_crawler(settings_dict={"OHM_ALLOW_PRIVATE_ADDRESSES": False})
    assert "crawlers.scraper.middlewares.PublicAddressOnlyMiddleware" in (
        scrapy_settings.DOWNLOADER_MIDDLEWARES
    )
    assert PublicAddressOnlyMiddleware.from_crawler(crawler).allow_private is False
