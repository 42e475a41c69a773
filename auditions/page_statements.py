"""The catalogue's pages read by prepared statements (auditions/prepared.py) instead of
querysets built per request.

A page's SQL is a constant for one *shape*: the member scope (selectors.audition_member_scope),
the filter parameters with their values, the ordering, the page size and whether it starts
after a cursor. Only the member's id, the Seoul date and the cursor's values change per
request, and those are the placeholders. So each shape is built by the selector itself (with
placeholder values, twice: prepared.PreparedRows refuses a shape that is not constant) and then
only run.

- The unfiltered list (the home screen) is kept on first use: every session asks for it.
- A filtered list or a search is kept when its shape comes again (`repeat=True`): the app's
  chips and recent searches repeat, but a one-off search would pay for two builds for nothing.
- A cursor page is prepared when the ordering's leading key is a date or a time (newest first,
  by deadline); a page by pay after a cursor, a previous page, or a cursor that does not parse
  goes to the caller's queryset path, which answers as before (a bad cursor: 404).
- A search's first page reads its title matches by a kept statement; when they do not fill the
  page, the rest is read as before (selectors._search_fetch).
"""

import copy
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import DateField, DateTimeField, QuerySet
from django.utils import timezone

from accounts.models import Member
from auditions import paging, prepared

# Two sets of placeholders: values no real parameter takes; each statement is built with both
# and kept only if they agree.
PLACEHOLDERS = (
    {
        "audition": UUID("0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f01"),
        "member": UUID("0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f02"),
        "id": UUID("0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f03"),
        "today": date(1901, 2, 3),
        "posted_at": datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC),
        "day": date(1903, 4, 5),
    },
    {
        "audition": UUID("0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e11"),
        "member": UUID("0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e12"),
        "id": UUID("0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e13"),
        "today": date(1902, 3, 4),
        "posted_at": datetime(1902, 3, 4, 5, 6, 7, tzinfo=UTC),
        "day": date(1904, 5, 6),
    },
)

# The cursor's leading key -> (its placeholder, how a cursor's JSON value is read back).
_CURSOR_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "posted_at": ("posted_at", DateTimeField().to_python),
    "deadline_sort": ("day", DateField().to_python),
}

# Builds a page's rows queryset for a stand-in member and a date (the selector's own `listed`).
Listed = Callable[..., QuerySet]


def stand_in(member: Member | None, pk: UUID) -> Member | None:
    """The member to build a statement with: the real one's attributes, a placeholder id."""
    if member is None or not member.is_authenticated:
        return None
    copied = copy.copy(member)
    copied.pk = pk
    return copied


def marks(names: tuple[str, ...], member: Member | None) -> tuple[dict, dict]:
    if member is not None and member.is_authenticated:
        names = (*names, "member")
    first, second = ({name: mark[name] for name in names} for mark in PLACEHOLDERS)
    return first, second


def member_value(member: Member | None) -> dict:
    return {"member": member.pk} if member is not None and member.is_authenticated else {}


def member_from(marks_: dict, member: Member | None) -> Member | None:
    return stand_in(member, marks_.get("member", PLACEHOLDERS[0]["member"]))


def member_rows(
    key: Hashable, queryset_for: Callable[[Any], QuerySet], member: Member
) -> list[dict[str, Any]]:
    """The rows of `queryset_for(member id)`, a values() queryset whose only per-request value
    is the member, by a statement kept under `key` (the queryset's own rows where none is)."""

    def build() -> prepared.PreparedRows:
        return prepared.PreparedRows(
            lambda marks_: queryset_for(marks_["member"]), *marks((), member)
        )

    statement = prepared.prepared(key, build)
    if statement is None:
        return list(queryset_for(member.pk))
    return statement.rows(**member_value(member))


def filters_key(filters: Any) -> tuple:
    """A validated FilterSet's parameters with their values (None: no filters), hashable."""
    if filters is None:
        return ()
    data = filters.data
    return tuple(sorted((name, tuple(data.getlist(name))) for name in data))


def _cursor_start(lead: str, value: Any) -> Any:
    """The cursor's leading value as the placeholder's type, or None when it is not one a
    prepared page takes (the queryset path gives its own answer, a 404 for a bad cursor)."""
    if lead not in _CURSOR_KEYS or not isinstance(value, str):
        return None
    try:
        parsed = _CURSOR_KEYS[lead][1](value)
    except (ValidationError, ValueError, TypeError):
        return None
    if isinstance(parsed, datetime) and timezone.is_naive(parsed):
        return None
    return parsed


def list_fetch(
    *,
    member: Member | None,
    keys: tuple[str, ...],
    page_size: int,
    today: date,
    listed: Listed,
    shape: tuple,
    repeat: bool,
    otherwise: paging.Fetch,
) -> paging.Fetch:
    """A list's pages in `keys` order (forward: first page and after a cursor) by prepared
    statements; anything else by `otherwise`, the queryset. `listed(member=, today=)` builds
    the page's rows queryset; `shape` names what else decides its SQL (the filters)."""
    lead = keys[0].lstrip("-")
    cursor_mark = _CURSOR_KEYS.get(lead, (None,))[0]

    def build(after_cursor: bool) -> prepared.PreparedRows:
        def queryset(marks_: dict) -> QuerySet:
            rows = listed(member=member_from(marks_, member), today=marks_["today"])
            if after_cursor:
                start = [marks_[cursor_mark], marks_["id"]]
                rows = rows.filter(paging.keyset_filter(keys, start, after=True))
            return rows.order_by(*keys)[: page_size + 1]

        names = ("today", cursor_mark, "id") if after_cursor else ("today",)
        return prepared.PreparedRows(queryset, *marks(names, member))

    values = member_value(member)

    def fetch(order: tuple[str, ...], start: list | None, after: bool, limit: int) -> list:
        if not (after and order == keys and limit == page_size + 1):
            return otherwise(order, start, after, limit)
        if start is not None:
            position = _cursor_start(lead, start[0]) if len(keys) == 2 else None
            try:
                pk = UUID(str(start[1]))
            except (ValueError, TypeError, IndexError):
                position = None
            if position is None:
                return otherwise(order, start, after, limit)
        key = ("list_page", *shape, keys, page_size, start is not None)
        statement = prepared.prepared(key, lambda: build(start is not None), repeat=repeat)
        if statement is None:
            return otherwise(order, start, after, limit)
        if start is None:
            return statement.rows(**values, today=today)
        return statement.rows(**values, today=today, **{cursor_mark: position, "id": pk})

    return fetch


def search_titles_first_page(
    *,
    member: Member | None,
    order: tuple[str, ...],
    limit: int,
    today: date,
    listed: Listed,
    shape: tuple,
) -> list | None:
    """A search's first page of title matches (at most `limit`, in `order`) by a kept
    statement; None when the shape is not (yet) kept: the caller reads them by queryset."""

    def build() -> prepared.PreparedRows:
        def queryset(marks_: dict) -> QuerySet:
            stand = member_from(marks_, member)
            rows = listed(title_only=True, member=stand, today=marks_["today"])
            return rows.order_by(*order)[:limit]

        return prepared.PreparedRows(queryset, *marks(("today",), member))

    key = ("search_titles", *shape, order, limit)
    statement = prepared.prepared(key, build, repeat=True)
    if statement is None:
        return None
    return statement.rows(**member_value(member), today=today)


def search_tail_first_page(
    *,
    member: Member | None,
    order: tuple[str, ...],
    limit: int,
    window: int,
    today: date,
    listed: Listed,
    shape: tuple,
) -> tuple[list, list] | None:
    """The first page's bounded walk of a search's body-only matches (selectors.
    audition_search_tail) by two kept statements: the `window`-th entry of the list without
    the search (the walk's edge), then up to `limit` matches along the index up to it.
    Returns `([edge], rows)`, or None when the shape is not (yet) kept or the list has fewer
    than `window` entries: the caller walks by queryset, as it would without this."""
    lead = order[0].lstrip("-")
    mark = _CURSOR_KEYS.get(lead, (None,))[0]
    if mark is None:
        return None
    near = "gte" if order[0].startswith("-") else "lte"

    def build_edge() -> prepared.PreparedRows:
        def queryset(marks_: dict) -> QuerySet:
            scope = listed(search=False, member=member_from(marks_, member), today=marks_["today"])
            return scope.order_by(*order).values(lead)[window - 1 : window]

        return prepared.PreparedRows(queryset, *marks(("today",), member))

    def build_near() -> prepared.PreparedRows:
        def queryset(marks_: dict) -> QuerySet:
            matches = listed(member=member_from(marks_, member), today=marks_["today"])
            matches = matches.filter(title_hit=False, **{f"{lead}__{near}": marks_[mark]})
            return matches.order_by(*order)[:limit]

        return prepared.PreparedRows(queryset, *marks(("today", mark), member))

    edge_key = ("search_tail_edge", *shape, order, window)
    edge_statement = prepared.prepared(edge_key, build_edge, repeat=True)
    near_key = ("search_tail_near", *shape, order, window, limit)
    near_statement = prepared.prepared(near_key, build_near, repeat=True)
    if edge_statement is None or near_statement is None:
        return None
    values = member_value(member)
    edge = edge_statement.rows(**values, today=today)
    if not edge:
        return None
    return [edge[0][lead]], near_statement.rows(**values, today=today, **{mark: edge[0][lead]})
