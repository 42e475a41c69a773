"""Shapes of `me/guardian` (the contract, "Guardians")."""

from rest_framework import serializers

from accounts.models import GuardianConsent
from ohmanager.fields import StrictCharField, StrictEmailField, StrictRegexField


class GuardianInput(serializers.Serializer):
    name = StrictCharField(max_length=100)
    relationship = serializers.ChoiceField(choices=GuardianConsent.Relationship.choices)
    email = StrictEmailField(max_length=254)
    phone = StrictRegexField(
        r"^\+?[0-9][0-9\- ]{6,18}$", max_length=20, required=False, allow_blank=True
    )


class ConsentStateOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=GuardianConsent.Status.choices)
    # When the state was reached: requested, given or revoked.
    at = serializers.DateTimeField()


class GuardianOutput(serializers.Serializer):
    name = StrictCharField()
    relationship = serializers.ChoiceField(choices=GuardianConsent.Relationship.choices)
    email = StrictEmailField()
    phone = StrictCharField()
    notice_version = StrictCharField()
    consent = ConsentStateOutput()


class GuardianStateOutput(serializers.Serializer):
    """`guardian` and `consent` are null until a guardian is named."""

    guardian = GuardianOutput(allow_null=True)
    consent = ConsentStateOutput(allow_null=True)


def guardian_state(record: GuardianConsent | None) -> dict:
    if record is None:
        return {"guardian": None, "consent": None}
    at = {
        GuardianConsent.Status.REQUESTED: record.requested_at,
        GuardianConsent.Status.GIVEN: record.given_at,
        GuardianConsent.Status.REVOKED: record.revoked_at,
    }[record.status]
    consent = {"status": record.status, "at": at}
    guardian = {
        "name": record.name,
        "relationship": record.relationship,
        "email": record.email,
        "phone": record.phone,
        "notice_version": record.notice_version,
        "consent": consent,
    }
    return {"guardian": guardian, "consent": consent}
