"""Input and output shapes of the accounts endpoints. No writes happen here."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import selectors
from accounts.api.profile_serializers import ProfileOutput
from accounts.models import Member, MemberSession, validate_birth_date
from ohmanager.fields import (
    ModelSerializer,
    StrictCharField,
    StrictEmailField,
    StrictIntegerField,
    StrictRegexField,
)

# `needs` values of `GET me` (the contract, "Guardians").
MEMBER_NEEDS = ("birth_date", "guardian_consent")

# No maximum below 128 (ASVS); a ceiling still keeps a hash of megabytes off the CPU.
PASSWORD_MAX_LENGTH = 1024


def password_field() -> StrictCharField:
    return StrictCharField(write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH)


class SignupInput(serializers.Serializer):
    email = StrictEmailField(max_length=254)
    password = password_field()
    # Required (issue #17): under 14 on the Seoul date of sign-up means a guardian consents.
    birth_date = serializers.DateField(validators=[validate_birth_date])
    language = serializers.ChoiceField(choices=Member.Language.choices, required=False)


class SignupOutput(serializers.Serializer):
    id = serializers.UUIDField()
    email = StrictEmailField()
    status = StrictCharField()


class EmailInput(serializers.Serializer):
    email = StrictEmailField(max_length=254)


class CodeInput(EmailInput):
    code = StrictRegexField(r"^\d{6}$", max_length=6)


class LoginInput(serializers.Serializer):
    email = StrictEmailField(max_length=254)
    password = password_field()


class SessionRef(serializers.Serializer):
    id = StrictCharField()
    expires_at = serializers.DateTimeField()


class LoginOutput(serializers.Serializer):
    access = StrictCharField()
    refresh = StrictCharField()
    session = SessionRef()


class RefreshInput(serializers.Serializer):
    refresh = StrictCharField(max_length=2048)


class RefreshOutput(serializers.Serializer):
    access = StrictCharField()
    refresh = StrictCharField()


class SessionOutput(ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = MemberSession
        fields = (
            "id",
            "created_at",
            "last_seen_at",
            "expires_at",
            "user_agent",
            "ip_address",
            "current",
        )

    def get_current(self, session: MemberSession) -> bool:
        current = getattr(self.context.get("request"), "auth", None)
        return isinstance(current, MemberSession) and current.pk == session.pk


class PasswordResetConfirmInput(CodeInput):
    new_password = password_field()


class PasswordChangeInput(serializers.Serializer):
    current_password = password_field()
    new_password = password_field()


class PasswordChangeOutput(serializers.Serializer):
    revoked_sessions = StrictIntegerField()


class MemberOutput(ModelSerializer):
    profile = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = ("id", "email", "status", "language", "date_joined", "needs", "profile")

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=MEMBER_NEEDS)))
    def get_needs(self, member: Member) -> list[str]:
        return selectors.member_needs(member=member)

    def get_profile(self, member: Member) -> ProfileOutput | None:
        profile = getattr(member, "profile", None)
        return ProfileOutput(profile).data if profile is not None else None


class MemberUpdateInput(serializers.Serializer):
    """Only these fields are writable; anything else in the body (status, is_staff, email) is
    dropped by the serializer, never assigned."""

    language = serializers.ChoiceField(choices=Member.Language.choices, required=False)


class WithdrawInput(serializers.Serializer):
    password = password_field()
