"""Keyset pages over a composite ordering: what the list selectors page with.

DRF's CursorPagination positions on the first ordering field only and steps over ties with an
offset capped at 1000 (`offset_cutoff`): ordering by deadline or pay, where thousands of rows
share a value, would repeat pages. A keyset page positions on every ordering field (the last is
always the unique id), so page 250 costs what page 1 costs: `WHERE (key) < (last key) ORDER BY
key LIMIT n+1` on a matching index.

No HTTP here: auditions.pagination reads the `Cursor` from the query string and writes the
`Page`'s positions back into the next/previous links.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from ohmanager.exceptions import NotFound

# Reads up to `limit` rows in `order` (the ordering, or its reverse for a previous page)
# strictly after (`after=False`: before) the cursor's `values`, or from the start without them.
Fetch = Callable[[tuple[str, ...], list | None, bool, int], list]


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page starts: after the row whose ordering values are `position` (before it when
    `reverse`); without a position, the first page (the last one when `reverse`)."""

    position: list | None = None
    reverse: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    rows: list
    ordering: tuple[str, ...]
    has_next: bool
    has_previous: bool

    @property
    def next_position(self) -> list | None:
        """The cursor position of the page after this one (None: there is none)."""
        return position(self.rows[-1], self.ordering) if self.has_next and self.rows else None

    @property
    def previous_position(self) -> list | None:
        return position(self.rows[0], self.ordering) if self.has_previous and self.rows else None


def position(row: Any, ordering: tuple[str, ...]) -> list:
    """`row`'s values of every ordering field, as JSON values (what a cursor carries). `row`
    is a model instance or a plain dict (`values()`)."""
    if isinstance(row, dict):
        return [_to_json(row[key.lstrip("-")]) for key in ordering]
    return [_to_json(getattr(row, key.lstrip("-"))) for key in ordering]


def _to_json(value: Any) -> Any:
    if isinstance(value, (datetime, date, UUID)):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    return value


@contextmanager
def invalid_cursor() -> Iterator[None]:
    """A cursor whose values do not fit the ordering's fields is an unknown page: a 404."""
    try:
        yield
    except (ValueError, TypeError) as error:
        raise NotFound() from error


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


def keyset_page(
    fetch: Fetch, *, ordering: tuple[str, ...], cursor: Cursor | None, page_size: int
) -> Page:
    """The page of `page_size` rows `cursor` points at, read by `fetch` (one row more, to know
    whether another page follows). `ordering` ends in a unique key; fields may be annotations."""
    reverse = bool(cursor and cursor.reverse)
    values = cursor.position if cursor else None
    if values is not None and len(values) != len(ordering):
        raise NotFound()
    order = ordering if not reverse else tuple(_flip(key) for key in ordering)
    rows = fetch(order, values, not reverse, page_size + 1)
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    if reverse:
        rows.reverse()
        return Page(rows, ordering, has_next=True, has_previous=has_more)
    return Page(rows, ordering, has_next=has_more, has_previous=values is not None)


def queryset_fetch(queryset: QuerySet, ordering: tuple[str, ...]) -> Fetch:
    """A `Fetch` of one query on `queryset`."""

    def fetch(order: tuple[str, ...], values: list | None, after: bool, limit: int) -> list:
        return list(after_cursor(queryset, ordering, values, after=after).order_by(*order)[:limit])

    return fetch


def after_cursor(
    queryset: QuerySet, ordering: tuple[str, ...], values: list | None, *, after: bool
) -> QuerySet:
    """`queryset` past the cursor's `values` (as is without them)."""
    if values is None:
        return queryset
    with invalid_cursor():
        return queryset.filter(keyset_filter(ordering, values, after=after))


def boolean_partitions(
    order: tuple[str, ...], values: list | None
) -> list[tuple[bool, list | None]]:
    """For a boolean leading key, the partitions to read in `order`: one query per value can
    walk the next key's index and stop (`WHERE title_hit ORDER BY posted_at LIMIT n`), where
    `ORDER BY title_hit, posted_at` must fetch and sort every match. Each value comes with the
    cursor's values of the keys after the lead when the cursor points into its partition;
    partitions before the cursor's hold nothing and are left out."""
    lead_value = values[0] if values is not None else None
    leads = [True, False] if order[0].startswith("-") else [False, True]
    if lead_value is not None:
        leads = leads[leads.index(bool(lead_value)) :]
    return [
        (lead, values[1:] if values is not None and lead == bool(lead_value) else None)
        for lead in leads
    ]


def _flip(key: str) -> str:
    return key[1:] if key.startswith("-") else f"-{key}"
