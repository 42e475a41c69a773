from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    """Cursor pages of `page_size` items (at most 100). Views set `ordering` to a unique,
    indexed key, with the id as the tie-breaker, so a cursor never skips or repeats a row."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")
