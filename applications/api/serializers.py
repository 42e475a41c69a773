"""Input and output shapes of `applications` and `me/calendar`. No writes here."""

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from accounts.cards.services import card_link_url_for_application
from applications import lifecycle
from applications.models import (
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Application,
    ApplicationEmail,
    Status,
)
from applications.sending import PHOTOS_MAX, card_preview_url
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
    send = StrictBooleanField(
        required=False,
        default=False,
        help_text="true: the app e-mails your application to the address in the post (an "
        "audition whose `apply.method` is `email`), with your profile card.",
    )
    photos = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        allow_empty=True,
        max_length=PHOTOS_MAX,
        help_text=f"With `send`: ids of your photos to include (at most {PHOTOS_MAX}); by "
        "default the primary photo and the next two.",
    )
    media = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        allow_empty=True,
        help_text="With `send`: ids of your media links to include; by default all of them.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["send"] and data["external"]:
            raise serializers.ValidationError(
                {"send": ["Either the app sends it (send) or you applied elsewhere (external)."]}
            )
        if not data["send"]:
            for name in ("photos", "media"):
                if name in data:
                    raise serializers.ValidationError({name: ["Only with send: true."]})
        return data


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


class DeliveryOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationEmail.Delivery.choices, source="delivery")
    at = serializers.DateTimeField(
        source="delivered_at", allow_null=True, help_text="When it was sent, or failed."
    )
    detail = StrictCharField(
        source="delivery_detail",
        allow_null=True,
        help_text="On a failure: the first line of the mail server's answer.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["detail"] = data["detail"] or None
        return data


class SentEmailOutput(serializers.Serializer):
    to = StrictCharField(source="to_email")
    subject = StrictCharField()
    body = StrictCharField(help_text="The text part as sent (the card link left out).")
    attachment = serializers.SerializerMethodField()
    card = serializers.JSONField(
        source="card_snapshot", help_text="The profile card as it was sent."
    )

    @extend_schema_field(
        inline_serializer(
            "SentAttachment",
            {"name": serializers.CharField(), "size": serializers.IntegerField(allow_null=True)},
            allow_null=True,
        )
    )
    def get_attachment(self, copy: ApplicationEmail) -> dict[str, Any] | None:
        if not copy.attachment_name:
            return None
        return {"name": copy.attachment_name, "size": copy.attachment_size}


def _sent_email(application: Application) -> ApplicationEmail | None:
    if application.kind != Application.Kind.EMAIL:
        return None
    return getattr(application, "sent_email", None)


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
    delivery = serializers.SerializerMethodField(
        help_text="E-mail applications: the mail's delivery; null for the others."
    )

    @extend_schema_field(DeliveryOutput(allow_null=True))
    def get_delivery(self, application: Application) -> dict[str, Any] | None:
        copy = _sent_email(application)
        return DeliveryOutput(copy).data if copy is not None else None

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
    card_url = serializers.SerializerMethodField(
        help_text="E-mail applications: the card the poster received, as a preview link (your "
        "own opening is not counted; the poster's first view moves the application to "
        "`viewed`); null for the others."
    )
    email = serializers.SerializerMethodField(
        help_text="E-mail applications: a copy of what was sent; null for the others."
    )

    @extend_schema_field(StrictURLField(allow_null=True))
    def get_card_url(self, application: Application) -> str | None:
        if application.kind != Application.Kind.EMAIL:
            return None
        url = card_link_url_for_application(application_id=application.pk)
        return card_preview_url(url) if url else None

    @extend_schema_field(SentEmailOutput(allow_null=True))
    def get_email(self, application: Application) -> dict[str, Any] | None:
        copy = _sent_email(application)
        return SentEmailOutput(copy).data if copy is not None else None

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
