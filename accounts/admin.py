from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Member


@admin.register(Member)
class MemberAdmin(UserAdmin):
    ordering = ("-date_joined",)
    list_display = ("email", "status", "language", "is_staff", "date_joined", "last_login")
    list_filter = ("status", "is_staff", "language")
    search_fields = ("email",)
    readonly_fields = ("id", "date_joined", "last_login", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        (_("Account"), {"fields": ("status", "language")}),
        (
            _("Back office"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("date_joined", "last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups", "user_permissions")
