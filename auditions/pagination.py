"""The HTTP side of keyset pages (auditions.paging): `page_size`, the cursor in the query
string and the next/previous links, in DRF's cursor encoding and schema."""

import json
from typing import Any
from urllib.parse import unquote

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor
from rest_framework.request import Request
from rest_framework.response import Response

from auditions import paging
from ohmanager.pagination import CursorPage


class KeysetCursorPage(CursorPage):
    """A list view reads the request's cursor (`request_cursor`), has a selector cut the page
    (auditions.paging) and answers with `page_response`. Views that page a queryset as it is
    set `ordering` to a tuple ending in a unique key and use DRF's `paginate_queryset`."""

    keyset: paging.Page | None = None

    def request_cursor(self, request: Request) -> paging.Cursor | None:
        """The page the request asks for; reads `page_size` too (400 when out of range)."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        cursor = self.decode_cursor(request)
        if cursor is None:
            return None
        values = None
        if cursor.position is not None:
            try:
                values = json.loads(cursor.position)
            except ValueError as error:
                raise NotFound(self.invalid_cursor_message) from error
            if not isinstance(values, list):
                raise NotFound(self.invalid_cursor_message)
        return paging.Cursor(position=values, reverse=cursor.reverse)

    def page_response(self, page: paging.Page, data: Any) -> Response:
        self.keyset = page
        return self.get_paginated_response(data)

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        cursor = self.request_cursor(request)
        ordering = tuple(view.ordering)
        fetch = paging.queryset_fetch(queryset, ordering)
        self.keyset = paging.keyset_page(
            fetch, ordering=ordering, cursor=cursor, page_size=self.page_size
        )
        return self.keyset.rows

    def get_next_link(self) -> str | None:
        values = self.keyset.next_position if self.keyset else None
        return None if values is None else self.encode_cursor(Cursor(0, False, json.dumps(values)))

    def get_previous_link(self) -> str | None:
        values = self.keyset.previous_position if self.keyset else None
        return None if values is None else self.encode_cursor(Cursor(0, True, json.dumps(values)))

    def position_cursor(self, ordering: tuple[str, ...], row: Any) -> str:
        """The `cursor` value that starts a page right after `row` (benchmarks, tests)."""
        self.base_url = "http://x/"
        link = self.encode_cursor(Cursor(0, False, json.dumps(paging.position(row, ordering))))
        return unquote(link.split(f"{self.cursor_query_param}=", 1)[1])
