"""Abuse limits on the auth endpoints: fixed-window counters in the shared cache.

DRF's throttles read-then-write their history (best effort under concurrency); these use
`cache.add` + `cache.incr`, which Redis runs atomically, so N parallel guesses count as N.
Counting happens before any work, so a throttled request sends no email and checks no password.
If the cache is down the limits fail open with a warning: losing the login page is worse than a
short unthrottled window, and the per-code attempt limit in the database still holds.

Two kinds of limit:

* `throttle_check` (sign-up, resend, reset request, password checks of a signed-in member, the
  back office): every request counts, per client and per address. For the scopes that send
  email this is the point: the address's limit stops a mailbox being flooded, whoever asks.
* `guess_limited` (login, verify, reset confirm): every request counts per client, but per
  address only *failed* guesses count, so nobody can lock a member out by succeeding, or by
  sending requests that guess nothing. See `guess_limited` for how an attacker spread over many
  clients is slowed while the owner on a fresh network still gets in.

A client is an IPv4 address or an IPv6 /64 (`ohmanager.throttling.client_group`); an address is
keyed as NFKC-normalised and case-folded text, the way Django's login form reads a username, so
`\uff42oss@…` (a full-width b) and `BOSS@…` count against `boss@…`.
"""

import hashlib
import logging
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request

from ohmanager.exceptions import Throttled
from ohmanager.throttling import client_address, client_group

logger = logging.getLogger("accounts.throttle")


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


# scope -> (per client, per address); every request counts. Generous for people, tight for
# scripts.
LIMITS: dict[str, tuple[Limit, Limit]] = {
    "signup": (Limit(20, 60 * 60), Limit(5, 60 * 60)),
    "resend": (Limit(20, 60 * 60), Limit(5, 60 * 60)),
    "reset": (Limit(20, 60 * 60), Limit(5, 60 * 60)),
    # Keyed by member id: a stolen access token cannot brute-force the current password.
    "password_check": (Limit(30, 10 * 60), Limit(10, 10 * 60)),
    # The back office login (ohmanager/admin_login.py): failed attempts only, per username.
    "admin_login": (Limit(20, 15 * 60), Limit(5, 15 * 60)),
}


@dataclass(frozen=True)
class GuessLimits:
    per_client: Limit  # every attempt from one client, whatever the address
    per_address_client: Limit  # failed guesses at one address from one client
    per_address: Limit  # failed guesses at one address from every client together
    failure_codes: frozenset[str]  # the error codes that mean "a wrong guess"


GUESS_LIMITS: dict[str, GuessLimits] = {
    # An unknown email answers invalid_credentials too: it counts exactly like a wrong password.
    "login": GuessLimits(
        Limit(30, 10 * 60),
        Limit(10, 10 * 60),
        Limit(10, 10 * 60),
        frozenset({"invalid_credentials"}),
    ),
    "verify": GuessLimits(
        Limit(30, 10 * 60), Limit(10, 10 * 60), Limit(10, 10 * 60), frozenset({"invalid_code"})
    ),
    "reset_confirm": GuessLimits(
        Limit(30, 10 * 60), Limit(10, 10 * 60), Limit(10, 10 * 60), frozenset({"invalid_code"})
    ),
}


def client_ip(request: Request) -> str:
    """The client's full address as DRF's throttles read it (honours NUM_PROXIES); the limits
    here count it by `client_group` (an IPv6 client by its /64)."""
    return client_address(request)


def normalise_address(address: str) -> str:
    """One spelling per address for counting: NFKC (as Django's UsernameField reads a login),
    case-folded, trimmed."""
    return unicodedata.normalize("NFKC", address).casefold().strip()


def _address_digest(address: str) -> str:
    # Hashed so the cache holds no email addresses.
    return hashlib.sha256(normalise_address(address).encode()).hexdigest()[:32]


def _window(limit: Limit, now: float) -> tuple[int, int]:
    """The window index and the seconds until it ends (Retry-After)."""
    window = int(now // limit.seconds)
    return window, int((window + 1) * limit.seconds - now) + 1


def _incr(cache_key: str, limit: Limit) -> int:
    # add() is a no-op if the key exists; incr() is atomic. The window index in the key makes
    # the counter reset by itself; the timeout only cleans up.
    cache.add(cache_key, 0, timeout=limit.seconds + 1)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 0, timeout=limit.seconds + 1)
        return cache.incr(cache_key)


def _hit(key: str, limit: Limit) -> int | None:
    """Counts one hit; returns seconds until the window ends if the limit is exceeded."""
    window, wait = _window(limit, time.time())
    if _incr(f"throttle:{key}:{window}", limit) > limit.count:
        return wait
    return None


def _keys(scope: str, ip: str, address: str | None) -> list[tuple[str, Limit]]:
    per_ip, per_address = LIMITS[scope]
    keys = [(f"{scope}:ip:{client_group(ip)}", per_ip)]
    if address:
        keys.append((f"{scope}:addr:{_address_digest(address)}", per_address))
    return keys


def throttle_blocked(*, scope: str, ip: str, address: str | None) -> int | None:
    """Seconds to wait if the IP or the address has already used up its window; counts
    nothing (for limits that count failures only, recorded with throttle_check)."""
    if not settings.ACCOUNTS_THROTTLE_ENABLED:
        return None
    now = time.time()
    waits = []
    for key, limit in _keys(scope, ip, address):
        window, wait = _window(limit, now)
        try:
            count = cache.get(f"throttle:{key}:{window}") or 0
        except Exception:  # the cache is down: fail open, loudly
            logger.warning("throttle cache unavailable; %s not limited", scope, exc_info=True)
            return None
        if count >= limit.count:
            waits.append(wait)
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


def _too_many(retry_after: int) -> Throttled:
    return Throttled("Too many attempts. Try again later.", retry_after=retry_after)


def _release(cache_key: str) -> None:
    """Gives back a reserved guess (the attempt was not a wrong guess)."""
    try:
        cache.decr(cache_key)
    except ValueError:  # the window's key has expired meanwhile: nothing left to give back
        pass
    except Exception:
        logger.warning("throttle cache unavailable; guess not released", exc_info=True)


@contextmanager
def guess_limited(*, scope: str, ip: str, address: str) -> Iterator[None]:
    """Runs the block (the password or code check) only if this client may guess at this
    address now; counts the block's failure (an ApplicationError whose code is one of the
    scope's failure codes) against the address, and nothing else.

    Before the block, refused with 429 + Retry-After when:
    1. the client has used up its attempts (every attempt counts, successes too: one network
       cannot walk through addresses);
    2. the client has used up its failed guesses at this address: one attacker network gets N
       guesses per window, and the right password is not even checked past them;
    3. the address has used up its failed guesses from everywhere *and* this client has failed
       against it at least once. Spread over many networks, an attacker gets N guesses, then
       one per fresh network per window, while the owner, who has not failed from her network,
       still logs in with the right password.

    The client-and-address counter is reserved (incremented) before the block and given back
    unless the block failed, so parallel guesses cannot all pass check 2 at once, and a success
    is never counted.
    """
    limits = GUESS_LIMITS[scope]
    reserved: str | None = None
    if settings.ACCOUNTS_THROTTLE_ENABLED:
        now = time.time()
        client, digest = client_group(ip), _address_digest(address)
        client_window, client_wait = _window(limits.per_client, now)
        pair_window, pair_wait = _window(limits.per_address_client, now)
        address_window, address_wait = _window(limits.per_address, now)
        pair_key = f"throttle:{scope}:fail:pair:{digest}:{client}:{pair_window}"
        try:
            client_key = f"throttle:{scope}:ip:{client}:{client_window}"
            if _incr(client_key, limits.per_client) > limits.per_client.count:
                raise _too_many(client_wait)
            pair_failures = _incr(pair_key, limits.per_address_client) - 1
            reserved = pair_key
            if pair_failures >= limits.per_address_client.count:
                raise _too_many(pair_wait)
            address_key = f"throttle:{scope}:fail:addr:{digest}:{address_window}"
            address_failures = cache.get(address_key) or 0
            if pair_failures > 0 and address_failures >= limits.per_address.count:
                raise _too_many(address_wait)
        except Throttled:
            if reserved:
                _release(reserved)
            raise
        except Exception:  # the cache is down: fail open, loudly
            logger.warning("throttle cache unavailable; %s not limited", scope, exc_info=True)
            reserved = None
    try:
        yield
    except Exception as error:
        if reserved and getattr(error, "code", None) in limits.failure_codes:
            try:  # the reserved guess stays spent; the address counts one more failure
                _hit(f"{scope}:fail:addr:{_address_digest(address)}", limits.per_address)
            except Exception:
                logger.warning("throttle cache unavailable; %s failure not counted", scope)
        elif reserved:
            _release(reserved)
        raise
    if reserved:
        _release(reserved)
