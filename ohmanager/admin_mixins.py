"""Back-office pieces shared by more than one app's admin."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Audit records: listed and inspected, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ViewOnlyAdminMixin(ReadOnlyAdminMixin):
    """Pages that only show and act through admin actions (the moderation queue, posters):
    nothing is added, edited or deleted by hand."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
