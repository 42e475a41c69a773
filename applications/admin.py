"""Back office: in-app applications, per audition, with the snapshot that was sent. Staff move
their status through the same service (and lifecycle) as the API; nothing here saves a model
directly. External applications are the member's private tracking and are not shown."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from applications import lifecycle, services
from applications.models import Application, ApplicationEvent, Status
from applications.snapshot import snapshot_photo_urls
from auditions.models import Audition
from ohmanager.exceptions import ApplicationError

SNAPSHOT_FIELDS = (
    ("display_name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("birth_date", "Birth date"),
    ("gender", "Gender"),
    ("height_cm", "Height (cm)"),
    ("weight_kg", "Weight (kg)"),
    ("representation", "Representation"),
    ("agency_name", "Agency"),
    ("skills", "Skills"),
    ("languages", "Languages"),
    ("regions", "Regions"),
    ("bio", "Bio"),
)


class AuditionWithApplicationsFilter(admin.SimpleListFilter):
    """Only auditions that received in-app applications, busiest first."""

    title = "audition"
    parameter_name = "audition"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        rows = (
            Audition.objects.filter(applications__kind=Application.Kind.IN_APP)
            .annotate(received=Count("applications"))
            .order_by("-received", "title")
            .values_list("id", "title", "received")[:50]
        )
        return [(str(pk), f"{title} ({received})") for pk, title, received in rows]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(audition_id=self.value())
        return queryset


class HistoryInline(admin.TabularInline):
    model = ApplicationEvent
    fields = ("created_at", "from_status", "status", "actor_kind", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("created_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusMoveForm(forms.ModelForm):
    """The only input: a move along the lifecycle, with a note for the history."""

    new_status = forms.ChoiceField(required=False, label="Move to")
    note = forms.CharField(required=False, max_length=500, widget=forms.TextInput)
    audition_at = forms.DateTimeField(
        required=False, label="Audition date and time", help_text="YYYY-MM-DD HH:MM (Seoul)"
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        moves = lifecycle.allowed_moves(self.instance.status) if self.instance.pk else []
        self.fields["new_status"].choices = [("", "— keep —")] + [
            (value, Status(value).label) for value in moves
        ]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    form = StatusMoveForm
    list_display = (
        "audition",
        "applicant",
        "role_name",
        "status",
        "applied_at",
        "last_activity_at",
    )
    list_filter = ("status", AuditionWithApplicationsFilter)
    list_select_related = ("audition", "member")
    search_fields = ("audition__title", "member__email")
    ordering = ("-last_activity_at", "-id")
    readonly_fields = (
        "audition",
        "applicant",
        "role_name",
        "status",
        "message",
        "applied_at",
        "last_activity_at",
        "snapshot_view",
    )
    fieldsets = (
        (None, {"fields": ("audition", "applicant", "role_name", "status", "message")}),
        ("Move", {"fields": ("new_status", "note", "audition_at")}),
        ("What was sent", {"fields": ("snapshot_view",)}),
        ("Times", {"fields": ("applied_at", "last_activity_at")}),
    )
    inlines = [HistoryInline]
    actions = ["mark_viewed", "mark_not_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(kind=Application.Kind.IN_APP)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members apply; staff never apply on their behalf

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="applicant", ordering="member__email")
    def applicant(self, obj: Application) -> str:
        return (obj.snapshot or {}).get("display_name") or obj.member.email

    @admin.display(description="snapshot")
    def snapshot_view(self, obj: Application) -> str:
        snapshot = obj.snapshot or {}
        if not snapshot:
            return "—"
        photos = format_html_join(
            "",
            '<a href="{}"><img src="{}" alt="" style="max-height:160px;margin-right:8px"></a>',
            ((photo["url"], photo["thumbnail_url"]) for photo in snapshot_photo_urls(snapshot)),
        )
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            (
                (label, ", ".join(value) if isinstance(value, list) else value)
                for key, label in SNAPSHOT_FIELDS
                if (value := snapshot.get(key)) not in (None, "", [])
            ),
        )
        credits = format_html_join(
            "",
            "<li>{} ({}) {}</li>",
            (
                (credit["title"], credit["year"], credit.get("role_name", ""))
                for credit in snapshot.get("filmography", [])
            ),
        )
        return format_html(
            "<div>{}</div><table>{}</table><ul>{}</ul><p>Taken {}</p>",
            photos,
            rows,
            credits,
            snapshot.get("taken_at", ""),
        )

    def has_move_application_permission(self, request: HttpRequest) -> bool:
        # change_application alone lets staff open the form; moving tells the applicant.
        return request.user.has_perm("applications.move_application")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if self.has_move_application_permission(request):
            return self.fieldsets
        return tuple(fieldset for fieldset in self.fieldsets if fieldset[0] != "Move")

    def save_model(self, request: HttpRequest, obj: Application, form: Any, change: bool) -> None:
        new_status = form.cleaned_data.get("new_status")
        if not new_status:
            return
        if not self.has_move_application_permission(request):
            # The form's declared fields are there even when the Move fieldset is not shown.
            raise PermissionDenied
        try:
            services.application_move(
                application_id=obj.pk,
                status=new_status,
                actor=request.user,
                by=ApplicationEvent.Actor.STAFF,
                note=form.cleaned_data.get("note") or "",
                audition_at=form.cleaned_data.get("audition_at"),
            )
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)

    def _move_all(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        moved = skipped = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                services.application_move(
                    application_id=pk,
                    status=status,
                    actor=request.user,
                    by=ApplicationEvent.Actor.STAFF,
                )
                moved += 1
            except ApplicationError:
                skipped += 1  # the lifecycle does not allow it from where that one stands
        self.message_user(request, f"{moved} moved to {status}; {skipped} left as they were.")

    @admin.action(description="Mark as viewed", permissions=["move_application"])
    def mark_viewed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move_all(request, queryset, Status.VIEWED)

    @admin.action(description="Mark as not selected", permissions=["move_application"])
    def mark_not_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move_all(request, queryset, Status.NOT_SELECTED)
