"""Django's PostgreSQL backend, with a pool check that costs no round trip when none is due.

With CONN_HEALTH_CHECKS on, Django gives its psycopg pool `ConnectionPool.check_connection`:
an empty query, one round trip each time a request takes a connection. On the bench machine a
round trip is 0.15-0.2 ms, the same as the catalogue detail's own statement, and R1 (the bare
baseline) pays none (bench/api/README.md, run E). The check is there for connections the
server has ended (a restart, `pg_terminate_backend`, an idle timeout), and PostgreSQL always
says so on the socket before it closes it (a FATAL error, then EOF). So `check_connection`
asks the socket first (a zero-timeout poll, no I/O): quiet means nothing arrived since the
last answer was read in full, and the connection is handed out; anything pending, or a
connection psycopg already knows is broken, gets the pool's own check, which drops a dead one
and connects anew. What a poll cannot see (a host gone without a FIN) the first query sees,
and Django closes that connection after the request.
"""

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


def check_connection(connection: psycopg.Connection) -> None:
    if _quiet(connection):
        return
    ConnectionPool.check_connection(connection)


def _quiet(connection: psycopg.Connection) -> bool:
    if connection.closed or connection.broken:
        return False
    try:
        poll = select.poll()
        poll.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poll.poll(0)  # POLLERR/POLLHUP are always reported
    except (OSError, ValueError, psycopg.Error):
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self) -> ConnectionPool | None:
        pool = super().pool
        # Django passes `check=` itself (no option for another one); swapped once per pool.
        if pool is not None and pool._check is ConnectionPool.check_connection:
            pool._check = check_connection
        return pool
