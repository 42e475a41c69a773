"""The rate counter on a Redis that accepts connections and never answers (a hung server, not
a stopped one): it fails open within the cache's own socket timeouts, like every other cache
call, instead of redis-py's defaults."""

import logging
import socket

import pytest
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
