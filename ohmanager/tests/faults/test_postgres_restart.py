"""PostgreSQL restarts under load: requests answer 503 with the envelope while it is down,
then succeed again without restarting the app (the pool hands out only live connections).

A private PostgreSQL cluster with a copy of the test database serves a real gunicorn."""

import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from accounts.tests.factories import PASSWORD, MemberFactory
from ohmanager.tests.faults.conftest import http, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# How long a request waits for a pooled connection before it answers 503 (the default).
POOL_TIMEOUT = 5
# The outage outlasts that wait by a clear margin: a shorter one lets a waiting request get
# its connection once PostgreSQL is back and answer 200, so no request would see the outage.
OUTAGE_SECONDS = POOL_TIMEOUT + 4
# psycopg_pool retries a lost server after ~1, 3, 7, 15 s (+-10 %), per gunicorn worker: by
# then every worker's pool has tried again since PostgreSQL came back.
SETTLE_SECONDS = 18


def _copy_database(target_url: str) -> None:
    source = connection.settings_dict
    dump = subprocess.run(  # noqa: S603
        [shutil.which("pg_dump") or "pg_dump", "--no-owner", "--no-privileges",
         "-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432),
         "-U", source["USER"], source["NAME"]],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    subprocess.run(  # noqa: S603
        [shutil.which("psql") or "psql", "-q", "-v", "ON_ERROR_STOP=1", target_url],
        input=dump.stdout, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def test_requests_fail_cleanly_while_postgres_restarts_and_recover_without_an_app_restart(
    private_postgres, start_gunicorn
):
    # given: the app (2 gunicorn workers, pooled connections) on a private PostgreSQL
    member = MemberFactory(email="steady@example.kr")
    subprocess.run(  # noqa: S603
        [shutil.which("psql") or "psql", "-q", private_postgres.url(), "-c", "CREATE DATABASE ohm"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    _copy_database(private_postgres.url("ohm"))
    base = start_gunicorn(private_postgres.url("ohm"), DATABASE_POOL_TIMEOUT=str(POOL_TIMEOUT))
    status, _, body = http(
        "POST", f"{base}/api/v1/auth/login", {"email": member.email, "password": PASSWORD}
    )
    assert status == 200, body
    token = body["access"]

    answers: list[tuple[float, int, dict, dict]] = []
    stop = threading.Event()

    def drive() -> None:
        while not stop.is_set():
            try:
                status, headers, body = http(
                    "GET", f"{base}/api/v1/auditions", token=token, timeout=15
                )
            except OSError as error:  # a reset or refused connection would be a failure
                status, headers, body = 0, {}, {"error": repr(error)}
            answers.append((time.monotonic(), status, headers, body))
            time.sleep(0.05)

    with ThreadPoolExecutor(max_workers=4) as pool:
        try:
            for _ in range(4):
                pool.submit(drive)
            wait_until(lambda: len(answers) >= 20, timeout=20)

            # when: PostgreSQL goes down under load (requests may see it while pg_ctl waits) ...
            down_at = time.monotonic()
            private_postgres.ctl("stop", "-m", "fast")
            time.sleep(OUTAGE_SECONDS)
            # ... and comes back
            private_postgres.ctl("start")
            up_at = time.monotonic()
            wait_until(lambda: any(a[0] > up_at and a[1] == 200 for a in answers), timeout=20)
            recovered_at = min(a[0] for a in answers if a[0] > up_at and a[1] == 200)
            time.sleep(max(0.0, up_at + SETTLE_SECONDS + 4 - time.monotonic()))
        finally:
            stop.set()

    # then: every answer was a 200 or a clean 503 with the envelope and Retry-After
    unexpected = [(s, b) for _, s, _, b in answers if s not in (200, 503)]
    assert not unexpected, unexpected[:5]
    outage = [a for a in answers if a[1] == 503]
    assert outage, "no request saw the outage"
    for _, _, headers, body in outage:
        assert body["error"]["code"] == "service_unavailable"
        assert headers.get("Retry-After") == "5"
    assert all(down_at <= a[0] for a in outage)
    # and once every gunicorn worker's own pool has reconnected (each retries on its own
    # exponential backoff, so one may answer 503 a while after another recovered), every
    # answer is a 200: no stale pooled connection is handed out.
    settled_at = up_at + SETTLE_SECONDS
    assert any(a[0] > settled_at for a in answers)
    assert all(a[1] == 200 for a in answers if a[0] > settled_at)
    assert recovered_at - up_at < SETTLE_SECONDS

    # when: PostgreSQL restarts while the app is idle (every pooled connection now dead)
    private_postgres.ctl("restart", "-m", "fast")

    # then: the very first requests succeed: the pool checks a connection before handing it out
    # and drops dead ones (psycopg_pool backs off ~1 s, 2 s between checks, inside the 5 s
    # DATABASE_POOL_TIMEOUT; a shorter timeout turns that wait into 503s)
    started = time.monotonic()
    statuses = [http("GET", f"{base}/api/v1/auditions", token=token)[0] for _ in range(12)]
    assert statuses == [200] * 12
    assert time.monotonic() - started < 20  # two workers' pools, each ~3 s of checks
