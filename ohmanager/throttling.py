"""DRF's per-client request throttles as fixed-window counters (`ohmanager.ratelimit`, the
counter the auth limits use too), failing open when the cache is down.

DRF's `SimpleRateThrottle` keeps a list of timestamps per client: a GET and a SET on every
request, pickling up to `rate` floats each time, and a read-then-write that undercounts parallel
requests. Here each request is one atomic count on a key that names its window, so it resets by
itself. Same scopes, rates and cache keys' meaning; the price is the fixed window's edge (see
`ohmanager.ratelimit`), which keeps the 600/min and 120/min abuse limits meaningful.

With Redis gone every request would answer 500. Losing the API is worse than a short
unthrottled window, so a cache error lets the request through and says so in the log.

Clients are told apart by `client_group`: an IPv4 address, or an IPv6 client's /64. One
subscriber, phone or VM is handed a whole /64 and picks any address in it at will (RFC 4941
privacy addresses, or by hand), so counting per full IPv6 address would give each client 2^64
fresh counters.

The address comes from `REMOTE_ADDR`, or with `NUM_PROXIES` > 0 from the matching entry of
`X-Forwarded-For` (DRF's rule). Behind a proxy with `NUM_PROXIES=0`, every client would share the
proxy's address and one client could use up everyone's login limit; no system check can see this
(checks run without a request), so the first request that carries `X-Forwarded-For` while
`NUM_PROXIES` is 0 logs a warning, once per process (`client_address`).
"""

import hashlib
import ipaddress
import logging

from rest_framework import throttling
from rest_framework.settings import api_settings

from ohmanager import ratelimit

logger = logging.getLogger("ohmanager.throttling")

_warned_unproxied_xff = False


def client_address(request) -> str:
    """The client's address as DRF's throttles read it (honours NUM_PROXIES): the full address,
    for sessions and logs; throttles key on `client_group` of it."""
    global _warned_unproxied_xff  # a once-per-process flag
    if (
        not _warned_unproxied_xff
        and api_settings.NUM_PROXIES == 0
        and "x-forwarded-for" in request.headers
    ):
        _warned_unproxied_xff = True
        logger.warning(
            "a request carries X-Forwarded-For but NUM_PROXIES is 0: client addresses are read "
            "from REMOTE_ADDR (%s), so every client behind that proxy shares one throttle "
            "counter. Set NUM_PROXIES to the number of proxies in front of the app.",
            request.META.get("REMOTE_ADDR"),
        )
    return throttling.BaseThrottle().get_ident(request) or ""


def client_group(address: str) -> str:
    """What one client is counted as: an IPv4 address as is, an IPv6 address as its /64
    (IPv4-mapped IPv6 as the IPv4 address); anything unparseable (a forged X-Forwarded-For) as
    a digest, so the cache key stays short and clean."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "?" + hashlib.sha256(address.encode()).hexdigest()[:16]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        network = ipaddress.IPv6Address(int(ip) >> 64 << 64)  # drops a %zone too
        return f"{network}/64"
    return str(ip)


class _FixedWindow:
    def get_ident(self, request) -> str:
        return client_group(client_address(request))

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:  # e.g. the anonymous limit on a signed-in request: no cache at all
            return True
        count = ratelimit.LEASES.hit(
            key,
            ratelimit.Limit(self.num_requests, self.duration),
            scope=self.scope,
            now=self.timer(),
            cache=self.cache,
        )
        if count is None:  # the cache is down: let the request through (logged)
            return True
        self.retry_after = count.retry_after
        return not count.exceeded

    def wait(self) -> float:
        """Seconds until the window ends (Retry-After)."""
        return self.retry_after


class AnonRateThrottle(_FixedWindow, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_FixedWindow, throttling.UserRateThrottle):
    pass
