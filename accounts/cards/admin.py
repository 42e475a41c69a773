"""The card's records in the back office, read-only: a profile's media links (on the profile's
page) and a member's card links with their views (on the member's page). Neither token form
is shown; staff moderate media by removing the profile's content, not by editing links."""

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import CardLink, MediaLink


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MediaLinkInline(_ReadOnlyInline):
    model = MediaLink
    fields = ("kind", "url", "title", "duration_s", "created_at")
    readonly_fields = fields


class CardLinkInline(_ReadOnlyInline):
    model = CardLink
    fields = (
        "kind",
        "application",
        "created_at",
        "expires_at",
        "revoked_at",
        "views",
        "first_viewed_at",
        "last_viewed_at",
    )
    readonly_fields = fields
    ordering = ("-created_at",)
