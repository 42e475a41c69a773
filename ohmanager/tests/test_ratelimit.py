"""The rate counter on a Redis that accepts connections and never answers (a hung server, not
a stopped one): it fails open within the cache's own socket timeouts, like every other cache
call, instead of redis-py's defaults."""

import logging
import socket
from unittest import mock

import pytest
import redis
from django.core.cache import cache

from ohmanager import ratelimit


@pytest.fixture
def hung_redis_cache(settings):
    with socket.create_server(("127.0.0.1", 0)) as hung:  # the kernel accepts; nobody reads
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{hung.getsockname()[1]}/0",
                "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
            }
        }
        yield cache


def test_a_hung_redis_fails_open_within_the_caches_timeouts(hung_redis_cache, caplog):
    caplog.set_level(logging.WARNING)
    client = ratelimit._redis_counter(hung_redis_cache)
    assert client.connection_pool.connection_kwargs["socket_timeout"] == 0.3
    assert client.connection_pool.connection_kwargs["socket_connect_timeout"] == 0.3
    # kept for the backend: a new client per hit rebuilt redis-py's command table each time
    assert ratelimit._redis_counter(hung_redis_cache) is client

    assert ratelimit.hit("someone", ratelimit.Limit(5, 60), scope="user") is None
    assert "throttle cache unavailable; user not limited" in caplog.text


# --- leases of the large limits (on the real Redis) -------------------------------------------

MINUTE = ratelimit.Limit(600, 60)


def _counted_on_redis(leases: ratelimit.Leases, key: str, hits: int, now: float) -> list[bool]:
    return [not leases.hit(key, MINUTE, scope="user", now=now).exceeded for _ in range(hits)]


@pytest.fixture
def redis_cache(settings):
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.services
@pytest.mark.redis
def test_a_large_limit_is_counted_in_leases_and_refuses_at_exactly_the_limit(redis_cache):
    leases, now = ratelimit.Leases(), 1_800_000_030.0  # mid-window
    with mock.patch.object(
        redis.Redis, "execute_command", autospec=True, side_effect=redis.Redis.execute_command
    ) as round_trips:
        first = _counted_on_redis(leases, "member-a", 20, now)
        assert first == [True] * 20 and round_trips.call_count == 2  # two leases of ten
        rest = _counted_on_redis(leases, "member-a", 581, now)

    assert rest.count(True) == 580 and rest[-1] is False  # the 601st hit is refused
    assert round_trips.call_count < 100  # one hit alone only within four leases of the limit
    assert _counted_on_redis(leases, "member-b", 1, now) == [True]  # per key
    assert _counted_on_redis(leases, "member-a", 1, now + 60) == [True]  # the next window


@pytest.mark.services
@pytest.mark.redis
def test_processes_sharing_a_limit_never_allow_more_than_it_together(redis_cache):
    one, other, now = ratelimit.Leases(), ratelimit.Leases(), 1_800_000_030.0
    allowed = 0
    for turn in range(700):  # a client whose requests alternate between two workers
        leases = (one, other)[turn % 2]
        allowed += not leases.hit("member-c", MINUTE, scope="user", now=now).exceeded

    assert MINUTE.count - 2 * (ratelimit.LEASE - 1) <= allowed <= MINUTE.count


@pytest.mark.services
@pytest.mark.redis
def test_small_limits_count_every_hit_on_redis(redis_cache, settings):
    leases, now, small = ratelimit.Leases(), 1_800_000_030.0, ratelimit.Limit(5, 60)
    answers = [not leases.hit("address", small, scope="anon", now=now).exceeded for _ in range(6)]
    assert answers == [True] * 5 + [False]
    key = cache.make_and_validate_key(ratelimit._cache_key("address", small, now)[0])
    assert int(redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).get(key)) == 6


def test_leases_fail_open_when_redis_hangs(hung_redis_cache, caplog):
    caplog.set_level(logging.WARNING)
    assert ratelimit.Leases().hit("someone", MINUTE, scope="user") is None
    assert "throttle cache unavailable; user not limited" in caplog.text
