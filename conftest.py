"""Fixtures shared by every app's tests."""

import os

import pytest
from rest_framework.test import APIClient

SERVICES_ENABLED = os.environ.get("OHMANAGER_SERVICES") == "1"


def pytest_runtest_setup(item: pytest.Item) -> None:
    # A test that needs a real service fails, never skips, when the services are not there:
    # `make test` deselects them; `make test-services` (and CI) provides them.
    if item.get_closest_marker("services") and not SERVICES_ENABLED:
        pytest.fail("needs PostgreSQL, Redis and a worker: run it with `make test-services`")


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
