"""A `values()` queryset compiled once per process and run again with other values.

Building and compiling the catalogue's querysets (filters, the bookmark EXISTS, the
application subquery, the related-rows JSON) cost more than PostgreSQL's own time for the
detail and the list's first page (profiled on the 100k bench: bench/api/README.md). Those
shapes only differ per request in a few values (the audition, the member, today, a cursor),
so the selector builds its queryset with placeholder values, and `PreparedRows` keeps the SQL,
where each placeholder sits among the parameters, the column names and the field converters
(JSON, UUID and datetime columns come back as `values()` would give them).

Safety: the queryset is built twice, with two different sets of placeholders; unless both give
the same SQL and the same parameters outside the placeholders' slots (a value derived from the
clock, or from a placeholder, would differ), nothing is prepared and the caller's queryset path
answers (`prepared()` returns None). What the member's other attributes decide is the caller's
key (selectors.audition_member_scope).
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import connection, models
from django.db.models import QuerySet

from ohmanager import statements

logger = logging.getLogger(__name__)

# Placeholders whose value changes once a day (the Seoul date the catalogue's visibility
# compares deadlines with): written into a bound statement's text rather than bound, so
# PostgreSQL's generic plan sees the date. Bound, its range was estimated blind and the
# planner custom-planned a list or search page on every request (0.25-0.28 ms of planning
# for 0.4-0.9 ms of execution, EXPLAIN ANALYZE on the 100k bench); written in, it plans once
# per connection and day.
DAILY = frozenset({"today"})


class NotPreparable(Exception):
    """The two builds disagree beyond the placeholders: the shape is not a constant."""


class PreparedRows:
    def __init__(
        self, build: Callable[[dict[str, Any]], QuerySet], first: dict[str, Any], second: dict
    ):
        queryset = build(first)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        other = build(second).query.get_compiler(queryset.db).as_sql()
        self.sql = sql
        self.params = list(params)
        slots = {}
        for name, value in first.items():
            for index, param in enumerate(self.params):
                if written_as(param, value):
                    slots[index] = name
        # A placeholder missing from the parameters is one the SQL does not use (a closed
        # call's list never reads today), or one it uses in another form: then the two builds'
        # parameters (or SQL) differ below and nothing is kept.
        if other[0] != sql or len(other[1]) != len(self.params):
            raise NotPreparable("the SQL depends on more than the placeholders")
        for index, (mine, theirs) in enumerate(zip(self.params, other[1], strict=True)):
            expected = second[slots[index]] if index in slots else mine
            if not written_as(theirs, expected):
                raise NotPreparable(f"parameter {index} depends on more than the placeholders")
        self.slots = sorted(slots.items())
        self.names = [*queryset.query.extra_select, *queryset.query.values_select]
        self.names += list(queryset.query.annotation_select)
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        self.compiler = compiler
        # On PostgreSQL, prepared per connection with only the slots as parameters
        # (ohmanager/statements.py), the daily ones written in; the client-side way when
        # the text does not allow it.
        self.daily = [(index, name) for index, name in self.slots if name in DAILY]
        self.bound = {index for index, name in self.slots if name not in DAILY}
        self.bound_names = [name for index, name in self.slots if index in self.bound]
        self._texts: dict[tuple, str] = {}  # per day: the last two, either side of midnight
        self.server_sql = None
        if statements.server_binding():
            try:  # the placeholders' own text: proves the shape inlinable, not kept per day
                self.server_sql = self._text_for(first)
            except statements.NotInlinable:
                logger.warning("kept statement not bound on the server", exc_info=True)

    def _text_for(self, values: dict[str, Any]) -> str:
        """The bound statement's text with the daily values of `values` written in."""
        params = list(self.params)
        for index, name in self.daily:
            params[index] = _adapt(values[name])
        return statements.inline_constants(self.sql, params, self.bound)

    def _bound_text(self, values: dict[str, Any]) -> str | None:
        """The text to bind on the server for `values`, one per day; None: the client-side
        way."""
        if self.server_sql is None or not self.daily:
            return self.server_sql
        day = tuple(values[name] for _, name in self.daily)
        text = self._texts.get(day)
        if text is None:
            try:
                text = self._text_for(values)
            except statements.NotInlinable:  # not seen for a real date; answered all the same
                logger.warning("kept statement not bound on the server", exc_info=True)
                return None
            if len(self._texts) >= 2:
                self._texts.clear()
            self._texts[day] = text
        return text

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        sql = self._bound_text(values)
        if sql is not None:  # only the slots that are not daily are parameters
            opened = statements.statement_cursor()
            params = [_adapt(values[name]) for name in self.bound_names]
        else:
            sql, opened, params = self.sql, connection.cursor(), list(self.params)
            for index, name in self.slots:
                params[index] = _adapt(values[name])
        with opened as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if self.converters:
            found = self.compiler.apply_converters(found, self.converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in found]


_UUID = models.UUIDField()  # stateless: only its get_db_prep_value, for any connection


def _adapt(value: Any) -> Any:
    """`value` as the backend's field preparation writes it (what `as_sql` put in params)."""
    if isinstance(value, UUID):
        return _UUID.get_db_prep_value(value, connection)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def written_as(param: Any, value: Any) -> bool:
    """Whether the compiled parameter `param` is `value` as the backend writes it."""
    written = _adapt(value)
    return type(param) is type(written) and param == written


_local = threading.local()  # compiled per thread: a compiler holds its thread's connection

# Statements kept per thread (least recently used dropped first): filter combinations and
# searches are open-ended, the memory is not.
KEEP = 256
# Shapes seen once and not kept yet (repeat=True): a key each.
SEEN = 4096


def _lru(name: str) -> OrderedDict:
    found = getattr(_local, name, None)
    if found is None:
        found = OrderedDict()
        setattr(_local, name, found)
    return found


def prepared(
    key: Hashable, build: Callable[[], PreparedRows], *, repeat: bool = False
) -> PreparedRows | None:
    """The statement kept under `key`, built on first use (with `repeat`, on the second: a
    shape asked for once is not worth two builds); None when it is not kept (yet), or when
    `build` found the shape not preparable (remembered: the caller's queryset path answers
    from then on)."""
    cache = _lru("cache")
    key = (connection.vendor, connection.settings_dict["NAME"], key)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    if repeat:
        seen = _lru("seen")
        if key not in seen:
            seen[key] = True
            if len(seen) > SEEN:
                seen.popitem(last=False)
            return None
        del seen[key]
    try:
        cache[key] = build()
    except NotPreparable:
        cache[key] = None
    except Exception:  # e.g. a filter reading a relation the stand-in member lacks
        logger.warning("not preparable: %s", key[-1], exc_info=True)
        cache[key] = None
    if len(cache) > KEEP:
        cache.popitem(last=False)
    return cache[key]


def memo(name: str, key: Hashable, build: Callable[[], Any]) -> Any:
    """`build()`'s value kept per thread and database under `key` in the LRU `name` (KEEP
    entries): for compiled SQL fragments whose key holds every input they are built from."""
    cache = _lru(name)
    key = (connection.vendor, connection.settings_dict["NAME"], key)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    cache[key] = value = build()
    if len(cache) > KEEP:
        cache.popitem(last=False)
    return value


def kept() -> dict:
    """This thread's statements by key (None: not preparable), for tests and benchmarks."""
    return dict(getattr(_local, "cache", {}))


def forget() -> None:
    """Drops this thread's statements, sightings and memos (tests)."""
    for name in list(vars(_local)):
        delattr(_local, name)
