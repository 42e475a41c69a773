"""DRF's per-client request throttles, failing open when the cache is down.

DRF's `SimpleRateThrottle` reads and writes its history in the cache; with Redis gone every
request would answer 500. Losing the API is worse than a short unthrottled window, so a cache
error lets the request through and says so in the log (as `accounts.throttle` does for the
auth limits, which keep their own counters).
"""

import logging

from rest_framework import throttling

logger = logging.getLogger("ohmanager.throttling")


class _FailOpen:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # redis.ConnectionError, TimeoutError, ...: the cache is down
            logger.warning(
                "throttle cache unavailable; %s not limited", self.scope, exc_info=True
            )
            return True


class AnonRateThrottle(_FailOpen, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_FailOpen, throttling.UserRateThrottle):
    pass
