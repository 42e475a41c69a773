"""The staff back office for the catalogue. Every write goes through auditions.services, so
staff edits lock their fields against crawls and land in the audit trail (AuditionEvent)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from auditions import services
from auditions.models import Audition, AuditionEvent, Role, Source, SourceListing
from auditions.trust import PENALTIES
from ohmanager.exceptions import ApplicationError


class TrustFlagFilter(admin.SimpleListFilter):
    title = _("trust flag")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [(code, code.replace("_", " ")) for code in PENALTIES]

    def queryset(self, request, queryset):
        if self.value() in PENALTIES:
            # Codes are unique words of the stored JSON; works on PostgreSQL and SQLite alike.
            return queryset.filter(trust_flags__icontains=f'"{self.value()}"')
        return queryset


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = (
        "position",
        "name",
        "gender",
        "age_min",
        "age_max",
        "height_min_cm",
        "height_max_cm",
        "headcount",
        "description",
    )


class SourceListingInline(admin.TabularInline):
    model = SourceListing
    extra = 0
    can_delete = False
    fields = ("source", "url", "external_id", "is_primary", "first_seen_at", "last_seen_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AuditionEventInline(admin.TabularInline):
    model = AuditionEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "actor", "changes", "note")
    readonly_fields = fields
    verbose_name_plural = _("audit trail")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AuditionAdminForm(forms.ModelForm):
    # The admin builds the form's Meta (model, fields) from AuditionAdmin.

    def clean_posted_at(self):
        # The date/time widgets show whole seconds, so an untouched form posts the stored time
        # less its microseconds (crawls stamp undated listings with "now"); that must not read
        # as a staff edit, which would lock posted_at against crawls and enter the audit trail.
        posted_at = self.cleaned_data.get("posted_at")
        stored = self.instance.posted_at if self.instance.pk else None
        if posted_at and stored and posted_at == stored.replace(microsecond=0):
            return stored
        return posted_at


@admin.register(Audition)
class AuditionAdmin(admin.ModelAdmin):
    form = AuditionAdminForm
    list_display = (
        "title",
        "company",
        "category",
        "region",
        "status",
        "trust_score",
        "deadline",
        "posted_at",
        "source_count",
    )
    list_filter = (
        "status",
        "category",
        "region",
        ("listings__source", admin.RelatedOnlyFieldListFilter),
        "deadline",
        TrustFlagFilter,
    )
    search_fields = ("title", "company", "description", "=id")
    date_hierarchy = "posted_at"
    readonly_fields = (
        "status",
        "trust_score",
        "trust_flags",
        "staff_locked_fields",
        "duplicate_of",
        "created_at",
        "updated_at",
    )
    inlines = [RoleInline, SourceListingInline, AuditionEventInline]
    actions = ["publish", "hide", "close", "merge_into_earliest"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .annotate(source_total=Count("listings", distinct=True))
        )

    @admin.display(description=_("sources"), ordering="source_total")
    def source_count(self, obj: Audition) -> int:
        return obj.source_total

    def save_model(self, request, obj: Audition, form, change: bool) -> None:
        services.audition_staff_save(audition=obj, actor=request.user)

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is not Role:  # the other inlines are read-only
            super().save_formset(request, form, formset, change)
            return
        # The inline validates and builds the roles; the service writes them.
        saved = formset.save(commit=False)
        services.audition_roles_save(
            audition=form.instance,
            actor=request.user,
            saved=saved,
            deleted=formset.deleted_objects,
            new_audition=not change,
        )

    def _set_status(self, request, queryset: QuerySet, status: str, done: str) -> None:
        count = 0
        for audition in queryset:
            try:
                services.audition_set_status(audition=audition, status=status, actor=request.user)
                count += 1
            except ApplicationError as error:
                self.message_user(request, f"{audition}: {error.message}", messages.WARNING)
        self.message_user(request, f"{count} {done}.", messages.SUCCESS)

    @admin.action(description=_("Publish (open) selected auditions"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Audition.Status.OPEN, "published")

    @admin.action(description=_("Hide selected auditions"), permissions=["change"])
    def hide(self, request, queryset):
        self._set_status(request, queryset, Audition.Status.HIDDEN, "hidden")

    @admin.action(description=_("Close selected auditions"), permissions=["change"])
    def close(self, request, queryset):
        self._set_status(request, queryset, Audition.Status.CLOSED, "closed")

    def has_merge_audition_permission(self, request: HttpRequest) -> bool:
        # A merge hides a call and moves its listings and applications: more than an edit.
        return request.user.has_perm("auditions.merge_audition")

    @admin.action(
        description=_("Mark as duplicates of the earliest posted (merge into it)"),
        permissions=["merge_audition"],
    )
    def merge_into_earliest(self, request, queryset):
        auditions = list(queryset.exclude(status=Audition.Status.MERGED).order_by("posted_at"))
        if len(auditions) < 2:
            self.message_user(request, "Select at least two auditions.", messages.WARNING)
            return
        target, duplicates = auditions[0], auditions[1:]
        for duplicate in duplicates:
            target = services.audition_merge(duplicate=duplicate, into=target, actor=request.user)
        self.message_user(request, f"Merged {len(duplicates)} into “{target}”.", messages.SUCCESS)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "homepage_url", "created_at")
    search_fields = ("name", "slug")
    list_filter = ("kind",)


@admin.register(SourceListing)
class SourceListingAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "audition", "is_primary", "first_seen_at", "last_seen_at")
    list_filter = ("source", "is_primary")
    search_fields = ("url", "canonical_url", "external_id")
    raw_id_fields = ("audition",)
    readonly_fields = [f.name for f in SourceListing._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
