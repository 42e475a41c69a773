"""Input and output shapes of `me/profile`, `me/photos` and `me/filmography`. No writes here.

Inputs check types, choices and list sizes (so the schema tells the app); ranges and the other
one-model rules are the model's, enforced by the services' `full_clean()`.
"""

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from accounts.models import (
    HEIGHT_CM_RANGE,
    LANGUAGES_MAX,
    LIST_ITEM_MAX_LENGTH,
    SKILLS_MAX,
    WEIGHT_KG_RANGE,
    Member,
    Photo,
    Profile,
)
from accounts.profiles.completeness import profile_completeness
from auditions.models import Category, Region
from ohmanager.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictRegexField,
)

# API name -> model field of the notification switches (the model's names say what they are
# for; the API groups them under `notifications`).
NOTIFICATIONS = {
    "deadline_reminders": "notify_deadline_reminders",
    "shoot_reminders": "notify_shoot_reminders",
    "stale_applications": "notify_stale_applications",
    "saved_search_alerts": "notify_saved_search_alerts",
    "recommendations": "notify_recommendations",
    "card_viewed": "notify_card_viewed",
}


def _text_list(max_items: int) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=LIST_ITEM_MAX_LENGTH),
        max_length=max_items,
        required=False,
    )


def _choice_list(choices: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices.choices),
        max_length=len(choices),
        required=False,
    )


# --- Output ---------------------------------------------------------------------------------


class PhotoOutput(serializers.Serializer):
    id = serializers.UUIDField()
    # Presigned, short-lived URLs on S3 (the storage signs them): fetch, don't store them.
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    is_primary = StrictBooleanField()
    width = StrictIntegerField()
    height = StrictIntegerField()
    created_at = serializers.DateTimeField()

    def get_url(self, photo: Photo) -> str:
        return photo.image.url

    def get_thumbnail_url(self, photo: Photo) -> str:
        return photo.thumbnail.url


class CreditOutput(serializers.Serializer):
    id = serializers.UUIDField()
    title = StrictCharField()
    year = StrictIntegerField()
    kind = serializers.ChoiceField(choices=Category.choices)
    role_name = StrictCharField()
    created_at = serializers.DateTimeField()


class NotificationsOutput(serializers.Serializer):
    deadline_reminders = StrictBooleanField(source="notify_deadline_reminders")
    shoot_reminders = StrictBooleanField(source="notify_shoot_reminders")
    stale_applications = StrictBooleanField(source="notify_stale_applications")
    saved_search_alerts = StrictBooleanField(source="notify_saved_search_alerts")
    recommendations = StrictBooleanField(source="notify_recommendations")
    card_viewed = StrictBooleanField(source="notify_card_viewed")


class ProfileOutput(serializers.Serializer):
    display_name = StrictCharField()
    birth_date = serializers.DateField(allow_null=True)
    gender = serializers.SerializerMethodField()
    height_cm = StrictIntegerField(allow_null=True)
    weight_kg = StrictIntegerField(allow_null=True)
    bio = StrictCharField()
    skills = serializers.ListField(child=StrictCharField())
    languages = serializers.ListField(child=StrictCharField())
    interests = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    regions = serializers.ListField(child=serializers.ChoiceField(choices=Region.choices))
    representation = serializers.ChoiceField(choices=Profile.Representation.choices)
    agency_name = StrictCharField()
    phone = StrictCharField()
    contact_visibility = serializers.ChoiceField(choices=Profile.ContactVisibility.choices)
    email_language = StrictCharField(source="member.language")
    notifications = NotificationsOutput(source="*")
    photos = PhotoOutput(many=True, source="photos.all")
    filmography = CreditOutput(many=True, source="credits.all")
    completeness = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_gender(self, profile: Profile) -> str | None:
        return profile.gender or None

    def get_completeness(self, profile: Profile) -> dict[str, Any]:
        result = profile_completeness(profile=profile)
        return {"percent": result.percent, "missing": result.missing}


# --- Input ----------------------------------------------------------------------------------


class NotificationsInput(serializers.Serializer):
    deadline_reminders = StrictBooleanField(required=False)
    shoot_reminders = StrictBooleanField(required=False)
    stale_applications = StrictBooleanField(required=False)
    saved_search_alerts = StrictBooleanField(required=False)
    recommendations = StrictBooleanField(required=False)
    # The first time a poster opens the profile card of one of my e-mail applications.
    card_viewed = StrictBooleanField(required=False)


class ProfileUpdateInput(serializers.Serializer):
    """Only these are writable; anything else in the body is dropped, never assigned."""

    display_name = StrictCharField(max_length=50, allow_blank=True, required=False)
    birth_date = serializers.DateField(allow_null=True, required=False)
    gender = serializers.ChoiceField(
        choices=Profile.Gender.choices, allow_null=True, required=False
    )
    height_cm = StrictIntegerField(
        allow_null=True, required=False, min_value=HEIGHT_CM_RANGE[0], max_value=HEIGHT_CM_RANGE[1]
    )
    weight_kg = StrictIntegerField(
        allow_null=True, required=False, min_value=WEIGHT_KG_RANGE[0], max_value=WEIGHT_KG_RANGE[1]
    )
    bio = StrictCharField(max_length=2000, allow_blank=True, required=False)
    skills = _text_list(SKILLS_MAX)
    languages = _text_list(LANGUAGES_MAX)
    interests = _choice_list(Category)
    regions = _choice_list(Region)
    representation = serializers.ChoiceField(choices=Profile.Representation.choices, required=False)
    agency_name = StrictCharField(max_length=100, allow_blank=True, required=False)
    # The model's pattern (accounts.models), stated here so the schema tells the app.
    phone = StrictRegexField(
        r"^(\+?[0-9][0-9\- ]{6,18})?$", max_length=20, allow_blank=True, required=False
    )
    contact_visibility = serializers.ChoiceField(
        choices=Profile.ContactVisibility.choices, required=False
    )
    email_language = serializers.ChoiceField(choices=Member.Language.choices, required=False)
    notifications = NotificationsInput(required=False)

    def service_kwargs(self) -> dict[str, Any]:
        """The validated body as `profile_update` keywords (notifications flattened)."""
        data = dict(self.validated_data)
        for name, value in data.pop("notifications", {}).items():
            data[NOTIFICATIONS[name]] = value
        return data


class PhotoUploadInput(serializers.Serializer):
    # A plain file: the content is checked by Pillow in the service, not by the declared type.
    image = serializers.FileField(allow_empty_file=False, use_url=False)


class CreditInput(serializers.Serializer):
    title = StrictCharField(max_length=200)
    year = StrictIntegerField(min_value=1900)
    kind = serializers.ChoiceField(choices=Category.choices)
    role_name = StrictCharField(max_length=100, allow_blank=True, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The schema states the model's range (validate_credit_year), which moves with the year.
        self.fields["year"].max_value = timezone.localdate().year + 5
