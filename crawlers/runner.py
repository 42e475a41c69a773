"""Starting a crawl in its own process, with a hard timeout.

Twisted's reactor cannot be restarted inside a long-lived worker (scrapy#1647, #5167), and a
Celery pool process may not fork a multiprocessing child (celery#4525): each crawl is a fresh
`python -m crawlers.scraper.run <run id>` that sets Django up itself, as scrapyd runs spiders.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

# Enough of the child's log to say why it failed.
OUTPUT_TAIL_CHARS = 4000


@dataclass(frozen=True)
class ChildResult:
    returncode: int | None
    timed_out: bool
    timeout: int
    duration: float
    output_tail: str

    @property
    def last_error(self) -> str:
        lines = [line for line in self.output_tail.splitlines() if line.strip()]
        for line in reversed(lines):
            if "Error" in line or "error" in line or "Traceback" in line:
                return line.strip()[:500]
        return lines[-1].strip()[:500] if lines else "no output"


def child_environment() -> dict[str, str]:
    """The child sees the database this process uses, even where a test runner renamed it
    (pytest-django's test_<name>): settings come from the environment plus this name."""
    env = dict(os.environ)
    # settings.SETTINGS_MODULE is None while settings are overridden (tests, live_server).
    env["DJANGO_SETTINGS_MODULE"] = (
        settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
    )
    env["OHMANAGER_CRAWL_DATABASE_NAME"] = str(connection.settings_dict["NAME"])
    paths = [str(settings.BASE_DIR), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    return env


def run_crawl_process(
    *,
    run_id: int,
    timeout: int,
    heartbeat: Callable[[], None] | None = None,
    heartbeat_every: float = 10.0,
) -> ChildResult:
    """Runs the crawl of `run_id` and waits at most `timeout` seconds, then kills it. While
    waiting it calls `heartbeat` every `heartbeat_every` seconds (the caller renews its lock)."""
    command = [sys.executable, "-m", "crawlers.scraper.run", str(run_id)]
    started = time.monotonic()
    deadline = started + timeout
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        command,
        cwd=settings.BASE_DIR,
        env=child_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                child.kill()
                _, stderr = child.communicate()
                elapsed = time.monotonic() - started
                return ChildResult(None, True, timeout, elapsed, stderr[-OUTPUT_TAIL_CHARS:])
            try:
                # Retrying communicate() after its timeout loses no output (subprocess docs).
                _, stderr = child.communicate(timeout=min(remaining, heartbeat_every))
                break
            except subprocess.TimeoutExpired:
                if heartbeat is not None:
                    heartbeat()
    finally:
        if child.poll() is None:  # an exception while waiting: never leave the crawl behind
            child.kill()
            child.wait()
    return ChildResult(
        child.returncode,
        False,
        timeout,
        time.monotonic() - started,
        (stderr or "")[-OUTPUT_TAIL_CHARS:],
    )
