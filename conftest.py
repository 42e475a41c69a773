"""Fixtures shared by every app's tests."""

import email
import email.policy
import io
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from rest_framework.test import APIClient

SERVICES_ENABLED = os.environ.get("OHMANAGER_SERVICES") == "1"
# CI (.ci/run installs Pango and fonts-nanum) or the service run: a missing library is a failure.
PDF_REQUIRED = SERVICES_ENABLED or bool(os.environ.get("CI"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    # A test that needs a real service fails, never skips, when the services are not there:
    # `make test` deselects them; `make test-services` (and CI) provides them.
    if item.get_closest_marker("services") and not SERVICES_ENABLED:
        pytest.fail("needs PostgreSQL, Redis and a worker: run it with `make test-services`")
    if item.get_closest_marker("pdf"):
        from ohmanager.pdf import pdf_available

        if not pdf_available():
            message = (
                "needs WeasyPrint's system libraries: apt-get install libpango-1.0-0 "
                "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-nanum"
            )
            if PDF_REQUIRED:
                pytest.fail(message)
            pytest.skip(message)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def celery_worker_on_redis(transactional_db, settings):
    """A real Celery worker consuming from the real broker (Redis in CI), in a thread of this
    process so it shares the test database settings. Tasks are no longer run eagerly."""
    from celery.contrib.testing.worker import start_worker

    from ohmanager.celery import app

    broker = os.environ.get("REDIS_URL", "")
    if not broker.startswith("redis://"):
        pytest.fail("celery_worker_on_redis needs REDIS_URL=redis://...")
    previous = {
        "task_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    with start_worker(
        app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        shutdown_timeout=30,
        queues=["default", "email", "crawl"],
    ) as worker:
        yield worker
    app.conf.update(previous)


@dataclass
class SmtpServer:
    """A real SMTP server on localhost: every message it accepts lands in `messages`."""

    host: str
    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls this hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(
        self, predicate: Callable[[email.message.EmailMessage], bool], timeout: float = 20.0
    ) -> email.message.EmailMessage:
        """The first delivered message matching `predicate`, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no matching email within {timeout}s: {self.messages}")
                self._arrived.wait(remaining)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """Starts aiosmtpd on a free local port and points Django's SMTP backend at it, so the
    code under test (in this process or a worker thread) really speaks SMTP."""
    from aiosmtpd.controller import Controller

    server = SmtpServer(host="127.0.0.1", port=_free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield server
    finally:
        controller.stop()


@dataclass
class S3Server:
    """An S3-compatible server (moto's server mode) on localhost, and the bucket under test."""

    endpoint_url: str
    bucket: str
    client: object  # a boto3 S3 client for looking at the bucket from outside the app

    def keys(self, prefix: str = "") -> list[str]:
        """Every object key under `prefix`, straight from the server."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


@pytest.fixture(scope="session")
def _moto_server() -> Iterator[str]:
    """One in-process moto server for the session (port 0: the OS picks a free one)."""
    import logging

    from moto.server import ThreadedMotoServer

    # werkzeug logs every request moto serves; the test output needs none of it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(_moto_server, settings) -> S3Server:
    """Switches the default storage to the django-storages S3 backend production uses,
    configured as production configures it (private ACL, presigned URLs, no overwrite),
    against a fresh bucket on the local moto server. Needs no internet."""
    import uuid

    import boto3

    credentials = {
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",  # moto accepts any credentials
        "region_name": "us-east-1",
    }
    bucket = f"ohmanager-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=_moto_server, **credentials)
    client.create_bucket(Bucket=bucket)
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": _moto_server,
            "region_name": credentials["region_name"],
            "access_key": credentials["aws_access_key_id"],
            "secret_key": credentials["aws_secret_access_key"],
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 600,
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
    # Django's setting_changed handler drops the cached storages, so default_storage follows.
    settings.STORAGES = storages
    return S3Server(endpoint_url=_moto_server, bucket=bucket, client=client)


@pytest.fixture
def configured_log() -> Iterator[io.StringIO]:
    """What the handlers settings.LOGGING attached to the root logger write, at DEBUG (with
    their filters: the secret-redacting one among them)."""
    root = logging.getLogger()
    handlers = [
        h
        for h in root.handlers
        if isinstance(h, logging.StreamHandler) and not type(h).__module__.startswith("_pytest")
    ]
    assert handlers, "settings.LOGGING's handlers are not on the root logger"
    buffer = io.StringIO()
    streams = [h.setStream(buffer) for h in handlers]
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.setLevel(level)
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
