"""Statements PostgreSQL plans once per connection: the hot reads' SQL, bound on the server.

Django sends every query through psycopg's client-side cursor: the values are written into
the text and PostgreSQL parses and plans it again on every request (0.1 ms for the session
check, 0.35-0.65 ms for a catalogue page, against 0.02-0.7 ms of execution: EXPLAIN ANALYZE
on the 100k bench). For the few statements that run on every request with only a few values
changing (the session check, `auditions/prepared.py`'s kept pages), `statement_cursor()`
gives a server-binding psycopg cursor instead, and psycopg prepares a statement the
connection has run `prepare_threshold` times (settings: `DATABASE_PREPARE_THRESHOLD`). From
then on PostgreSQL reuses the plan; with `plan_cache_mode = auto` it keeps planning per
execution when a generic plan would not be as cheap as the ones made for real values.

So a generic plan sees what the planner needs, `inline_constants()` writes the values that
are constant for a kept statement (filters, search words, the page size) into its text, as
the client-side cursor would: only the per-request values (member, date, cursor) stay
parameters.

Behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before
1.21), set `DATABASE_PREPARE_THRESHOLD=off`: these statements then go the client-side way too.
"""

import functools
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


def server_binding(db: BaseDatabaseWrapper | None = None) -> bool:
    """Whether statements from `statement_cursor()` are bound (and prepared) on the server."""
    db = connections[DEFAULT_DB_ALIAS] if db is None else db
    threshold = db.settings_dict["OPTIONS"].get("prepare_threshold")
    return db.vendor == "postgresql" and threshold is not None


@contextmanager
def statement_cursor() -> Iterator[CursorWrapper]:
    """A cursor whose statements psycopg prepares on PostgreSQL (see the module); Django's
    own cursor elsewhere. Wrapped as Django wraps its own (errors, query logging and
    `CaptureQueriesContext` see these statements too)."""
    db = connections[DEFAULT_DB_ALIAS]
    if not server_binding(db):
        with db.cursor() as cursor:
            yield cursor
        return

    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        raw = _numbered_cursor_class()(db.connection)
    _load_timestamps_natively(raw, db)
    wrapper = _LoggedStatementWrapper if db.queries_logged else CursorWrapper
    with wrapper(raw, db) as cursor:
        yield cursor


@functools.cache  # psycopg is imported where PostgreSQL is in use
def _numbered_cursor_class() -> type:
    import psycopg

    class NumberedCursor(psycopg.RawCursor):
        """psycopg's server-binding cursor taking our `%s` texts, each numbered once.

        psycopg parses a statement's placeholders on every execution once its text passes
        4,096 bytes or 50 parameters (the feed's branch reads do: 0.15-0.4 ms a request,
        profiled); its raw cursor takes PostgreSQL's `$n` and parses nothing. Only `str`
        texts are numbered (ours all are); anything else goes as the raw cursor takes it."""

        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            # as psycopg: without parameters the text goes as it is
            if params is not None and isinstance(query, str):
                query = numbered(query)
            return super().execute(query, params, **options)

        def executemany(self, query: Any, params_seq: Any, **options: Any) -> Any:
            if isinstance(query, str):
                query = numbered(query)
            return super().executemany(query, params_seq, **options)

    return NumberedCursor


@functools.lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """`sql` with psycopg's `%s` placeholders as PostgreSQL's `$1, $2, ...` and `%%` as `%`,
    a `%` at the end or before a line break left as psycopg leaves it; psycopg's own
    ProgrammingError on any other placeholder (`%(name)s`, `%b`, `%t`: none of ours)."""
    import psycopg

    count = 0

    def replace(found: re.Match) -> str:
        nonlocal count
        if found.group(1) == "%":
            return "%"
        if found.group(1) != "s":
            raise psycopg.ProgrammingError(f"unsupported placeholder {found.group(0)!r}")
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(replace, sql)


_PLACEHOLDER = re.compile(r"%(.)")  # no DOTALL: psycopg's own pattern passes "%\n" by


def _load_timestamps_natively(raw: Any, db: BaseDatabaseWrapper) -> None:
    """psycopg's own timestamptz loader on this cursor, where it gives what Django's gives.

    Django registers a Python subclass of psycopg's loader on every connection (to set the
    zone it wants), so every timestamptz is parsed in Python: 30 values took 0.50 ms against
    0.25 with psycopg's loader, round trip included (bench machine). psycopg's loader
    (compiled, with psycopg-binary) answers in the connection's TimeZone, `timezone.utc`
    itself when that is UTC, which is what Django's loader answers when its zone is UTC
    (USE_TZ, no per-database TIME_ZONE): the same values, so only then is it used.
    """
    import psycopg
    from psycopg.pq import Format

    if db.timezone is not UTC or raw.connection.info.parameter_status("TimeZone") != "UTC":
        return
    oid = psycopg.adapters.types["timestamptz"].oid
    raw.adapters.register_loader(oid, psycopg.adapters.get_loader(oid, Format.TEXT))


class _LoggedStatementWrapper(CursorDebugWrapper):
    """Django's debug wrapper (DEBUG, `CaptureQueriesContext`), logging each statement with
    its values written in: psycopg keeps no text of a prepared execution for Django's
    `last_executed_query`."""

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        logged = sql if params is None else self.db.ops.compose_sql(sql, params)
        with self.debug_sql(logged, params):
            return CursorWrapper.execute(self, sql, params)


class NotInlinable(Exception):
    """The statement's text did not take its constants as expected."""


def inline_constants(sql: str, params: Sequence[Any], keep: set[int]) -> str:
    """`sql` (Django's, with `%s` placeholders) with every parameter but those at the indexes
    in `keep` written in as the client-side cursor writes it (psycopg's quoting) and the
    text's `%` escaped, so the result takes the kept parameters, in their order, through a
    server-binding cursor."""
    marker = secrets.token_hex(8)
    stand_ins = {index: f"ohm_{marker}_{index}" for index in keep}
    values = [stand_ins.get(index, value) for index, value in enumerate(params)]
    text = connection.ops.compose_sql(sql, values).replace("%", "%%")
    for index in sorted(keep):  # psycopg fills the placeholders in order
        quoted = f"'{stand_ins[index]}'"
        if text.count(quoted) != 1:  # not written as a plain literal: leave the statement be
            raise NotInlinable(f"parameter {index} is not a plain placeholder")
        text = text.replace(quoted, "%s")
    return text
