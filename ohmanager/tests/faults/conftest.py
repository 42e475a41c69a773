"""Helpers for the fault drills: private Redis and PostgreSQL servers the drills may stop and
restart without touching the shared ones, and real Celery workers / gunicorn as subprocesses.

Every helper bounds its waits and stops what it started in `finally`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from crawlers.tests.conftest import make_source, serve_site, site_server  # noqa: F401

BASE_DIR = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
SERVICE_SETTINGS = "ohmanager.tests.faults.service_settings"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.1):
    """The condition's first truthy value within `timeout` seconds, else AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def stop_process(process: subprocess.Popen, *, group: bool = True, grace: float = 10) -> None:
    """SIGTERM (to its whole process group), then SIGKILL after `grace` seconds."""
    if process.poll() is not None:
        return
    send = (lambda sig: os.killpg(process.pid, sig)) if group else process.send_signal
    with contextlib.suppress(ProcessLookupError):
        send(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            send(signal.SIGKILL)
        process.wait(5)


def http(
    method: str, url: str, body: dict | None = None, token: str = "", timeout: float = 10
) -> tuple[int, dict[str, str], dict]:
    """(status, headers, JSON body) of one request; HTTP errors are answers, not exceptions."""
    import json
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, answer_headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, dict(error.headers), error.read()
    try:
        parsed = json.loads(raw) if raw else {}
    except ValueError:
        parsed = {"raw": raw[:500].decode(errors="replace")}
    return status, answer_headers, parsed


# --- Redis ----------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of this test only, on a free port, that the drill stops and restarts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, group=False, grace=5)
            self.process = None

    def _answers(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock,
        ):
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def on_private_redis(private_redis, settings) -> PrivateRedis:
    """This process's cache and task producer use the private Redis; tasks go to the broker
    (not run eagerly)."""
    from ohmanager.celery import app

    # Captured first: app.conf reads Django settings live, so after the override below it would
    # already answer with the private URL and the "restore" would keep it for later tests.
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # The workers a drill starts get REDIS_URL = this URL for cache and broker alike (as
            # in production), so this process must share their cache: crawl locks live there.
            "LOCATION": private_redis.url(0),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    settings.CELERY_BROKER_URL = private_redis.url(0)
    app.conf.broker_url = private_redis.url(0)
    app.conf.task_always_eager = False
    _reset_producer_pool(app)
    try:
        yield private_redis
    finally:
        app.conf.update(previous)
        _reset_producer_pool(app)


def _reset_producer_pool(app) -> None:
    # Celery caches its broker connections: a new broker URL needs a new pool. kombu also keeps
    # a process-wide producer pool per connection that would hand the closed pool back to the
    # tests that run after this one ("Acquire on closed pool"), so it is reset as well.
    from kombu import pools

    if app._pool is not None:
        with contextlib.suppress(Exception):
            app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


# --- Celery workers -------------------------------------------------------------------------


def service_environment(**extra: str) -> dict[str, str]:
    """The environment of a drill's subprocess: this test database, service settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SERVICE_SETTINGS,
        "OHMANAGER_IGNORE_DOTENV": "1",
        "PYTHONPATH": str(BASE_DIR),
    }
    db = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env.update(extra)
    return env


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process, self.log = process, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pool_children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL to the worker and everything it started (pool children, crawl processes)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[..., Worker]]:
    """Starts `celery -A ohmanager worker` (prefork, one child) in its own process group,
    against the given broker and this test database; waits until it is ready."""
    workers: list[Worker] = []

    def start(
        broker_url: str, queues: str = "default,email,crawl", loglevel: str = "INFO", **env: str
    ) -> Worker:
        log = tmp_path / f"worker-{len(workers)}.log"
        process = subprocess.Popen(  # noqa: S603
            [str(VENV_BIN / "celery"), "-A", "ohmanager", "worker", "--pool", "prefork",
             "--concurrency", "1", "--queues", queues, "--loglevel", loglevel,
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--hostname", f"drill{len(workers)}@%h"],
            cwd=BASE_DIR,
            env=service_environment(
                REDIS_URL=broker_url, CELERY_BROKER_URL=broker_url, **env
            ),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        worker = Worker(process, log)
        workers.append(worker)
        wait_until(lambda: " ready." in worker.output() or process.poll() is not None, timeout=40)
        assert process.poll() is None, worker.output()[-3000:]
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            stop_process(worker.process)


# --- PostgreSQL -----------------------------------------------------------------------------


class PrivatePostgres:
    """A PostgreSQL cluster of this test only (initdb in a temporary directory, run as the
    `postgres` user when we are root) that the drill stops and restarts."""

    def __init__(self) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        assert versions, "PostgreSQL server binaries are not installed"
        self.bin = versions[-1]
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ohm-pg-"))
        self.data = self.dir / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(  # noqa: S603
            [*self.as_user, *args], check=True, timeout=timeout, capture_output=True, cwd="/"
        )

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--no-sync", "-E", "UTF8")  # fmt: skip

    def ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                  "-t", "30", "-l", str(self.dir / "server.log"), action, *extra)  # fmt: skip

    def cleanup(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self.ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.init()
        server.ctl("start")
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def start_gunicorn(tmp_path) -> Iterator[Callable[..., str]]:
    processes: list[subprocess.Popen] = []

    def start(database_url: str, workers: int = 2, broker_url: str = "", **env: str) -> str:
        """gunicorn on this test database; tasks it sends go to `broker_url` (its cache too),
        or nowhere (an in-memory broker) without one."""
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        process = subprocess.Popen(  # noqa: S603
            [str(VENV_BIN / "gunicorn"), "ohmanager.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "30"],
            cwd=BASE_DIR,
            env={
                **service_environment(DATABASE_URL=database_url, **env),
                "REDIS_URL": broker_url,
                "CELERY_BROKER_URL": broker_url or "memory://",
            },
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        processes.append(process)
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            assert process.poll() is None, log.read_text()[-3000:]
            with contextlib.suppress(OSError):
                return http("GET", f"{base}/healthz", timeout=2)[0] == 200
            return False

        wait_until(up, timeout=30, interval=0.2)
        return base

    try:
        yield start
    finally:
        for process in processes:
            stop_process(process)
