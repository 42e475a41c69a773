"""Input and output shapes of `applications` and `me/calendar`. No writes here."""

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications import lifecycle
from applications.models import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, Application, Status
from applications.snapshot import snapshot_photo_urls
from auditions.models import ApplyMethod, Audition, Category
from auditions.selectors import display_status
from ohmanager.fields import StrictBooleanField, StrictCharField, StrictIntegerField, StrictURLField

# --- Input ----------------------------------------------------------------------------------


class ApplicationCreateInput(serializers.Serializer):
    audition = serializers.UUIDField()
    role = serializers.UUIDField(required=False, allow_null=True)
    message = StrictCharField(
        max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    external = StrictBooleanField(
        required=False,
        default=False,
        help_text="true: you applied on the source site and are recording it here.",
    )


class ApplicationStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = StrictCharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")
    audition_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the audition takes place (shown in the calendar feed).",
    )


class ApplicationWithdrawInput(serializers.Serializer):
    note = StrictCharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


# --- Output ---------------------------------------------------------------------------------


class AuditionBriefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    title = StrictCharField()
    company = StrictCharField()
    category = serializers.ChoiceField(choices=Category.choices)
    deadline = serializers.DateField(allow_null=True)
    shoot_start = serializers.DateField(allow_null=True)
    shoot_end = serializers.DateField(allow_null=True)
    status = serializers.SerializerMethodField()
    apply_method = serializers.ChoiceField(choices=ApplyMethod.choices)
    apply_target = StrictCharField()

    @extend_schema_field(serializers.ChoiceField(choices=["open", "closed", "expired"]))
    def get_status(self, audition: Audition) -> str:
        # Hidden or withdrawn from the catalogue by staff: for the applicant it is closed.
        if audition.status not in Audition.PUBLIC_STATUSES:
            return Audition.Status.CLOSED
        return display_status(audition, timezone.localdate())


class RoleBriefOutput(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, source="role_id")
    name = StrictCharField(source="role_name")


class HistoryOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    from_status = StrictCharField(allow_null=True)
    at = serializers.DateTimeField(source="created_at")
    note = StrictCharField()
    by = serializers.ChoiceField(choices=["member", "staff", "system"], source="actor_kind")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["from_status"] = data["from_status"] or None
        return data


class ApplicationOutput(serializers.Serializer):
    id = serializers.UUIDField()
    audition = AuditionBriefOutput()
    role = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Application.Kind.choices)
    external = serializers.SerializerMethodField()
    message = StrictCharField()
    status = serializers.ChoiceField(choices=Status.choices)
    is_final = serializers.SerializerMethodField()
    next_statuses = serializers.SerializerMethodField(
        help_text="Statuses this application may move to next (the contract's lifecycle)."
    )
    audition_at = serializers.DateTimeField(allow_null=True)
    applied_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()

    @extend_schema_field(RoleBriefOutput(allow_null=True))
    def get_role(self, application: Application) -> dict[str, Any] | None:
        if not application.role_name and application.role_id is None:
            return None
        return RoleBriefOutput(application).data

    def get_external(self, application: Application) -> bool:
        return application.kind == Application.Kind.EXTERNAL

    def get_is_final(self, application: Application) -> bool:
        return lifecycle.is_final(application.status)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Status.choices)))
    def get_next_statuses(self, application: Application) -> list[str]:
        return lifecycle.allowed_moves(application.status)


class ApplicationDetailOutput(ApplicationOutput):
    history = HistoryOutput(many=True, source="history.all")
    snapshot = serializers.SerializerMethodField(
        help_text="In-app applications: the profile as sent (null for external ones)."
    )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_snapshot(self, application: Application) -> dict[str, Any] | None:
        if not application.snapshot:
            return None
        return {**application.snapshot, "photos": snapshot_photo_urls(application.snapshot)}


class StatusCountsOutput(serializers.Serializer):
    counts = serializers.DictField(child=StrictIntegerField(), help_text="Per status.")
    total = StrictIntegerField()
    active = StrictIntegerField(help_text="Applications not in a final status.")


class CalendarFeedOutput(serializers.Serializer):
    url = StrictURLField(
        allow_null=True,
        help_text="The secret feed URL: only in the answer of the POST that created or rotated "
        "it (the server keeps a hash of its token, never the token); null on GET. A member "
        "who lost it rotates it.",
    )
    active = StrictBooleanField(help_text="A feed URL is live.")
    created_at = serializers.DateTimeField(
        allow_null=True, help_text="When the live URL was issued; null without one."
    )
