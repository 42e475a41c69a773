"""Read-only routes run outside the request transaction; every other route stays atomic.

`ATOMIC_REQUESTS` wraps each view in a transaction so a failed write leaves nothing behind.
A route that only reads has nothing to roll back: under READ COMMITTED each statement sees
its own snapshot whether or not a transaction surrounds it, so the answer is the same, minus
the transaction's bookkeeping and the COMMIT round trip on every list and detail request.
The one write a read may make -- authentication's `last_seen_at` touch, at most once a
minute -- is a single UPDATE, atomic by itself.

Decided per route, from the HTTP methods the router maps to it: a route whose methods are all
safe (GET/HEAD/OPTIONS) is marked with Django's `transaction.non_atomic_requests`; a route
with any other method (bookmark's PUT/DELETE, create, update) keeps the transaction, so its
writes still roll back on an error. A viewset whose reads need a transaction (the feed's
`SET LOCAL`) does not use this mixin.
"""

from django.db import transaction

SAFE_METHODS = frozenset({"get", "head", "options"})


def _all_safe(actions) -> bool:
    return bool(actions) and set(actions) <= SAFE_METHODS


class ReadsOutsideTransaction:
    """Mix into a DRF viewset before `GenericViewSet`."""

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        if _all_safe(actions):
            view = transaction.non_atomic_requests(view)
        return view

    def handle_exception(self, exc):
        """The error handler marks "the request's transaction" for rollback (DRF's
        `set_rollback`). A read route has none; if a caller's transaction surrounds the view
        (a test's, a view called from code), that mark would doom the caller's work, so it is
        undone here. Marks set by the view's own failed writes are kept."""
        if not _all_safe(getattr(self, "action_map", None)):
            return super().handle_exception(exc)
        connection = transaction.get_connection()
        marked = connection.needs_rollback
        try:
            return super().handle_exception(exc)
        finally:
            if connection.in_atomic_block:
                connection.needs_rollback = marked
