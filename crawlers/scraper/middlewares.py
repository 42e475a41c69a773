"""Downloader middleware that keeps crawls on the public internet.

Staff type a source's start URLs in the admin; without this a crawl could be pointed at the
cloud metadata service or the internal network (SSRF). Every request, redirects included (Scrapy
schedules them as new requests), is refused unless each address its host resolves to is global.
Tests crawl a local server, so a setting can allow private addresses
(CRAWLER_ALLOW_PRIVATE_ADDRESSES).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest


def resolved_addresses(host: str) -> set[str]:
    try:
        return {ipaddress.ip_address(host).compressed}
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise IgnoreRequest(f"cannot resolve {host}: {error}") from error
    return {info[4][0] for info in infos}


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class PublicAddressOnlyMiddleware:
    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PublicAddressOnlyMiddleware":
        return cls(allow_private=crawler.settings.getbool("OHM_ALLOW_PRIVATE_ADDRESSES"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.allow_private:
            return None
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise IgnoreRequest(f"refusing {request.url}: only http(s) URLs with a host")
        private = sorted(a for a in resolved_addresses(parts.hostname) if not is_public(a))
        if private:
            raise IgnoreRequest(
                f"refusing {request.url}: {parts.hostname} resolves to a non-public address "
                f"({', '.join(private)})"
            )
        return None
