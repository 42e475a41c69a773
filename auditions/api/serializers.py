"""Output shapes of the audition API (the contract, docs/architecture.md#the-contract).

The declared fields document the shape for the OpenAPI schema; `to_representation` builds the
same dict directly, because DRF's per-field machinery dominated the list's cost
(docs/architecture.md#traps, DRF speed). test_api pins the shape.
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone, translation
from rest_framework import serializers

from auditions import trust
from auditions.models import (
    ApplyMethod,
    Audition,
    Category,
    Gender,
    PayType,
    PayUnit,
    Region,
    Report,
)
from auditions.posters import PosterFigures
from auditions.selectors import display_status
from ohmanager.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictURLField,
)


class PaySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=PayType.choices)
    amount_min = StrictIntegerField(allow_null=True)
    amount_max = StrictIntegerField(allow_null=True)
    unit = serializers.ChoiceField(choices=PayUnit.choices, allow_null=True)
    currency = StrictCharField()
    raw = StrictCharField()


class RoleSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = StrictCharField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    age_min = StrictIntegerField(allow_null=True)
    age_max = StrictIntegerField(allow_null=True)
    height_min_cm = StrictIntegerField(allow_null=True)
    height_max_cm = StrictIntegerField(allow_null=True)
    headcount = StrictIntegerField(allow_null=True)
    description = StrictCharField()


class SourceSerializer(serializers.Serializer):
    name = StrictCharField()
    url = StrictURLField()


class ApplySerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ApplyMethod.choices)
    target = StrictCharField()
    direct_only = StrictBooleanField(
        help_text="The post refuses third-party submissions: the performer applies herself."
    )
    subject_format = StrictCharField(
        allow_null=True,
        help_text="The e-mail subject the post asks for, as written (e.g. `[배역/이름/나이]`); "
        "null when it states none.",
    )


class TrustFlagSerializer(serializers.Serializer):
    code = StrictCharField()
    reason = StrictCharField()


class TrustSerializer(serializers.Serializer):
    score = StrictIntegerField(min_value=0, max_value=100)
    flags = TrustFlagSerializer(many=True)


class PosterSerializer(serializers.Serializer):
    calls = StrictIntegerField(help_text="Calls we have seen from this poster.")
    reply_rate = StrictFloatField(
        allow_null=True,
        help_text="Share of our members' applications to its calls that moved past `applied`; "
        "null under 5 applications (the privacy floor).",
    )
    member_reports = StrictIntegerField(help_text="Reports of its calls by our members.")
    first_seen = serializers.DateTimeField()


class AuditionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = StrictCharField()
    category = serializers.ChoiceField(choices=Category.choices)
    company = StrictCharField()
    description = StrictCharField()
    production_type = StrictCharField()
    director = StrictCharField()
    casting_director = StrictCharField()
    region = serializers.ChoiceField(choices=Region.choices, allow_null=True)
    location = StrictCharField()
    pay = PaySerializer()
    deadline = serializers.DateField(allow_null=True, help_text="null = rolling")
    shoot_start = serializers.DateField(allow_null=True)
    shoot_end = serializers.DateField(allow_null=True)
    posted_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=["open", "closed", "expired"])
    roles = RoleSerializer(many=True)
    sources = SourceSerializer(many=True)
    apply = ApplySerializer()
    required_media = serializers.ListField(child=StrictCharField())
    trust = TrustSerializer()
    poster = PosterSerializer(
        allow_null=True, help_text="Who posted it, by what they did; null when unknown."
    )
    is_bookmarked = StrictBooleanField()
    applied = StrictBooleanField(help_text="The signed-in member applied to this audition.")
    application_id = serializers.UUIDField(
        allow_null=True, help_text="The signed-in member's application to it, if any."
    )

    def to_representation(self, instance: Audition) -> dict[str, Any]:
        today = self.context.get("today") or timezone.localdate()
        return audition_dict(instance, today, reader_language(self.context.get("request")))


def reader_language(request: Any) -> str:
    """The language trust reasons are served in: the signed-in member's, else the one
    LocaleMiddleware chose from Accept-Language (ko when none matches)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "language", ""):
        return user.language
    return "en" if translation.get_language() == "en" else "ko"


def poster_dict(figures: PosterFigures | None) -> dict[str, Any] | None:
    if figures is None:
        return None
    return {
        "calls": figures.calls,
        "reply_rate": figures.reply_rate,
        "member_reports": figures.member_reports,
        "first_seen": _datetime(figures.first_seen),
    }


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _uuid(value: object) -> str | None:
    return str(value) if value is not None else None


def _datetime(value: datetime) -> str:
    # Times go out in the server's zone (Asia/Seoul) with their offset, as DRF would.
    return timezone.localtime(value).isoformat()


def audition_dict(audition: Audition, today: date, language: str = "ko") -> dict[str, Any]:
    return {
        "id": str(audition.id),
        "title": audition.title,
        "category": audition.category,
        "company": audition.company,
        "description": audition.description,
        "production_type": audition.production_type,
        "director": audition.director,
        "casting_director": audition.casting_director,
        "region": audition.region or None,
        "location": audition.location,
        "pay": {
            "type": audition.pay_type,
            "amount_min": audition.pay_amount_min,
            "amount_max": audition.pay_amount_max,
            "unit": audition.pay_unit or None,
            "currency": audition.pay_currency,
            "raw": audition.pay_raw,
        },
        "deadline": _date(audition.deadline),
        "shoot_start": _date(audition.shoot_start),
        "shoot_end": _date(audition.shoot_end),
        "posted_at": _datetime(audition.posted_at),
        "status": display_status(audition, today),
        "roles": [{**role, "id": str(role["id"])} for role in audition.role_rows],
        "sources": audition.source_rows,
        "apply": {
            "method": audition.apply_method,
            "target": audition.apply_target,
            "direct_only": audition.apply_direct_only,
            "subject_format": audition.apply_subject_format or None,
        },
        "required_media": audition.required_media,
        "trust": {
            "score": audition.trust_score,
            "flags": trust.localized_flags(audition.trust_flags, language),
        },
        "poster": poster_dict(getattr(audition, "poster_figures", None)),
        "is_bookmarked": bool(getattr(audition, "is_bookmarked", False)),
        "applied": getattr(audition, "application_id", None) is not None,
        "application_id": _uuid(getattr(audition, "application_id", None)),
    }


class ReportInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")


class ReportOutput(serializers.Serializer):
    id = serializers.UUIDField()
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = StrictCharField()
    created_at = serializers.DateTimeField()
