"""Keyset cursor pages over a composite ordering.

DRF's CursorPagination positions on the first ordering field only and steps over ties with an
offset capped at 1000 (`offset_cutoff`): ordering by deadline or pay, where thousands of rows
share a value, would repeat pages. This keeps DRF's cursor encoding, links and schema but
positions on every ordering field (the last is always the unique id), so page 250 costs what
page 1 costs: `WHERE (key) < (last key) ORDER BY key LIMIT n+1` on a matching index.
"""

import json
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote
from uuid import UUID

from django.db.models import Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor

from ohmanager.pagination import CursorPage


def _to_json(value: Any) -> Any:
    if isinstance(value, (datetime, date, UUID)):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    return value


def keyset_filter(ordering: tuple[str, ...], values: list[Any], *, after: bool) -> Q:
    """Rows strictly after (or before) `values` in `ordering`: the row comparison written out
    as OR-ed prefixes, plus a bound on the leading key so the index seek starts there."""
    clauses = Q()
    for depth, key in enumerate(ordering):
        name = key.lstrip("-")
        descending = key.startswith("-")
        lookup = "lt" if descending == after else "gt"
        prefix = {ordering[i].lstrip("-"): values[i] for i in range(depth)}
        clauses |= Q(**prefix, **{f"{name}__{lookup}": values[depth]})
    lead = ordering[0].lstrip("-")
    bound = "lte" if ordering[0].startswith("-") == after else "gte"
    return Q(**{f"{lead}__{bound}": values[0]}) & clauses


class KeysetCursorPage(CursorPage):
    """Views set `ordering` (or `get_ordering`) to a tuple ending in a unique key; fields may be
    annotations. The cursor carries the last row's values of every ordering field."""

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        ordering = getattr(view, "get_page_ordering", None)
        return tuple(ordering(request) if ordering else view.ordering)

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list | None:
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        reverse = bool(self.cursor and self.cursor.reverse)

        order = self.ordering if not reverse else tuple(_flip(key) for key in self.ordering)
        values, after_cursor = None, None
        if self.cursor and self.cursor.position is not None:
            try:
                values = json.loads(self.cursor.position)
                assert isinstance(values, list) and len(values) == len(self.ordering)
                if not hasattr(queryset, "keyset_rows"):
                    after_cursor = keyset_filter(self.ordering, values, after=not reverse)
                    queryset = queryset.filter(after_cursor)
            except (ValueError, AssertionError, TypeError) as error:
                raise NotFound(self.invalid_cursor_message) from error

        if hasattr(queryset, "keyset_rows"):
            # A ranking that cuts its own pages (the recommended feed's branches).
            try:
                rows = queryset.keyset_rows(
                    self.ordering, order, values, after=not reverse, limit=self.page_size + 1
                )
            except (ValueError, TypeError) as error:
                raise NotFound(self.invalid_cursor_message) from error
        else:
            rows = self._fetch(queryset, order, self.page_size + 1, view, values, after_cursor)
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()

        self.page = rows
        started = self.cursor is not None and self.cursor.position is not None
        if reverse:
            self.has_previous, self.has_next = has_more, True
        else:
            self.has_next, self.has_previous = has_more, started
        return rows

    def _fetch(
        self,
        queryset: QuerySet,
        order: tuple[str, ...],
        limit: int,
        view,
        position: list | None,
        after_cursor: Q | None = None,
    ) -> list:
        """One query, or for a boolean leading key (the search's `title_hit`) one query per
        value in order: `WHERE title_hit ORDER BY posted_at LIMIT n` can walk the posted_at
        index and stop, where `ORDER BY title_hit, posted_at` must fetch and sort every match.
        A view may build a partition itself (`boolean_partition(lead, value)`; the cursor
        still applies to it) and read its rows itself (`partition_rows(lead, value, part,
        order, limit, start)`; `part` is ordered by `order`, the keys after the lead; `start`:
        the cursor's values of those keys when the cursor points into this partition)."""
        lead = order[0].lstrip("-")
        if lead not in getattr(view, "boolean_leads", ()):
            return list(queryset.order_by(*order)[:limit])
        lead_value = position[0] if position is not None else None
        values = [True, False] if order[0].startswith("-") else [False, True]
        if lead_value is not None:  # partitions before the cursor's hold nothing
            values = values[values.index(bool(lead_value)) :]
        rows: list = []
        build = getattr(view, "boolean_partition", None)
        read = getattr(view, "partition_rows", None)
        for value in values:
            part = build(lead, value) if build else None
            if part is None:
                part = queryset.filter(**{lead: value})
            elif after_cursor is not None:
                part = part.filter(after_cursor)
            part = part.order_by(*order[1:])
            wanted = limit - len(rows)
            if read is None:
                rows += list(part[:wanted])
            else:
                start = position[1:] if position is not None and value == bool(lead_value) else None
                rows += read(lead, value, part, order[1:], wanted, start)
            if len(rows) >= limit:
                break
        return rows

    def _position(self, row: Any) -> str:
        return json.dumps([_to_json(getattr(row, key.lstrip("-"))) for key in self.ordering])

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self.encode_cursor(Cursor(0, False, self._position(self.page[-1])))

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.page:
            return None
        return self.encode_cursor(Cursor(0, True, self._position(self.page[0])))

    def position_cursor(self, ordering: tuple[str, ...], row: Any) -> str:
        """The `cursor` value that starts a page right after `row` (benchmarks, tests)."""
        self.ordering = ordering
        self.base_url = "http://x/"
        link = self.encode_cursor(Cursor(0, False, self._position(row)))
        return unquote(link.split(f"{self.cursor_query_param}=", 1)[1])


def _flip(key: str) -> str:
    return key[1:] if key.startswith("-") else f"-{key}"
