"""Abuse limits on the auth endpoints: fixed-window counters in the shared cache.

DRF's throttles read-then-write their history (best effort under concurrency); these use
`cache.add` + `cache.incr`, which Redis runs atomically, so N parallel guesses count as N.
Counting happens before any work, so a throttled request sends no email. If the cache is down
the limits fail open with a warning: losing the login page is worse than a short unthrottled
window, and the per-code attempt limit in the database still holds.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from ohmanager.exceptions import Throttled

logger = logging.getLogger("accounts.throttle")


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


# scope -> (per client IP, per email address). Generous for people, tight for scripts.
LIMITS: dict[str, tuple[Limit, Limit]] = {
    "login": (Limit(30, 10 * 60), Limit(10, 10 * 60)),
    "signup": (Limit(20, 60 * 60), Limit(5, 60 * 60)),
    "verify": (Limit(30, 10 * 60), Limit(10, 10 * 60)),
    "resend": (Limit(20, 60 * 60), Limit(5, 60 * 60)),
    "reset": (Limit(20, 60 * 60), Limit(5, 60 * 60)),
    "reset_confirm": (Limit(30, 10 * 60), Limit(10, 10 * 60)),
    # Keyed by member id: a stolen access token cannot brute-force the current password.
    "password_check": (Limit(30, 10 * 60), Limit(10, 10 * 60)),
    # The back office login (ohmanager/admin_login.py): failed attempts only, per username.
    "admin_login": (Limit(20, 15 * 60), Limit(5, 15 * 60)),
}


def client_ip(request: Request) -> str:
    """The client address as DRF's throttles see it (honours NUM_PROXIES)."""
    return BaseThrottle().get_ident(request)


def _hit(key: str, limit: Limit) -> int | None:
    """Counts one hit; returns seconds until the window ends if the limit is exceeded."""
    now = time.time()
    window = int(now // limit.seconds)
    cache_key = f"throttle:{key}:{window}"
    # add() is a no-op if the key exists; incr() is atomic. The window index in the key makes
    # the counter reset by itself; the timeout only cleans up.
    cache.add(cache_key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 0, timeout=limit.seconds + 1)
        count = cache.incr(cache_key)
    if count > limit.count:
        return int((window + 1) * limit.seconds - now) + 1
    return None


def _keys(scope: str, ip: str, address: str | None) -> list[tuple[str, Limit]]:
    per_ip, per_address = LIMITS[scope]
    keys = [(f"{scope}:ip:{ip}", per_ip)]
    if address:
        # Hashed so the cache holds no email addresses.
        digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
        keys.append((f"{scope}:addr:{digest}", per_address))
    return keys


def throttle_blocked(*, scope: str, ip: str, address: str | None) -> int | None:
    """Seconds to wait if the IP or the address has already used up its window; counts
    nothing (for limits that count failures only, recorded with throttle_check)."""
    if not settings.ACCOUNTS_THROTTLE_ENABLED:
        return None
    now = time.time()
    waits = []
    for key, limit in _keys(scope, ip, address):
        window = int(now // limit.seconds)
        try:
            count = cache.get(f"throttle:{key}:{window}") or 0
        except Exception:  # the cache is down: fail open, loudly
            logger.warning("throttle cache unavailable; %s not limited", scope, exc_info=True)
            return None
        if count >= limit.count:
            waits.append(int((window + 1) * limit.seconds - now) + 1)
    return max(waits) if waits else None


def throttle_check(*, scope: str, ip: str, address: str | None) -> None:
    """Raises Throttled (429 + Retry-After) when the IP or the address is over its limit."""
    if not settings.ACCOUNTS_THROTTLE_ENABLED:
        return
    keys = _keys(scope, ip, address)
    retry_after = None
    for key, limit in keys:
        try:
            wait = _hit(key, limit)
        except Exception:  # the cache is down: fail open, loudly
            logger.warning("throttle cache unavailable; %s not limited", scope, exc_info=True)
            return
        if wait is not None:
            retry_after = max(retry_after or 0, wait)
    if retry_after is not None:
        raise Throttled("Too many attempts. Try again later.", retry_after=retry_after)
