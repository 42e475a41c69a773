"""The input checks that sign-up and the password services share."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

from accounts.models import Member, normalize_email
from ohmanager.exceptions import InvalidInput


def email_clean(email: str, *, field: str = "email") -> str:
    email = normalize_email(email)
    try:
        validate_email(email)
    except DjangoValidationError as error:
        raise InvalidInput(fields={field: list(error.messages)}) from error
    return email


def password_validate(password: str, *, member: Member, field: str) -> None:
    """Django's validators (min length, common list, numeric, similarity to the email)."""
    try:
        password_validation.validate_password(password, user=member)
    except DjangoValidationError as error:
        raise InvalidInput(
            "The password is too weak.", code="weak_password", fields={field: list(error.messages)}
        ) from error
