"""Which addresses a crawl may connect to, and the DNS resolver that holds every connection to
that rule (SSRF guard).

Staff type a source's start URLs in the admin; without a guard a crawl could be pointed at the
cloud metadata service (169.254.169.254), the machine itself or the internal network.
`is_public` is the one rule. It is applied where the address is chosen: `PublicAddressResolver`
is the resolver Twisted connects through (`TWISTED_DNS_RESOLVER`), for every request,
robots.txt, redirect and followed link. It passes on only the addresses it has checked and
keeps them for the rest of the crawl, so a DNS answer that changes between a check and the
connection (DNS rebinding) cannot reach anything: there is no second look-up.
The downloader middlewares (crawlers.scraper.middlewares) refuse literal addresses and
`localhost` before a request is queued, and turn the resolver's refusal into a clear,
unretried error for the crawl's record.
Tests and `make run` crawl a local server: CRAWLER_ALLOW_PRIVATE_ADDRESSES
(OHM_ALLOW_PRIVATE_ADDRESSES in the crawl's settings) lifts the rule.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attr
from scrapy.utils.datatypes import LocalCache
from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Never a web site's address, whatever ipaddress's tables (which change between Python
# releases) say of them. https://www.iana.org/assignments/iana-ipv4-special-registry and
# https://www.iana.org/assignments/iana-ipv6-special-registry
_NOT_PUBLIC = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        # IPv4-compatible (deprecated by RFC 4291 2.5.5.1; some stacks still route
        # ::127.0.0.1 to the loopback), with :: and ::1.
        "::/96",
        "100::/64",  # discard
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215): translates into a private network
        # Teredo (RFC 4380): a tunnel to a host behind NAT, never a web site; its embedded
        # server and client addresses may be anything, so none of the prefix passes.
        "2001::/32",
        "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    )
)  # fmt: skip

# IPv6 forms that carry an IPv4 address the packet ends up at: (prefix, bit offset of the IPv4
# address from the left). IPv4-mapped and IPv4-translated (RFC 4291, 2765), the well-known
# NAT64 prefix (RFC 6052), 6to4 (RFC 3056).
_EMBEDDING = tuple(
    (ipaddress.ip_network(network), offset)
    for network, offset in (
        ("::ffff:0:0/96", 96), ("::ffff:0:0:0/96", 96), ("64:ff9b::/96", 96), ("2002::/16", 16),
    )
)  # fmt: skip


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, translated, NAT64, 6to4)."""
    for network, offset in _EMBEDDING:
        if ip in network:
            return ipaddress.IPv4Address((int(ip) >> (96 - offset)) & 0xFFFFFFFF)
    return None


def is_public(address: str | IPAddress) -> bool:
    """The rule: may a crawl connect to this address? Only a global unicast address, and for
    the IPv6 forms that embed an IPv4 address, only if that address is one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ip.__class__(int(ip))  # without a %zone
    if any(ip in network for network in _NOT_PUBLIC if network.version == ip.version):
        return False
    if isinstance(ip, ipaddress.IPv6Address) and (embedded := embedded_ipv4(ip)) is not None:
        return is_public(embedded)
    return ip.is_global and not ip.is_multicast


def refusal(host: str, why: str) -> str:
    """Logs a refusal and returns its reason: the host and why, never the URL, whose user
    info or query may hold a secret."""
    reason = f"refused {host}: {why}"
    logger.warning("crawl request %s", reason)
    return reason


# host -> reason, for the hosts whose latest resolution was refused. The HTTP client reports a
# name without addresses as a failed DNS look-up; the downloader middleware reads the reason
# here. Only the reactor thread reads and writes it.
_refused: dict[str, str] = {}


def refusal_reason(host: str) -> str | None:
    """Why the resolver refused `host` the last time it resolved it, if it did."""
    return _refused.get(host.lower())


def _with_port(address: IAddress, port: int) -> IAddress:
    return address if getattr(address, "port", port) == port else attr.evolve(address, port=port)


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:  # pragma: no cover - Twisted never cancels a resolution
        raise NotImplementedError


@implementer(IResolutionReceiver)
class _CheckingReceiver:
    """Holds the system resolver's answer until it is complete, then lets the resolver decide
    on all of it before the connection sees any address."""

    def __init__(self, resolver: PublicAddressResolver, receiver: Any, host: str, port: int):
        self.resolver, self.receiver, self.host, self.port = resolver, receiver, host, port
        self.addresses: list[IAddress] = []

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.resolver.answer(self.receiver, self.host, self.port, self.addresses)


@implementer(IHostnameResolver)
class PublicAddressResolver:
    """Twisted's name resolver for crawls (`TWISTED_DNS_RESOLVER`; the IPv4 and IPv6 one, like
    scrapy.resolver.CachingHostnameResolver): asks the system resolver once per name, refuses
    the name outright when any answer is not public (no address reaches the connection), and
    keeps an accepted answer for the crawl, so the address checked is the address connected
    to. Literal addresses come through here too."""

    def __init__(
        self,
        reactor: Any,
        *,
        allow_private: bool = False,
        cache_size: int = 10_000,
        original_resolver: IHostnameResolver | None = None,
    ) -> None:
        self.reactor = reactor
        self.original_resolver = original_resolver or reactor.nameResolver
        self.allow_private = allow_private
        # Our own cache, not scrapy.resolver.dnscache: the downloader reads that one as
        # host -> IP for CONCURRENT_REQUESTS_PER_IP. Entries never expire during a crawl.
        self.cache: LocalCache[str, list[IAddress]] = LocalCache(cache_size)

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> PublicAddressResolver:
        # `crawler` is the CrawlerProcess: the process's settings (one resolver per reactor).
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            allow_private=settings.getbool("OHM_ALLOW_PRIVATE_ADDRESSES"),
            cache_size=cache_size,
        )

    def install_on_reactor(self) -> None:
        # Also replaces reactor.resolver (getHostByName, used for proxies) with this one.
        self.reactor.installNameResolver(self)

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        cached = self.cache.get(hostName.lower())
        if cached is None:
            return self.original_resolver.resolveHostName(
                _CheckingReceiver(self, resolutionReceiver, hostName, portNumber),
                hostName,
                portNumber,
                addressTypes,
                transportSemantics,
            )
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)
        for address in cached:
            resolutionReceiver.addressResolved(_with_port(address, portNumber))
        resolutionReceiver.resolutionComplete()
        return resolution

    def answer(self, receiver: Any, host: str, port: int, addresses: list[IAddress]) -> None:
        key = host.lower()
        hosts = [getattr(address, "host", "") for address in addresses]
        refused = [] if self.allow_private else [a for a in hosts if not is_public(a)]
        if refused:
            addresses_text = ", ".join(sorted(set(refused)))
            _refused[key] = refusal(host, f"resolves to a non-public address ({addresses_text})")
        else:
            _refused.pop(key, None)
            for address in addresses:
                receiver.addressResolved(_with_port(address, port))
            if addresses:  # (a cache of size 0 keeps nothing)
                self.cache[key] = [_with_port(address, 0) for address in addresses]
        receiver.resolutionComplete()
