"""The outbox in the back office: read-only (rows are written by emails.services only); the
sealed context is never shown."""

from django.contrib import admin

from emails.models import EmailMessage
from ohmanager.admin_mixins import ReadOnlyAdminMixin


@admin.register(EmailMessage)
class EmailMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "to_email",
        "template",
        "language",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "template")
    search_fields = ("to_email",)
    fields = ("id", "member", *list_display)
    readonly_fields = fields
