"""Input and output shapes of `me/media` and `me/card`. No writes here."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.cards import hosts
from accounts.cards.services import EXPIRY_DAYS
from accounts.models import (
    MEDIA_DURATION_MAX_S,
    MEDIA_TITLE_MAX_LENGTH,
    MEDIA_URL_MAX_LENGTH,
    MediaLink,
)
from ohmanager.fields import StrictCharField, StrictIntegerField


def _media_url(value: str) -> None:
    # The model's rule (accounts.cards.hosts), run here too so the 400 names the field at once.
    try:
        hosts.media_host(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages, code="unsupported_media_url") from error


class MediaOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=MediaLink.Kind.choices)
    url = StrictCharField()
    title = StrictCharField()
    duration_s = StrictIntegerField(allow_null=True)
    host = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_host(self, link: MediaLink) -> str:
        """ "YouTube", "Vimeo", "Naver TV", "Kakao TV", "Instagram" or "Google Drive"."""
        return hosts.media_host_name(link.url)

    def get_thumbnail_url(self, link: MediaLink) -> str | None:
        """From the URL's pattern where the host gives one (YouTube); else null."""
        return hosts.media_thumbnail_url(link.url)


class MediaInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaLink.Kind.choices)
    url = StrictCharField(
        max_length=MEDIA_URL_MAX_LENGTH, validators=[_media_url], help_text=hosts.HOSTS_HELP
    )
    title = StrictCharField(max_length=MEDIA_TITLE_MAX_LENGTH, allow_blank=True, required=False)
    duration_s = StrictIntegerField(
        min_value=1, max_value=MEDIA_DURATION_MAX_S, allow_null=True, required=False
    )


class CardLinkOutput(serializers.Serializer):
    url = StrictCharField(help_text="The card's secret URL; share it with casting.")
    expires_at = serializers.DateTimeField(allow_null=True)
    views = StrictIntegerField(min_value=0)
    last_viewed_at = serializers.DateTimeField(allow_null=True)


class CardLinkInput(serializers.Serializer):
    expires_in_days = serializers.ChoiceField(
        choices=[(days, f"{days} days") for days in EXPIRY_DAYS],
        allow_null=True,
        required=False,
        help_text="7, 30 or 90 days; null or absent: no expiry.",
    )

    def to_internal_value(self, data):
        # A JSON number only: "7" or 7.0 are not a choice of the contract.
        value = data.get("expires_in_days") if isinstance(data, dict) else None
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise serializers.ValidationError(
                {"expires_in_days": ["Choose 7, 30 or 90 days, or null for no expiry."]}
            )
        return super().to_internal_value(data)
