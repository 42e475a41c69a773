"""Downloader middlewares of the SSRF guard; the rule and the resolver that applies it to every
connection are in crawlers.scraper.addresses.

`PublicAddressOnlyMiddleware` (first, before robots.txt is fetched) refuses at once what needs
no look-up: a URL that is not http(s) with a host, a literal address that is not public (in any
form the C library reads: 127.1, 0x7f.1, 2130706433, [::ffff:127.0.0.1], [64:ff9b::a9fe:a9fe]),
localhost. It resolves no name: a second look-up here is what DNS rebinding exploits (the
answer checked here would not be the one connected to). Names are checked by the resolver, at
connection time, for every request, redirects and followed links included.

`ResolverRefusalMiddleware` (just above RetryMiddleware): a name the resolver refused reaches the
downloader as a failed DNS look-up. This turns it into IgnoreRequest with the resolver's
reason, so it is not retried and the crawl's error record says why. Both are refusals of one
request: the spider's errback counts them and the crawl goes on.

CRAWLER_ALLOW_PRIVATE_ADDRESSES (OHM_ALLOW_PRIVATE_ADDRESSES here) lifts the rule for tests and
`make run`.
"""

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from twisted.internet.error import DNSLookupError

from crawlers.scraper import addresses

# What inet_aton might read as an IPv4 address (decimal, octal, hex parts; fewer than four).
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)


def literal_address(host: str) -> addresses.IPAddress | None:
    """The address a URL's host is written as, if it is one, in any form a connection would
    read it: 127.0.0.1, ::1, or the old inet_aton forms (127.1, 0x7f.0.0.1, 2130706433)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_local_name(host: str) -> bool:
    """localhost and *.localhost (RFC 6761): this machine, whatever DNS says."""
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


class PublicAddressOnlyMiddleware:
    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PublicAddressOnlyMiddleware":
        return cls(allow_private=crawler.settings.getbool("OHM_ALLOW_PRIVATE_ADDRESSES"))

    def process_request(self, request: Request) -> None:
        if self.allow_private:
            return None
        parts = urlsplit(request.url)
        host = parts.hostname
        if parts.scheme not in ("http", "https") or not host:
            raise IgnoreRequest(
                addresses.refusal(parts.scheme or "a URL", "only http(s) URLs with a host")
            )
        if (ip := literal_address(host)) is not None and not addresses.is_public(ip):
            raise IgnoreRequest(addresses.refusal(host, f"a non-public address ({ip})"))
        if is_local_name(host):
            raise IgnoreRequest(addresses.refusal(host, "a name of this machine"))
        return None


class ResolverRefusalMiddleware:
    """Sits above RetryMiddleware (550): its process_exception runs first."""

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, (CannotResolveHostError, DNSLookupError)):
            host = urlsplit(request.url).hostname
            if host and (reason := addresses.refusal_reason(host)):
                raise IgnoreRequest(reason) from exception
        return None
