"""Staff-typed source URLs never reach the internal network (SSRF guard): the address rule, the
early refusal of literal addresses, the resolver every connection goes through, and whole
crawls that show a refused request is recorded, never retried, never stops the crawl."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings as django_settings
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.utils.test import get_crawler
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.endpoints import HostnameEndpoint
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IHostnameResolver
from twisted.internet.protocol import Factory, Protocol
from twisted.internet.testing import MemoryReactorClock
from zope.interface import implementer

from crawlers.scraper.addresses import PublicAddressResolver, is_public, refusal_reason
from crawlers.scraper.middlewares import PublicAddressOnlyMiddleware, ResolverRefusalMiddleware

# --- The rule ---------------------------------------------------------------------------------

NOT_PUBLIC = [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "192.0.0.8", "198.18.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
    "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1",
    "ff0e::1", "2001:db8::1", "100::1",
    # IPv4-mapped and IPv4-translated
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0:127.0.0.1",
    "::ffff:0:a00:1",
    # IPv4-compatible (deprecated), whatever it embeds
    "::127.0.0.1", "::a00:1", "::a9fe:a9fe", "::8.8.8.8",
    # NAT64, well-known prefix (RFC 6052): 127.0.0.1, 10.0.0.1, 169.254.169.254, 192.168.0.1
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::192.168.0.1",
    # NAT64, local-use prefix (RFC 8215): a private network, whatever it embeds
    "64:ff9b:1::7f00:1", "64:ff9b:1::808:808", "64:ff9b:1:ffff::1",
    # 6to4 (RFC 3056): 127.0.0.1, 10.0.0.1, 169.254.169.254, 192.168.1.1
    "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101:1::1",
    # Teredo: a server 65.54.227.120 with the client 127.0.0.1 / 10.0.0.1 (obfuscated), and even
    # public ones (a tunnel to a host behind NAT, never a web site)
    "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "not an address", "",
]  # fmt: skip

PUBLIC = [
    "93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700::1111", "2a00:1450:4001:81b::200e",
    "::ffff:93.184.216.34",
    "64:ff9b::5db8:d822", "64:ff9b::8.8.8.8",  # NAT64 of public IPv4: how IPv6-only hosts go out
    "2002:5db8:d822::1",  # 6to4 of 93.184.216.34
]  # fmt: skip


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_in_every_form_are_refused(address):
    assert is_public(address) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_in_every_form_are_allowed(address):
    assert is_public(address) is True


# --- The middleware: literal addresses and localhost, refused before anything is fetched -------


@pytest.fixture
def guard() -> PublicAddressOnlyMiddleware:
    return PublicAddressOnlyMiddleware(allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://metadata.localhost/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64 of the metadata service
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[::a00:5]/",  # IPv4-compatible 10.0.0.5
        "http://0.0.0.0/",
        # Old inet_aton forms of 127.0.0.1 a connection would read as such
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0177.0.0.1/",
        "ftp://93.184.216.34/file",
        "file:///etc/passwd",
    ],
)
def test_literal_non_public_addresses_are_refused_early(guard, url):
    with pytest.raises(IgnoreRequest, match=r"^refused "):
        guard.process_request(Request(url))


def test_a_public_address_goes_through(guard):
    assert guard.process_request(Request("https://93.184.216.34/casting/1")) is None
    assert guard.process_request(Request("https://[64:ff9b::5db8:d822]/casting/1")) is None


def test_the_middleware_resolves_no_name(guard, monkeypatch):
    """A look-up here would be a second one, apart from the connection's: the gap DNS
    rebinding uses. Names are the resolver's."""

    def no_lookup(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the middleware looked a name up")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    monkeypatch.setattr(socket, "gethostbyname", no_lookup)

    assert guard.process_request(Request("https://casting.example.com/list")) is None


def test_a_refusal_is_logged_without_the_urls_secrets(guard, caplog):
    caplog.set_level(logging.WARNING, logger="crawlers.scraper.addresses")

    with pytest.raises(IgnoreRequest) as refused:
        guard.process_request(Request("http://staff:s3cret@10.0.0.5/feed?token=t0ken"))

    assert str(refused.value) == "refused 10.0.0.5: a non-public address (10.0.0.5)"
    assert "refused 10.0.0.5" in caplog.text
    assert "s3cret" not in caplog.text + str(refused.value)
    assert "t0ken" not in caplog.text + str(refused.value)


def test_tests_and_local_runs_may_allow_private_addresses():
    allowing = PublicAddressOnlyMiddleware(allow_private=True)

    assert allowing.process_request(Request("http://127.0.0.1:8000/")) is None


def test_the_guard_is_on_by_default_in_every_crawl():
    from crawlers.scraper import settings as scrapy_settings

    middlewares = scrapy_settings.DOWNLOADER_MIDDLEWARES
    assert scrapy_settings.TWISTED_DNS_RESOLVER == (
        "crawlers.scraper.addresses.PublicAddressResolver"
    )
    # Before robots.txt is asked for (100); the refusal translated before a retry (550).
    assert middlewares["crawlers.scraper.middlewares.PublicAddressOnlyMiddleware"] < 100
    assert middlewares["crawlers.scraper.middlewares.ResolverRefusalMiddleware"] > 550
    crawler = get_crawler(settings_dict={"OHM_ALLOW_PRIVATE_ADDRESSES": False})
    assert PublicAddressOnlyMiddleware.from_crawler(crawler).allow_private is False
    assert PublicAddressResolver.from_crawler(crawler, MemoryReactorClock()).allow_private is False


# --- The resolver: every connection's addresses, checked once --------------------------------


@implementer(IHostnameResolver)
class StubSystemResolver:
    """The system's DNS answers, as a table that a test may change (rebinding)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def resolveHostName(self, receiver: Any, name: str, port: int = 0, *args: Any) -> None:
        self.asked.append(name)
        receiver.resolutionBegan(None)
        for address in self.answers.get(name, []):
            kind = IPv6Address if ":" in address else IPv4Address
            receiver.addressResolved(kind("TCP", address, port))
        receiver.resolutionComplete()


def _reactor_with(answers: dict[str, list[str]], *, allow_private: bool = False) -> Any:
    reactor = MemoryReactorClock()
    system = StubSystemResolver(answers)
    PublicAddressResolver(
        reactor, allow_private=allow_private, original_resolver=system
    ).install_on_reactor()
    reactor.system = system
    return reactor


def _connect(reactor: Any, host: str, port: int = 80) -> list[Any]:
    """Connects as Scrapy's HTTP client does (HostnameEndpoint through reactor.nameResolver);
    the failures, if the connection was refused before any attempt."""
    failures: list[Any] = []
    endpoint = HostnameEndpoint(reactor, host.encode(), port)
    endpoint.connect(Factory.forProtocol(Protocol)).addErrback(failures.append)
    reactor.advance(1)
    return failures


@pytest.mark.parametrize(
    "answers",
    [
        ["127.0.0.1"],
        ["10.0.0.5"],
        ["169.254.169.254"],
        ["::1"],
        ["64:ff9b::7f00:1"],
        ["64:ff9b::a9fe:a9fe"],
        ["2002:a00:1::1"],
        ["::ffff:10.0.0.1"],
        ["93.184.216.34", "10.0.0.5"],  # one private answer refuses the name
    ],
)
def test_a_name_resolving_to_a_non_public_address_is_never_connected_to(answers, caplog):
    reactor = _reactor_with({"casting.example.com": answers})

    failures = _connect(reactor, "casting.example.com")

    assert reactor.tcpClients == []
    assert len(failures) == 1 and failures[0].check(DNSLookupError)
    reason = refusal_reason("casting.example.com")
    assert reason is not None and reason.startswith("refused casting.example.com: resolves to a")
    assert "refused casting.example.com" in caplog.text


def test_a_name_resolving_to_a_public_address_is_connected_to_that_address():
    reactor = _reactor_with({"casting.example.com": ["93.184.216.34"]})

    failures = _connect(reactor, "casting.example.com", 8080)

    assert failures == []
    assert [(host, port) for host, port, *_ in reactor.tcpClients] == [("93.184.216.34", 8080)]
    assert refusal_reason("casting.example.com") is None


def test_literal_addresses_go_through_the_resolver_too():
    reactor = _reactor_with({"10.0.0.5": ["10.0.0.5"]})

    assert _connect(reactor, "10.0.0.5")
    assert reactor.tcpClients == []


def test_rebinding_the_middleware_passes_but_the_connection_is_refused(guard, monkeypatch):
    # given: a check made by asking the system resolver itself would be told a public address...
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 80))]
    )
    assert guard.process_request(Request("http://rebind.example.com/")) is None
    # ...while the look-up the connection makes answers the loopback
    reactor = _reactor_with({"rebind.example.com": ["127.0.0.1"]})

    failures = _connect(reactor, "rebind.example.com")

    assert reactor.tcpClients == [] and failures
    assert "127.0.0.1" in refusal_reason("rebind.example.com")


def test_an_accepted_answer_is_the_one_used_for_the_rest_of_the_crawl():
    reactor = _reactor_with({"rebind.example.com": ["93.184.216.34"]})
    assert _connect(reactor, "rebind.example.com") == []

    reactor.system.answers["rebind.example.com"] = ["127.0.0.1"]  # DNS rebinds
    assert _connect(reactor, "rebind.example.com", 443) == []

    assert reactor.system.asked == ["rebind.example.com"]  # asked once
    assert [(host, port) for host, port, *_ in reactor.tcpClients] == [
        ("93.184.216.34", 80),
        ("93.184.216.34", 443),
    ]


def test_allowing_private_addresses_lifts_the_resolvers_rule():
    reactor = _reactor_with({"localhost": ["127.0.0.1"]}, allow_private=True)

    assert _connect(reactor, "localhost", 8000) == []
    assert [(host, port) for host, port, *_ in reactor.tcpClients] == [("127.0.0.1", 8000)]


def test_the_resolvers_refusal_becomes_a_clear_unretried_ignore_request():
    reactor = _reactor_with({"inside.example.com": ["10.0.0.5"], "gone.example.com": []})
    _connect(reactor, "inside.example.com")
    _connect(reactor, "gone.example.com")
    translate = ResolverRefusalMiddleware()
    lookup_failed = CannotResolveHostError("no results for hostname lookup")

    with pytest.raises(IgnoreRequest, match=r"^refused inside\.example\.com: .*10\.0\.0\.5"):
        translate.process_exception(Request("https://inside.example.com/x"), lookup_failed)
    # A name that really does not resolve stays a DNS error (retried, reported as such).
    assert translate.process_exception(Request("https://gone.example.com/"), lookup_failed) is None


# --- Whole crawls (a Scrapy process over a local server; no database) ------------------------


def _crawl(options: dict[str, Any]) -> tuple[dict[str, Any], str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ohmanager.settings.test",
        "OHMANAGER_IGNORE_DOTENV": "1",
        "PYTHONPATH": str(django_settings.BASE_DIR),
    }
    done = subprocess.run(  # noqa: S603 - our interpreter and module
        [sys.executable, "-m", "crawlers.tests.address_crawl", json.dumps(options)],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stdout + done.stderr


def test_a_crawl_of_local_addresses_fetches_nothing_and_records_each_refusal(
    site_server, serve_site
):
    serve_site("rss")
    port = site_server.port

    result, output = _crawl({
        "allow_private": False,
        "start_urls": [
            f"http://staff:s3cret@localhost:{port}/casting/rss?token=t0ken",
            f"http://127.0.0.1:{port}/casting/rss",
        ],
    })  # fmt: skip

    assert site_server.log == []  # not even robots.txt
    assert (result["items"], result["error_count"], result["retries"]) == (0, 2, 0)
    assert result["finish_reason"] == "finished"  # each refusal ended one request, not the crawl
    assert sorted(e["reason"] for e in result["errors"]) == [
        "refused 127.0.0.1: a non-public address (127.0.0.1)",
        "refused localhost: a name of this machine",
    ]
    assert "s3cret" not in output
    assert "t0ken" not in output.replace(json.dumps(result), "")  # only in the run's URL sample


def test_rebinding_a_crawl_is_refused_at_connect_time_unless_private_addresses_are_allowed(
    site_server, serve_site
):
    # given: a name whose check would say public, while the connection's look-up says loopback
    serve_site("rss")
    host = "casting.rebind.test"
    options = {
        "start_urls": [f"http://{host}:{site_server.port}/casting/rss"],
        "rebind": {"host": host, "checked": "93.184.216.34", "connected": "127.0.0.1"},
    }

    result, output = _crawl({**options, "allow_private": False})

    assert site_server.log == []
    assert (result["items"], result["error_count"], result["retries"]) == (0, 1, 0)
    assert result["errors"][0]["reason"] == (
        f"refused {host}: resolves to a non-public address (127.0.0.1)"
    )
    assert f"crawl request refused {host}" in output  # logged by the resolver

    # when: tests and `make run` allow private addresses, the same crawl goes through
    result, _ = _crawl({**options, "allow_private": True})

    assert (result["items"], result["error_count"]) == (2, 0)
    assert [request.path for request, _ in site_server.log] == ["/robots.txt", "/casting/rss"]
