"""A `values()` queryset compiled once per process and run again with other values.

Building and compiling the catalogue's querysets (filters, the bookmark EXISTS, the
application subquery, the related-rows JSON) cost more than PostgreSQL's own time for the
detail and the list's first page (profiled on the 100k bench: bench/api/README.md). Those
shapes only differ per request in a few values (the audition, the member, today), so the
selector builds its queryset once with placeholder values, and `PreparedRows` keeps the SQL,
where each placeholder sits among the parameters, the column names and the field converters
(JSON, UUID and datetime columns come back as `values()` would give them).

Placeholders must be values no other parameter of the query equals (odd UUIDs and dates);
the real values are of the placeholders' types (UUID, aware datetime, date).
"""

import threading
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import connection, models
from django.db.models import QuerySet


class PreparedRows:
    def __init__(self, queryset: QuerySet, placeholders: dict[str, Any]):
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.params = list(params)
        self.slots: list[tuple[int, str, Callable[[Any], Any]]] = []
        for name, value in placeholders.items():
            found = False
            for index, param in enumerate(self.params):
                adapt = _adapter(value, param)
                if adapt is not None:
                    self.slots.append((index, name, adapt))
                    found = True
            if not found:
                raise ValueError(f"placeholder {name} is not among the query's parameters")
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        self.compiler = compiler

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        params = list(self.params)
        for index, name, adapt in self.slots:
            params[index] = adapt(values[name])
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        if self.converters:
            found = self.compiler.apply_converters(found, self.converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in found]


def _adapt(value: Any) -> Any:
    """`value` as the backend's field preparation writes it (what `as_sql` put in params)."""
    if isinstance(value, UUID):
        return models.UUIDField().get_db_prep_value(value, connection)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _adapter(placeholder: Any, param: Any) -> Callable[[Any], Any] | None:
    """How to write a real value where `param` is `placeholder` (None: it is not)."""
    written = _adapt(placeholder)
    if type(param) is type(written) and param == written:
        return _adapt
    return None


_local = threading.local()  # compiled per thread: a compiler holds its thread's connection


def prepared(key: Hashable, build: Callable[[], PreparedRows]) -> PreparedRows:
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    key = (connection.vendor, connection.settings_dict["NAME"], key)
    found = cache.get(key)
    if found is None:
        found = cache[key] = build()
    return found
