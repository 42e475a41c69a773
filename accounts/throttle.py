"""Abuse limits on the auth endpoints: fixed-window counters in the shared cache
(`ohmanager.ratelimit`, the counter DRF's throttles use too).

The counts are atomic (`cache.incr` / `cache.add`), so N parallel guesses count as N. Counting
happens before any work, so a throttled request sends no email and checks no password. If the
cache is down the limits fail open with a warning: losing the login page is worse than a short
unthrottled window, and the per-code attempt limit in the database still holds.

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
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from rest_framework.request import Request

from ohmanager import ratelimit
from ohmanager.exceptions import Throttled
from ohmanager.ratelimit import Limit
from ohmanager.throttling import client_address, client_group

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
    # Guardians (issue #17): each mails somebody else, keyed by the child's member id (request,
    # resend) or by the consent record (the page's "give consent again").
    "guardian_request": (Limit(20, 60 * 60), Limit(5, 60 * 60)),
    "guardian_resend": (Limit(20, 60 * 60), Limit(3, 60 * 60)),
    "guardian_renew": (Limit(20, 60 * 60), Limit(3, 60 * 60)),
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
    # The consent page's code, keyed by the consent record (the code's own limits still apply).
    "guardian_consent": GuessLimits(
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


def _keys(scope: str, ip: str, address: str | None) -> list[tuple[str, Limit]]:
    per_ip, per_address = LIMITS[scope]
    keys = [(f"throttle:{scope}:ip:{client_group(ip)}", per_ip)]
    if address:
        keys.append((f"throttle:{scope}:addr:{_address_digest(address)}", per_address))
    return keys


def throttle_blocked(*, scope: str, ip: str, address: str | None) -> int | None:
    """Seconds to wait if the IP or the address has already used up its window; counts
    nothing (for limits that count failures only, recorded with throttle_check)."""
    if not settings.ACCOUNTS_THROTTLE_ENABLED:
        return None
    now = time.time()
    waits = []
    for key, limit in _keys(scope, ip, address):
        count = ratelimit.peek(key, limit, scope=scope, now=now)
        if count is None:  # the cache is down: fail open (logged)
            return None
        if count.used_up:
            waits.append(count.retry_after)
    return max(waits) if waits else None


def throttle_check(*, scope: str, ip: str, address: str | None) -> None:
    """Raises Throttled (429 + Retry-After) when the IP or the address is over its limit."""
    if not settings.ACCOUNTS_THROTTLE_ENABLED:
        return
    retry_after = None
    for key, limit in _keys(scope, ip, address):
        count = ratelimit.hit(key, limit, scope=scope)
        if count is None:  # the cache is down: fail open (logged)
            return
        if count.exceeded:
            retry_after = max(retry_after or 0, count.retry_after)
    if retry_after is not None:
        raise _too_many(retry_after)


def _too_many(retry_after: int) -> Throttled:
    return Throttled("Too many attempts. Try again later.", retry_after=retry_after)


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
    reserved: ratelimit.Count | None = None
    digest = _address_digest(address)
    if settings.ACCOUNTS_THROTTLE_ENABLED:
        reserved = _reserve_guess(scope, limits, client_group(ip), digest)
    try:
        yield
    except Exception as error:
        if reserved and getattr(error, "code", None) in limits.failure_codes:
            # the reserved guess stays spent; the address counts one more failure
            ratelimit.hit(_failures_key(scope, digest), limits.per_address, scope=scope)
        elif reserved:
            ratelimit.release(reserved)
        raise
    if reserved:
        ratelimit.release(reserved)


def _failures_key(scope: str, digest: str) -> str:
    """Failed guesses at one address, from every client."""
    return f"throttle:{scope}:fail:addr:{digest}"


def _reserve_guess(
    scope: str, limits: GuessLimits, client: str, digest: str
) -> ratelimit.Count | None:
    """Checks 1-3 of `guess_limited`; the reserved client-and-address count, or None if the
    cache is down (fail open, logged)."""
    now = time.time()
    client_key = f"throttle:{scope}:ip:{client}"
    attempts = ratelimit.hit(client_key, limits.per_client, scope=scope, now=now)
    if attempts is None:
        return None
    if attempts.exceeded:
        raise _too_many(attempts.retry_after)
    pair_key = f"throttle:{scope}:fail:pair:{digest}:{client}"
    reserved = ratelimit.hit(pair_key, limits.per_address_client, scope=scope, now=now)
    if reserved is None:
        return None
    pair_failures = reserved.value - 1  # before this attempt
    if pair_failures >= limits.per_address_client.count:
        ratelimit.release(reserved)
        raise _too_many(reserved.retry_after)
    failures_key = _failures_key(scope, digest)
    failures = ratelimit.peek(failures_key, limits.per_address, scope=scope, now=now)
    if failures is None:
        return None  # (the reserved guess stays spent, as the cache is unreachable anyway)
    if pair_failures > 0 and failures.used_up:
        ratelimit.release(reserved)
        raise _too_many(failures.retry_after)
    return reserved
