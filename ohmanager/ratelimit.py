"""The one rate counter: fixed-window counts in the shared cache, for DRF's per-client throttles
(`ohmanager.throttling`) and the auth limits (`accounts.throttle`) alike.

A window is `limit.seconds` long and numbered from the epoch; its index is part of the cache key,
so a counter resets by itself when the next window starts, and a key's timeout only cleans up.
The price of a fixed window is its edge: a client can spend one window's allowance at its end and
the next at the start of the next (at most twice the rate for an instant).

Every API request counts one hit, so on Redis a hit is one round trip: a short Lua script
(INCR, and EXPIRE when the key has no timeout yet) run by redis-py with the cache's own client
(its server, timeouts and pool), under the key the cache itself would use
(`make_and_validate_key`), so `peek` and `release` read and give back through the cache API.
Django's cache API has no single-call "count, and create with a timeout": `cache.incr` is
EXISTS + INCRBY, so the API path cost two (issue 19 measured it; bench/api/README.md). Other
backends (locmem in `make test`) count with the public API: `cache.incr`, and `cache.add(key,
1, timeout)` when the window's key does not exist yet; atomic there too (a lock), and should
the key vanish between `incr`'s check and its increment (a count of 1), it gets its timeout
back with `cache.touch`. Either way N parallel hits count as N, which DRF's own read-then-write
history does not. The timeout (`limit.seconds + 1` from the window's first hit) outlasts the
window, so a key cannot expire while its window still counts.

The API's per-member limit (600 a minute) is large enough to count in leases of ten hits per
process instead (`Leases`, used by the DRF throttles): nine requests in ten skip Redis.

A `peek` is one round trip (GET).

With the cache down, `hit` and `peek` answer None and log a warning ("throttle cache
unavailable; <scope> not limited"): losing the API or the login page is worse than a short
unthrottled window, and the limits that matter most (a code's attempts) also live in the
database.
"""

import logging
import math
import threading
import time
import weakref
from dataclasses import dataclass
from functools import cache as once

import redis
from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("ohmanager.ratelimit")


@dataclass(frozen=True)
class Limit:
    count: int  # hits allowed per window
    seconds: int  # the window's length


@dataclass(frozen=True)
class Window:
    index: int  # windows since the epoch
    retry_after: int  # whole seconds until it ends (at least 1): the Retry-After header


def window(limit: Limit, now: float) -> Window:
    index = int(now // limit.seconds)
    return Window(index, max(1, math.ceil((index + 1) * limit.seconds - now)))


@dataclass(frozen=True)
class Count:
    """A counter's value in the current window (after this hit, for `hit`)."""

    value: int
    limit: Limit
    window: Window
    cache_key: str
    scope: str

    @property
    def exceeded(self) -> bool:
        """This hit went over the limit."""
        return self.value > self.limit.count

    @property
    def used_up(self) -> bool:
        """No hit is left in this window (a `peek` at a full counter)."""
        return self.value >= self.limit.count

    @property
    def retry_after(self) -> int:
        return self.window.retry_after


def _cache_key(key: str, limit: Limit, now: float | None) -> tuple[str, Window]:
    current = window(limit, time.time() if now is None else now)
    return f"{key}:{current.index}", current


def _unavailable(scope: str) -> None:
    logger.warning("throttle cache unavailable; %s not limited", scope, exc_info=True)


# KEYS[1]: the counter; ARGV[1]: its timeout; ARGV[2]: the hits counted. A key INCRBY made has
# no timeout (TTL -1): the window's first hit, or a key evicted meanwhile.
_COUNT_SCRIPT = """
local value = redis.call('INCRBY', KEYS[1], ARGV[2])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return value
"""


@once
def _count_script() -> "redis.commands.core.Script":
    """The script, for any client (each call passes its own); the server learns it on first
    use (SCRIPT LOAD)."""
    return redis.commands.core.Script(None, _COUNT_SCRIPT.encode())  # bytes: no client's encoder


# The counter's client per cache backend (each thread has its own backend, and pool).
_clients: "weakref.WeakKeyDictionary[RedisCache, redis.Redis]" = weakref.WeakKeyDictionary()


def _redis_counter(cache: BaseCache) -> "redis.Redis | None":
    """The Redis client `cache` itself writes with when it is Django's Redis backend, else
    None: its server (the first of its LOCATION's), its OPTIONS (the socket timeouts, so a
    hung server fails open as fast as the cache does) and its connection pool. `_cache` is
    the backend's client object; Django has no public name for it."""
    backend = caches[DEFAULT_CACHE_ALIAS] if cache is default_cache else cache
    if not isinstance(backend, RedisCache):
        return None
    client = _clients.get(backend)
    if client is None:  # one per backend: a new Redis() builds its command table (profiled)
        client = _clients[backend] = backend._cache.get_client(write=True)
    return client


def hit(
    key: str, limit: Limit, *, scope: str, now: float | None = None, cache: BaseCache | None = None
) -> Count | None:
    """Counts one hit on `key` in the current window; None (logged) if the cache is down."""
    cache = default_cache if cache is None else cache
    cache_key, current = _cache_key(key, limit, now)
    timeout = limit.seconds + 1
    try:
        client = _redis_counter(cache)
        if client is not None:
            counted = _count_script()(
                keys=[cache.make_and_validate_key(cache_key)], args=[timeout, 1], client=client
            )
            return Count(int(counted), limit, current, cache_key, scope)
        try:
            value = cache.incr(cache_key)
            if value == 1:  # the key vanished under INCRBY, which made it without a timeout
                cache.touch(cache_key, timeout)
        except ValueError:  # the window's first hit (or a parallel one made it meanwhile)
            value = 1 if cache.add(cache_key, 1, timeout) else cache.incr(cache_key)
    except Exception:  # redis.ConnectionError, TimeoutError, ...: the cache is down
        _unavailable(scope)
        return None
    return Count(value, limit, current, cache_key, scope)


# Limits of at least LEASED_FROM hits (the API's 600 a minute per member) are counted on Redis
# LEASE hits at a time: see Leases.
LEASE = 10
LEASED_FROM = 20 * LEASE


class Leases:
    """`hit` for large limits, with a tenth of the round trips: a process takes LEASE hits of
    the window from the shared counter at once (one INCRBY) and spends them itself, so nine
    requests in ten skip Redis (a round trip was the largest single cost left in a catalogue
    read, bench/api). Never more than the limit is allowed across processes: a lease grants
    only what the counter had left. Close to the limit (within four leases, as this process last
    saw the counter), every hit is counted alone, as `hit` does, so one client is refused at
    exactly the limit. The price: hits a process leased and did not spend by the window's end
    were counted all the same, so a client spread over several processes may be refused up
    to 9 hits per process early. Smaller limits (the anonymous 120 a minute, reports,
    uploads, the auth limits) and other cache backends go through `hit`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # counter key -> (window index, hits leased and not spent, the counter's last value)
        self._held: dict[str, tuple[int, int, int]] = {}

    def hit(
        self,
        key: str,
        limit: Limit,
        *,
        scope: str,
        now: float | None = None,
        cache: BaseCache | None = None,
    ) -> Count | None:
        """As `hit`: one hit on `key` in the current window; None (logged) if the cache is down."""
        cache = default_cache if cache is None else cache
        client = _redis_counter(cache) if limit.count >= LEASED_FROM else None
        if client is None:
            return hit(key, limit, scope=scope, now=now, cache=cache)
        cache_key, current = _cache_key(key, limit, now)
        counter = cache.make_and_validate_key(cache_key)
        with self._lock:
            index, left, seen = self._held.get(counter, (current.index, 0, 0))
            if index != current.index:  # a lease of a window gone by
                left = seen = 0
            if left:
                self._held[counter] = (index, left - 1, seen)
                return Count(min(seen, limit.count), limit, current, cache_key, scope)
        take = LEASE if seen + 4 * LEASE <= limit.count else 1
        try:
            counted = int(
                _count_script()(keys=[counter], args=[limit.seconds + 1, take], client=client)
            )
        except Exception:  # redis.ConnectionError, TimeoutError, ...: the cache is down
            _unavailable(scope)
            return None
        granted = min(take, limit.count - (counted - take))  # this lease's hits within the limit
        with self._lock:
            if len(self._held) >= 4096:  # drop what past windows left
                self._held = {k: v for k, v in self._held.items() if v[0] == current.index}
            index, left, _ = self._held.get(counter, (current.index, 0, 0))
            left = left if index == current.index else 0  # another thread's lease: added up
            self._held[counter] = (current.index, left + max(0, granted - 1), counted)
        value = min(counted, limit.count) if granted >= 1 else counted
        return Count(value, limit, current, cache_key, scope)


LEASES = Leases()  # this process's


def peek(
    key: str, limit: Limit, *, scope: str, now: float | None = None, cache: BaseCache | None = None
) -> Count | None:
    """The current window's count on `key`, counting nothing; None (logged) if the cache is
    down."""
    cache = default_cache if cache is None else cache
    cache_key, current = _cache_key(key, limit, now)
    try:
        value = cache.get(cache_key) or 0
    except Exception:  # the cache is down
        _unavailable(scope)
        return None
    return Count(value, limit, current, cache_key, scope)


def release(count: Count, *, cache: BaseCache | None = None) -> None:
    """Gives back the hit `count` recorded (it was a reservation, and it is not spent)."""
    cache = default_cache if cache is None else cache
    try:
        cache.decr(count.cache_key)
    except ValueError:  # the window's key has expired meanwhile: nothing left to give back
        pass
    except Exception:
        logger.warning(
            "throttle cache unavailable; %s hit not released", count.scope, exc_info=True
        )
