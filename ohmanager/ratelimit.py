"""The one rate counter: fixed-window counts in the shared cache, for DRF's per-client throttles
(`ohmanager.throttling`) and the auth limits (`accounts.throttle`) alike.

A window is `limit.seconds` long and numbered from the epoch; its index is part of the cache key,
so a counter resets by itself when the next window starts, and a key's timeout only cleans up.
The price of a fixed window is its edge: a client can spend one window's allowance at its end and
the next at the start of the next (at most twice the rate for an instant).

Counting uses Django's public cache API only: `cache.incr`, and `cache.add(key, 1, timeout)` when
the window's key does not exist yet. Both are atomic on Redis (INCRBY; SET NX) and on locmem (a
lock), so N parallel hits count as N, which DRF's own read-then-write history does not. `add`
sets the key's timeout and INCRBY keeps it. The timeout (`limit.seconds + 1` from the window's
first hit) outlasts the window, so a key cannot expire while its window still counts; should
Redis evict it anyway between `incr`'s EXISTS and its INCRBY (a count of 1 from `incr`), the
key gets its timeout back with `cache.touch`.

On Redis a hit costs two round trips (EXISTS + INCRBY, or EXISTS + SET NX for a window's first
hit), and a `peek` one (GET).

With the cache down, `hit` and `peek` answer None and log a warning ("throttle cache
unavailable; <scope> not limited"): losing the API or the login page is worse than a short
unthrottled window, and the limits that matter most (a code's attempts) also live in the
database.
"""

import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import BaseCache
from django.core.cache import cache as default_cache

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


def hit(
    key: str, limit: Limit, *, scope: str, now: float | None = None, cache: BaseCache | None = None
) -> Count | None:
    """Counts one hit on `key` in the current window; None (logged) if the cache is down."""
    cache = default_cache if cache is None else cache
    cache_key, current = _cache_key(key, limit, now)
    timeout = limit.seconds + 1
    try:
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
