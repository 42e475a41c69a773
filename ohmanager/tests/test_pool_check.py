"""The pool's connection check polls the socket and pays its round trip only when the server
has ended (or may have ended) the connection (ohmanager/postgresql/base.py)."""

import time

import psycopg
import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from accounts import services
from accounts.tests.conftest import login
from accounts.tests.factories import MemberFactory
from ohmanager.postgresql import base

pytestmark = [pytest.mark.services, pytest.mark.postgres]


def _dsn() -> str:
    params = connection.get_connection_params()
    return psycopg.conninfo.make_conninfo(
        **{k: v for k, v in params.items() if k in {"dbname", "host", "port", "user", "password"}}
    )


def _terminate(pids: list[int]) -> None:
    """Ends these backends from another session and waits until they are gone."""
    with psycopg.connect(_dsn(), autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            left = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids]
            ).fetchone()[0]
            if not left:
                return
            time.sleep(0.05)
    raise AssertionError(f"backends {pids} still there")


@pytest.fixture
def round_trips(monkeypatch) -> list[psycopg.Connection]:
    """Every call of psycopg_pool's own check (the empty query)."""
    called: list[psycopg.Connection] = []
    original = ConnectionPool.check_connection

    def counted(conn: psycopg.Connection) -> None:
        called.append(conn)
        original(conn)

    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(counted))
    return called


@pytest.mark.django_db
def test_the_pool_of_our_backend_checks_with_the_socket_first():
    assert connection.pool is not None
    assert connection.pool._check is base.check_connection


def test_a_live_connection_passes_without_a_round_trip(round_trips):
    with psycopg.connect(_dsn(), autocommit=True) as conn:
        conn.execute("SELECT 1").fetchall()

        base.check_connection(conn)
        base.check_connection(conn)

        assert round_trips == []
        assert conn.execute("SELECT 2").fetchone() == (2,)


def test_a_connection_the_server_ended_gets_the_real_check_and_fails_it(round_trips):
    with psycopg.connect(_dsn(), autocommit=True) as conn:
        _terminate([conn.info.backend_pid])

        with pytest.raises(psycopg.OperationalError):
            base.check_connection(conn)

        assert round_trips == [conn]


@pytest.mark.django_db(transaction=True)
def test_after_the_server_ends_every_pooled_connection_the_next_request_still_answers(
    round_trips,
):
    # A fresh pool, as after a deploy: the suite's threaded tests leave up to DATABASE_POOL_MAX
    # connections in it, and psycopg_pool backs off 1 s, 2 s, 4 s between failed checks, so
    # eight dead ones at once outlast its 5 s timeout whatever the check costs.
    connection.close_pool()
    member = MemberFactory()
    services.profile_prepare(member=member)
    client = login(member.email).client()
    assert client.get("/api/v1/me").status_code == 200
    # Django's test client keeps the connection between requests; gunicorn's requests end
    # with it back in the pool (request_finished), as here.
    connection.close()
    with psycopg.connect(_dsn(), autocommit=True) as admin:
        idle = [
            pid
            for (pid,) in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state = 'idle'"
            ).fetchall()
        ]
    assert idle  # the pool's connections, back in it between requests
    _terminate(idle)

    response = client.get("/api/v1/me")

    assert response.status_code == 200  # a dead connection was dropped, a new one made
    assert round_trips  # the ended ones were checked for real
