"""Dependency checks for /readyz: each answers within READINESS_TIMEOUT_SECONDS or is down."""

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

logger = logging.getLogger("ohmanager.readiness")


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    duration_ms: float
    error: str = ""

    def as_dict(self) -> dict:
        result = {"ok": self.ok, "duration_ms": round(self.duration_ms, 1)}
        if self.error:
            result["error"] = self.error
        return result


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def check_broker() -> None:
    timeout = settings.READINESS_TIMEOUT_SECONDS
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={
            **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
        },
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def _timed(check: Callable[[], None]) -> CheckResult:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # every failure is an answer here, never a 500
        logger.warning("readiness check failed: %s: %s", check.__name__, exc)
        return CheckResult(False, (time.perf_counter() - started) * 1000, type(exc).__name__)
    return CheckResult(True, (time.perf_counter() - started) * 1000)


def check_all() -> dict[str, CheckResult]:
    timeout = settings.READINESS_TIMEOUT_SECONDS
    # The database check runs on this thread: it uses the request's own connection.
    results = {"database": _timed(CHECKS["database"])}
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")
    futures = {name: executor.submit(_timed, CHECKS[name]) for name in ("cache", "broker")}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=timeout + 0.5)
        except FutureTimeout:
            results[name] = CheckResult(False, timeout * 1000, "Timeout")
    executor.shutdown(wait=False, cancel_futures=True)
    return results
