"""Passwords: the signed-in change, and the reset by an emailed code.

`password_reset_confirm` is not one transaction (see accounts.services): a wrong code is
counted although the request then fails.
"""

from django.db import transaction

from accounts.models import SIGNED_IN_STATUSES, Member, VerificationCode
from accounts.services.codes import code_check, code_consume, code_email, code_issue
from accounts.services.inputs import email_clean, password_validate
from accounts.services.sessions import sessions_revoke_all
from emails.services import email_enqueue
from ohmanager.exceptions import Conflict, InvalidInput


def _password_changed_email(member: Member) -> None:
    email_enqueue(
        to_email=member.email,
        template="password_changed",
        language=member.language,
        member=member,
    )


@transaction.atomic
def password_change(
    *, member: Member, current_password: str, new_password: str, keep_session_id: str | None
) -> int:
    """Sets a new password and revokes every other session; returns how many were revoked."""
    if not member.check_password(current_password):
        raise InvalidInput(
            "The current password is incorrect.",
            code="invalid_password",
            fields={"current_password": ["The current password is incorrect."]},
        )
    password_validate(new_password, member=member, field="new_password")
    member.set_password(new_password)
    member.save(update_fields=["password", "updated_at"])
    revoked = sessions_revoke_all(
        member=member, reason="password_change", keep_session_id=keep_session_id
    )
    _password_changed_email(member)
    return revoked


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Emails a reset code to an active member; does nothing, visibly the same, otherwise."""
    email = email_clean(email)
    member = (
        Member.objects.select_for_update()
        .filter(email=email, status__in=SIGNED_IN_STATUSES)
        .first()
    )
    if member is not None:
        verification, code = code_issue(
            member=member, purpose=VerificationCode.Purpose.PASSWORD_RESET
        )
        code_email(member=member, verification=verification, code=code)


def password_reset_confirm(*, email: str, code: str, new_password: str) -> Member:
    """Sets a new password with an emailed code and revokes every session of the member."""
    email = email_clean(email)
    # Checked before the code so a weak password does not use up one of the five tries.
    password_validate(new_password, member=Member(email=email), field="new_password")
    verification = code_check(
        email=email, purpose=VerificationCode.Purpose.PASSWORD_RESET, code=code
    )
    return _password_reset_apply(verification=verification, new_password=new_password)


@transaction.atomic
def _password_reset_apply(*, verification: VerificationCode, new_password: str) -> Member:
    code_consume(verification=verification)
    member = Member.objects.select_for_update().get(pk=verification.member_id)
    if not member.can_sign_in:
        raise Conflict("This account cannot be reset.", code="invalid_state")
    member.set_password(new_password)
    member.save(update_fields=["password", "updated_at"])
    sessions_revoke_all(member=member, reason="password_reset")
    _password_changed_email(member)
    return member
