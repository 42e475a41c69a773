"""Races for the PostgreSQL tests: the same call from several threads released at once."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connections


def in_parallel(count: int, call: Callable[[], Any]) -> list:
    """`call` in `count` threads that start together (a barrier); their results in order."""
    barrier = threading.Barrier(count)

    def run(_):
        try:
            barrier.wait()
            return call()
        finally:
            connections.close_all()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
