"""The staff back office for the catalogue. Every write goes through auditions.services, so
staff edits lock their fields against crawls and land in the audit trail (AuditionEvent)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from auditions import posters, services
from auditions.models import (
    Advertiser,
    AdvertiserKey,
    Audition,
    AuditionEvent,
    ModerationCase,
    Report,
    Role,
    Source,
    SourceListing,
)
from auditions.trust import PENALTIES
from ohmanager.admin_mixins import ViewOnlyAdminMixin
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
        "quarantine_reason",
        "trust_review",
        "advertiser",
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


# --- Trust and safety (#18) -----------------------------------------------------------------------


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ("created_at", "reason", "text", "weight", "member", "resolved_at")
    readonly_fields = fields
    verbose_name_plural = _("member reports")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ModerationEventInline(AuditionEventInline):
    fk_name = "audition"


@admin.register(ModerationCase)
class ModerationCaseAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """The moderation queue: quarantined calls and calls with unresolved reports, the most
    weighed first, with their flags and the reports' text. Every decision goes through
    auditions.services (audition_moderate, advertiser_block), which writes the audit trail."""

    list_display = (
        "title",
        "company",
        "status",
        "quarantine_reason",
        "trust_score",
        "flag_codes",
        "open_reports",
        "report_weight",
        "report_texts",
        "poster_link",
    )
    list_filter = ("status", "quarantine_reason")
    search_fields = ("title", "company", "=id")
    fields = (
        "title",
        "company",
        "description",
        "apply_method",
        "apply_target",
        "contact_raw",
        "status",
        "quarantine_reason",
        "trust_review",
        "trust_score",
        "trust_flags",
        "advertiser",
    )
    readonly_fields = fields
    inlines = [ReportInline, ModerationEventInline]
    actions = ["clear", "hide_as_scam", "close", "merge_as_duplicate", "block_poster"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        unresolved = Report.objects.filter(audition=OuterRef("pk"), resolved_at__isnull=True)
        return (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .filter(Q(status=Audition.Status.QUARANTINED) | Exists(unresolved))
            .exclude(status=Audition.Status.MERGED)
            .annotate(
                report_total=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
                weight_total=Sum("reports__weight", filter=Q(reports__resolved_at__isnull=True)),
            )
            .order_by("-weight_total", "-posted_at")
            .prefetch_related(
                Prefetch(
                    "reports",
                    queryset=Report.objects.filter(resolved_at__isnull=True).order_by(
                        "-created_at"
                    ),
                    to_attr="open_report_rows",
                )
            )
        )

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("auditions.moderate_audition")

    def has_block_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("auditions.block_advertiser")

    @admin.display(description=_("flags"))
    def flag_codes(self, obj: Audition) -> str:
        return ", ".join(flag["code"] for flag in obj.trust_flags)

    @admin.display(description=_("reports"), ordering="report_total")
    def open_reports(self, obj: Audition) -> int:
        return obj.report_total

    @admin.display(description=_("weight"), ordering="weight_total")
    def report_weight(self, obj: Audition) -> int:
        return obj.weight_total or 0

    @admin.display(description=_("what members wrote"))
    def report_texts(self, obj: Audition) -> str:
        rows = getattr(obj, "open_report_rows", [])[:3]
        return " | ".join(f"{row.reason}: {row.text[:80]}" for row in rows)

    @admin.display(description=_("poster"))
    def poster_link(self, obj: Audition) -> str:
        if obj.advertiser_id is None:
            return "—"
        url = reverse("admin:auditions_advertiser_change", args=[obj.advertiser_id])
        return format_html('<a href="{}">{}</a>', url, _("poster page"))

    def _decide(self, request, queryset: QuerySet, decision: str, done: str) -> None:
        count = 0
        for audition in queryset:
            try:
                services.audition_moderate(audition=audition, decision=decision, actor=request.user)
                count += 1
            except ApplicationError as error:
                self.message_user(request, f"{audition}: {error.message}", messages.WARNING)
        self.message_user(request, f"{count} {done}.", messages.SUCCESS)

    @admin.action(
        description=_("Clear: the call is fine (open it again)"), permissions=["moderate"]
    )
    def clear(self, request, queryset):
        self._decide(request, queryset, services.Decision.CLEAR, "cleared")

    @admin.action(
        description=_("Hide as a scam (members who applied or saved it are told)"),
        permissions=["moderate"],
    )
    def hide_as_scam(self, request, queryset):
        self._decide(request, queryset, services.Decision.SCAM, "hidden as scams")

    @admin.action(description=_("Close: real, but over"), permissions=["moderate"])
    def close(self, request, queryset):
        self._decide(request, queryset, services.Decision.CLOSE, "closed")

    @admin.action(
        description=_("Merge as duplicates of the earliest posted of the selection"),
        permissions=["moderate"],
    )
    def merge_as_duplicate(self, request, queryset):
        auditions = list(queryset.order_by("posted_at"))
        if len(auditions) < 2:
            self.message_user(request, "Select the duplicate and the original.", messages.WARNING)
            return
        original, duplicates = auditions[0], auditions[1:]
        for duplicate in duplicates:
            services.audition_moderate(
                audition=duplicate, decision=services.Decision.DUPLICATE, actor=request.user,
                into=original,
            )  # fmt: skip
        self.message_user(request, f"Merged {len(duplicates)} into “{original}”.", messages.SUCCESS)

    @admin.action(
        description=_("Block the poster (its future calls are quarantined)"),
        permissions=["block"],
    )
    def block_poster(self, request, queryset):
        blocked = 0
        for advertiser in Advertiser.objects.filter(
            pk__in=queryset.exclude(advertiser=None).values("advertiser_id")
        ):
            services.advertiser_block(advertiser=advertiser, actor=request.user)
            blocked += 1
        self.message_user(request, f"{blocked} posters blocked.", messages.SUCCESS)


class AdvertiserKeyInline(admin.TabularInline):
    model = AdvertiserKey
    extra = 0
    can_delete = False
    fields = ("kind", "value")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AdvertiserCallInline(admin.TabularInline):
    model = Audition
    fk_name = "advertiser"
    extra = 0
    can_delete = False
    fields = ("title", "status", "trust_score", "posted_at")
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("calls")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Advertiser)
class AdvertiserAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """The poster page: its contact keys, its calls and what our members' applications say
    about it (the same figures as the API's `poster`, with the counts behind the rate)."""

    list_display = (
        "__str__",
        "blocked",
        "calls",
        "applications",
        "reply_rate",
        "no_response",
        "member_reports",
        "first_seen_at",
        "last_seen_at",
        "merged_into",
    )
    list_filter = ("blocked",)
    search_fields = ("name", "keys__value", "=id")
    fields = (
        "name",
        "blocked",
        "blocked_at",
        "merged_into",
        "first_seen_at",
        "last_seen_at",
        "calls",
        "applications",
        "reply_rate",
        "no_response",
        "member_reports",
    )
    readonly_fields = fields
    inlines = [AdvertiserKeyInline, AdvertiserCallInline]
    actions = ["block", "merge_into_earliest"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return posters.advertisers_with_figures(super().get_queryset(request))

    def has_block_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("auditions.block_advertiser")

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("auditions.merge_advertiser")

    @admin.display(description=_("calls"), ordering="calls")
    def calls(self, obj: Advertiser) -> int:
        return obj.calls

    @admin.display(description=_("applications"), ordering="answered_or_not")
    def applications(self, obj: Advertiser) -> int:
        return obj.answered_or_not

    @admin.display(description=_("reply rate"))
    def reply_rate(self, obj: Advertiser) -> str:
        rate = posters.reply_rate(
            replied=obj.replied, applications=obj.answered_or_not, members=obj.members
        )
        if rate is None:
            return f"— (under {posters.PRIVACY_FLOOR} members)"
        return f"{rate:.0%}"

    @admin.display(description=_("no response"), ordering="no_response")
    def no_response(self, obj: Advertiser) -> int:
        return obj.no_response

    @admin.display(description=_("member reports"), ordering="member_reports")
    def member_reports(self, obj: Advertiser) -> int:
        return obj.member_reports

    @admin.action(description=_("Block (future calls are quarantined)"), permissions=["block"])
    def block(self, request, queryset):
        for advertiser in queryset:
            services.advertiser_block(advertiser=advertiser, actor=request.user)
        self.message_user(request, "Blocked.", messages.SUCCESS)

    @admin.action(
        description=_("Merge into the earliest seen (one poster, several contacts)"),
        permissions=["merge"],
    )
    def merge_into_earliest(self, request, queryset):
        chosen = list(queryset.filter(merged_into=None).order_by("first_seen_at", "id"))
        if len(chosen) < 2:
            self.message_user(request, "Select at least two posters.", messages.WARNING)
            return
        kept = chosen[0]
        for other in chosen[1:]:
            kept = services.advertiser_merge(advertiser=other, into=kept, actor=request.user)
        self.message_user(request, f"Merged {len(chosen) - 1} into “{kept}”.", messages.SUCCESS)
