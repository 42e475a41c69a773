"""Back office for members. Staff never see password or code hashes: the password field is left
out of the member form entirely, and code hashes are not among the displayed fields.

Who may do what (security review #13, points 2 and 3): every action names its permission;
suspending is `accounts.suspend_member`, not the member edit permission; profiles are moderated
on their own page (`change_profile`), not through the member form. Only a superuser sets staff
and superuser flags, groups, permissions, email or password, or acts on a staff account at all.
The staff groups that hand these out are code: ohmanager/staff_groups.py."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import (
    CardLink,
    GuardianConsent,
    MediaLink,
    Member,
    MemberSession,
    Photo,
    Profile,
    VerificationCode,
)
from accounts.profiles import services as profile_services
from ohmanager.admin_mixins import ReadOnlyAdminMixin


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


class MediaLinkInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A profile's video links (issue #16), on the profile's page."""

    model = MediaLink
    fields = ("kind", "url", "title", "duration_s", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


class CardLinkInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A member's card links and their views, on the member's page; no form of the token."""

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
    extra = 0
    can_delete = False
    ordering = ("-created_at",)


def _thumbnail(photo: Photo, size: int = 96) -> str:
    # Presigned like the app's URLs; staff see what the member uploaded, after normalising.
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;{}">',
        photo.thumbnail.url,
        size,
        size,
        "outline:3px solid #2a7;" if photo.is_primary else "",
    )


class ProfileDisplay:
    """What staff see of a profile. Staff may correct the name and bio (moderation, on the
    profile's own page); the rest is the member's to set. Photos are removed on the photo page."""

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
            (_("card viewed"), profile.notify_card_viewed),
        ]
        return ", ".join(f"{name}: {'on' if on else 'off'}" for name, on in switches)


class ProfileInline(ProfileDisplay, admin.StackedInline):
    """The profile on the member's page, read-only: editing it there would make profile
    moderation need the member edit permission. The change link opens the profile's page."""

    model = Profile
    can_delete = False
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Profile)
class ProfileAdmin(ProfileDisplay, admin.ModelAdmin):
    """Profile moderation: the name and bio, with `accounts.change_profile` (the moderator
    group), saved through the same service as the member's own edits (`profile_update`)."""

    list_display = ("display_name", "member", "updated_at")
    search_fields = ("display_name", "member__email")
    list_select_related = ("member",)
    ordering = ("-updated_at",)
    fields = ("member", *ProfileDisplay.fields)
    readonly_fields = ("member", *ProfileDisplay.readonly_fields)
    inlines = (MediaLinkInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made at activation

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # goes with the member (withdrawal)

    def save_model(self, request: HttpRequest, obj: Profile, form, change: bool) -> None:
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if changed:
            profile_services.profile_update(member=obj.member, **changed)


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


GUARDIAN_CONSENT_FIELDS = (
    "status",
    "name",
    "relationship",
    "email",
    "phone",
    "notice_version",
    "requested_at",
    "superseded_at",
    "given_at",
    "given_ip",
    "given_user_agent",
    "revoked_at",
    "revoked_ip",
    "revoked_user_agent",
    "erased_at",
    "renewal",
)


class GuardianConsentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A child's consent records: the proof, never edited here (issue #17)."""

    model = GuardianConsent
    fields = GUARDIAN_CONSENT_FIELDS
    readonly_fields = fields
    extra = 0
    can_delete = False


class GuardianFilter(admin.SimpleListFilter):
    """Children and their guardians: waiting for consent, consented, revoked."""

    title = _("guardian consent")
    parameter_name = "guardian"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("pending", _("Waiting for a guardian")),
            ("given", _("Guardian consented")),
            ("revoked", _("Guardian revoked")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "pending":
            return queryset.filter(status=Member.Status.PENDING_GUARDIAN)
        if self.value() in (GuardianConsent.Status.GIVEN, GuardianConsent.Status.REVOKED):
            return queryset.filter(guardian_consents__status=self.value()).distinct()
        return queryset


# Status moves the admin form may make: the two the staff services make, so the form and the
# actions share one path (suspension revokes sessions). Withdrawal is the member's; activation
# is the sign-up code's (it prepares the profile); neither is undone from here.
FORM_STATUS_MOVES = {
    (Member.Status.ACTIVE, Member.Status.SUSPENDED),
    (Member.Status.SUSPENDED, Member.Status.ACTIVE),
}
# What only a superuser may set on a member: each lets its holder take over an account or
# widen their own powers (an email change leads to a password reset).
SUPERUSER_ONLY_FIELDS = ("email", "is_staff", "is_superuser", "groups", "user_permissions")


def _is_staff_account(member: Member) -> bool:
    return member.is_staff or member.is_superuser


def _staff_accounts() -> Q:
    return Q(is_staff=True) | Q(is_superuser=True)


class MemberChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = Member
        fields = "__all__"
        field_classes: dict = {}

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        stored = self.instance.status
        if status != stored and (stored, status) not in FORM_STATUS_MOVES:
            raise forms.ValidationError(
                _("From here a member can only be suspended (when active) or reactivated.")
            )
        return status


@admin.register(Member)
class MemberAdmin(UserAdmin):
    form = MemberChangeForm
    ordering = ("-date_joined",)
    list_display = ("email", "status", "language", "is_staff", "date_joined", "last_login")
    list_filter = ("status", GuardianFilter, "is_staff", "language", "email_sending_paused")
    search_fields = ("email",)
    readonly_fields = (
        "id",
        "email_sending_paused",  # through the pause/resume actions
        "suspension_reason",  # set by the services that suspend
        "date_joined",
        "last_login",
        "created_at",
        "updated_at",
        "withdrawn_at",
    )
    fieldsets = (
        (None, {"fields": ("id", "email")}),
        (
            _("Account"),
            {"fields": ("status", "suspension_reason", "language", "email_sending_paused")},
        ),
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
    inlines = (ProfileInline, GuardianConsentInline, SessionInline, CardLinkInline)
    actions = ("suspend", "reactivate", "pause_sending", "resume_sending")

    # --- Who may act on whom ----------------------------------------------------------------

    def get_readonly_fields(self, request: HttpRequest, obj: Member | None = None) -> tuple:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            return (*fields, *SUPERUSER_ONLY_FIELDS)
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Member | None = None) -> bool:
        if obj is not None and _is_staff_account(obj) and not request.user.is_superuser:
            return False  # shown read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Member | None = None) -> bool:
        if obj is not None and _is_staff_account(obj) and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        # The bulk delete action checks the model permission only, not each selected row.
        if not request.user.is_superuser and queryset.filter(_staff_accounts()).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Setting someone's password is taking their account: superusers only.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def has_suspend_member_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.suspend_member")

    def _members_to_act_on(self, request: HttpRequest, queryset: QuerySet[Member]) -> list[Member]:
        if request.user.is_superuser:
            return list(queryset)
        skipped = queryset.filter(_staff_accounts()).count()
        if skipped:
            self.message_user(
                request,
                _("%d staff account(s) left as they were: only a superuser acts on staff.")
                % skipped,
                messages.WARNING,
            )
        return list(queryset.exclude(_staff_accounts()))

    # --- Writes: the staff services -----------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Member, form, change: bool) -> None:
        if not (change and "status" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        # A status change from the form is the action's: the service revokes sessions.
        new_status, obj.status = obj.status, form.initial["status"]
        super().save_model(request, obj, form, change)
        if new_status == Member.Status.SUSPENDED:
            services.member_suspend(member=obj)
        else:
            services.member_reactivate(member=obj)

    @admin.action(
        description=_("Suspend (and sign out everywhere)"), permissions=["suspend_member"]
    )
    def suspend(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        members = self._members_to_act_on(request, queryset)
        done = sum(services.member_suspend(member=member) for member in members)
        self.message_user(request, _("%d member(s) suspended.") % done, messages.SUCCESS)

    def has_pause_email_sending_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.pause_email_sending")

    @admin.action(
        description=_("Pause e-mail applications (bounces or complaints)"),
        permissions=["pause_email_sending"],
    )
    def pause_sending(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        done = 0
        for member in self._members_to_act_on(request, queryset):
            if services.member_sending_pause(member=member):
                self.log_change(request, member, "Paused e-mail applications")
                done += 1
        self.message_user(
            request, _("E-mail applications paused for %d member(s).") % done, messages.SUCCESS
        )

    @admin.action(description=_("Resume e-mail applications"), permissions=["pause_email_sending"])
    def resume_sending(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        done = 0
        for member in self._members_to_act_on(request, queryset):
            if services.member_sending_resume(member=member):
                self.log_change(request, member, "Resumed e-mail applications")
                done += 1
        self.message_user(
            request, _("E-mail applications resumed for %d member(s).") % done, messages.SUCCESS
        )

    @admin.action(description=_("Reactivate suspended members"), permissions=["suspend_member"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        members = self._members_to_act_on(request, queryset)
        done = sum(services.member_reactivate(member=member) for member in members)
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
        if not request.user.is_superuser:
            # Signing a staff account out is acting on it: a superuser's call.
            staff_sessions = Q(member__is_staff=True) | Q(member__is_superuser=True)
            skipped = queryset.filter(staff_sessions).count()
            if skipped:
                self.message_user(
                    request,
                    _("%d session(s) of staff accounts left alone: only a superuser ends them.")
                    % skipped,
                    messages.WARNING,
                )
            queryset = queryset.exclude(staff_sessions)
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


@admin.register(GuardianConsent)
class GuardianConsentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every consent, given or revoked: read-only (a record is the proof the law asks for)."""

    list_display = (
        "member",
        "status",
        "name",
        "relationship",
        "requested_at",
        "given_at",
        "revoked_at",
    )
    list_filter = ("status", "relationship", "notice_version", "renewal")
    search_fields = ("member__email", "email")
    list_select_related = ("member",)
    fields = ("member", *GUARDIAN_CONSENT_FIELDS)
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
