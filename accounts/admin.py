"""Back office for members. Staff never see password or code hashes: the password field is left
out of the member form entirely, and code hashes are not among the displayed fields."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import EmailMessage, Member, MemberSession, Profile, VerificationCode


class ReadOnlyAdminMixin:
    """Audit records: listed and inspected, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class SessionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MemberSession
    fields = (
        "id",
        "created_at",
        "last_seen_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
        "ip_address",
        "user_agent",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-created_at",)
    show_change_link = True


class ProfileInline(admin.StackedInline):
    model = Profile
    fields = ("display_name", "storage_prefix", "created_at")
    readonly_fields = ("storage_prefix", "created_at")
    can_delete = False
    extra = 0


@admin.register(Member)
class MemberAdmin(UserAdmin):
    ordering = ("-date_joined",)
    list_display = ("email", "status", "language", "is_staff", "date_joined", "last_login")
    list_filter = ("status", "is_staff", "language")
    search_fields = ("email",)
    readonly_fields = (
        "id",
        "date_joined",
        "last_login",
        "created_at",
        "updated_at",
        "withdrawn_at",
    )
    fieldsets = (
        (None, {"fields": ("id", "email")}),
        (_("Account"), {"fields": ("status", "language")}),
        (
            _("Back office"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (
            _("Dates"),
            {"fields": ("date_joined", "last_login", "created_at", "updated_at", "withdrawn_at")},
        ),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups", "user_permissions")
    inlines = (ProfileInline, SessionInline)
    actions = ("suspend", "reactivate")

    @admin.action(description=_("Suspend (and sign out everywhere)"))
    def suspend(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        done = sum(services.member_suspend(member=member) for member in queryset)
        self.message_user(request, _("%d member(s) suspended.") % done, messages.SUCCESS)

    @admin.action(description=_("Reactivate suspended members"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        done = sum(services.member_reactivate(member=member) for member in queryset)
        self.message_user(request, _("%d member(s) reactivated.") % done, messages.SUCCESS)


@admin.register(MemberSession)
class MemberSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "member",
        "created_at",
        "last_seen_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
        "ip_address",
    )
    list_filter = ("revoked_reason",)
    search_fields = ("member__email",)
    list_select_related = ("member",)
    # The refresh jtis are left out: they identify live tokens.
    fields = (
        "id",
        "member",
        "user_agent",
        "ip_address",
        "created_at",
        "last_seen_at",
        "expires_at",
        "refreshed_at",
        "revoked_at",
        "revoked_reason",
    )
    readonly_fields = fields
    actions = ("revoke",)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        # Revoking is the one write staff make here; it needs the model's change permission.
        return request.user.has_perm("accounts.change_membersession")

    @admin.action(description=_("Revoke selected sessions"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[MemberSession]) -> None:
        done = sum(
            services.session_revoke(session_id=session.pk, reason="revoked_by_staff")
            for session in queryset
        )
        self.message_user(request, _("%d session(s) revoked.") % done, messages.SUCCESS)


@admin.register(VerificationCode)
class VerificationCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "member",
        "purpose",
        "created_at",
        "expires_at",
        "attempts",
        "consumed_at",
        "invalidated_at",
    )
    list_filter = ("purpose",)
    search_fields = ("member__email",)
    list_select_related = ("member",)
    fields = (
        "id",
        "member",
        "purpose",
        "attempts",
        "created_at",
        "expires_at",
        "consumed_at",
        "invalidated_at",
    )
    readonly_fields = fields


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
    fields = (
        "id",
        "member",
        "to_email",
        "template",
        "language",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields
