"""Back office for members. Staff never see password or code hashes: the password field is left
out of the member form entirely, and code hashes are not among the displayed fields."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import (
    EmailMessage,
    Member,
    MemberSession,
    Photo,
    Profile,
    VerificationCode,
)
from accounts.profiles import services as profile_services


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


def _thumbnail(photo: Photo, size: int = 96) -> str:
    # Presigned like the app's URLs; staff see what the member uploaded, after normalising.
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;{}">',
        photo.thumbnail.url,
        size,
        size,
        "outline:3px solid #2a7;" if photo.is_primary else "",
    )


class ProfileInline(admin.StackedInline):
    """The profile on the member's page. Staff may correct the name and bio (moderation); the
    rest is the member's to set. Photos are shown here and removed on the photo page."""

    model = Profile
    fields = (
        "display_name",
        "bio",
        "photo_gallery",
        ("birth_date", "gender", "height_cm", "weight_kg"),
        ("skills", "languages"),
        ("interests", "regions"),
        ("representation", "agency_name"),
        ("phone", "contact_visibility"),
        "filmography",
        "notifications",
        ("storage_prefix", "created_at", "updated_at"),
    )
    readonly_fields = (
        "photo_gallery",
        "birth_date",
        "gender",
        "height_cm",
        "weight_kg",
        "skills",
        "languages",
        "interests",
        "regions",
        "representation",
        "agency_name",
        "phone",
        "contact_visibility",
        "filmography",
        "notifications",
        "storage_prefix",
        "created_at",
        "updated_at",
    )
    can_delete = False
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Profile]:
        return super().get_queryset(request).prefetch_related("photos", "credits")

    @admin.display(description=_("Photos"))
    def photo_gallery(self, profile: Profile) -> str:
        photos = list(profile.photos.all())
        if not photos:
            return _("No photos")
        return format_html_join(
            " ",
            '<a href="{}" title="{}">{}</a>',
            (
                (
                    reverse("admin:accounts_photo_change", args=[photo.pk]),
                    _("Open to remove"),
                    _thumbnail(photo),
                )
                for photo in photos
            ),
        )

    @admin.display(description=_("Filmography"))
    def filmography(self, profile: Profile) -> str:
        return format_html_join(
            mark_safe("<br>"),  # a constant separator
            "{} ({}, {}) {}",
            ((c.title, c.year, c.get_kind_display(), c.role_name) for c in profile.credits.all()),
        )

    @admin.display(description=_("Notifications"))
    def notifications(self, profile: Profile) -> str:
        switches = [
            (_("deadline reminders"), profile.notify_deadline_reminders),
            (_("shoot reminders"), profile.notify_shoot_reminders),
            (_("stale applications"), profile.notify_stale_applications),
            (_("saved-search alerts"), profile.notify_saved_search_alerts),
            (_("recommendations"), profile.notify_recommendations),
        ]
        return ", ".join(f"{name}: {'on' if on else 'off'}" for name, on in switches)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """Every photo, newest first, for moderation. Removing one goes through the same service as
    the member's own delete: the primary flag moves on and the objects are deleted after the
    commit."""

    list_display = ("preview", "member", "is_primary", "width", "height", "created_at")
    list_filter = ("is_primary",)
    search_fields = ("profile__member__email", "profile__display_name")
    list_select_related = ("profile__member",)
    ordering = ("-created_at",)
    fields = (
        "large_preview",
        "member",
        "is_primary",
        "width",
        "height",
        "size_bytes",
        "image",
        "created_at",
    )
    readonly_fields = fields
    actions = ("remove",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # photos come from members

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "remove" does it through the service
        return actions

    @admin.display(description=_("Photo"))
    def preview(self, photo: Photo) -> str:
        return _thumbnail(photo, 64)

    @admin.display(description=_("Photo"))
    def large_preview(self, photo: Photo) -> str:
        return format_html('<img src="{}" alt="" style="max-width:480px">', photo.image.url)

    @admin.display(description=_("Member"), ordering="profile__member__email")
    def member(self, photo: Photo) -> str:
        return photo.profile.member.email

    @admin.action(description=_("Remove selected photos (inappropriate)"), permissions=["delete"])
    def remove(self, request: HttpRequest, queryset: QuerySet[Photo]) -> None:
        photos = list(queryset.select_related("profile"))
        for photo in photos:
            profile_services.photo_delete(photo=photo)
        self.message_user(request, _("%d photo(s) removed.") % len(photos), messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: Photo) -> None:
        # The change page's "Delete" button: same service as the action.
        profile_services.photo_delete(photo=obj)


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
