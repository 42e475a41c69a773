"""Sign-up, the resend of its codes, and activation.

`member_verify` is not one transaction (see accounts.services): a wrong code is counted although
the request then fails.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import selectors
from accounts.models import Member, VerificationCode, validate_birth_date
from accounts.services.codes import (
    SIGNUP_CODES_LIVE,
    code_check,
    code_consume,
    code_email,
    code_issue,
)
from accounts.services.inputs import email_clean, password_validate
from accounts.services.members import profile_prepare
from emails.services import email_enqueue
from ohmanager.exceptions import Conflict, InvalidInput

SIGNUP_RESEND_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class SignupResult:
    id: uuid.UUID
    email: str
    status: str


def _signup_code_email(
    *,
    member: Member,
    password_hash: str,
    birth_date: date | None,
    signed_up_at: datetime | None = None,
    replaces: VerificationCode | None = None,
) -> None:
    verification, code = code_issue(
        member=member,
        purpose=VerificationCode.Purpose.SIGNUP,
        password_hash=password_hash,
        signed_up_at=signed_up_at or timezone.now(),
        birth_date=birth_date,
        replaces=replaces,
    )
    code_email(member=member, verification=verification, code=code)


@transaction.atomic
def member_signup(
    *, email: str, password: str, birth_date: date, language: str | None = None
) -> SignupResult:
    """Creates a pending member and emails a code. For an address that already has an account
    the answer is the same (with an id that reveals nothing) and only its owner hears of it.
    The birth date travels with the sign-up's code (like its password) to the profile."""
    email = email_clean(email)
    _birth_date_check(birth_date)
    language = language if language in Member.Language.values else Member.Language.KOREAN
    candidate = Member(email=email, language=language, status=Member.Status.PENDING)
    password_validate(password, member=candidate, field="password")

    existing = Member.objects.select_for_update().filter(email=email).first()
    if existing is None:
        candidate.set_password(password)
        candidate.full_clean(exclude=["password"])
        try:
            with transaction.atomic():
                candidate.save(force_insert=True)
        except IntegrityError:
            # A concurrent sign-up for the same address won; answer like a duplicate.
            return SignupResult(id=uuid.uuid4(), email=email, status=Member.Status.PENDING)
        _signup_code_email(
            member=candidate, password_hash=candidate.password, birth_date=birth_date
        )
        return SignupResult(id=candidate.id, email=email, status=Member.Status.PENDING)

    # Hash anyway: a duplicate must take as long as a fresh sign-up.
    password_hash = make_password(password)
    if existing.status == Member.Status.PENDING:
        # Never verified: this sign-up gets a code of its own, bound to the password chosen
        # with it. Whoever reads the mailbox activates the password of the code she enters;
        # nobody else's sign-up can change it, whichever came first.
        _signup_code_email(member=existing, password_hash=password_hash, birth_date=birth_date)
    else:
        email_enqueue(
            to_email=existing.email,
            template="account_exists",
            language=existing.language,
            member=existing,
        )
    return SignupResult(id=uuid.uuid4(), email=email, status=Member.Status.PENDING)


@transaction.atomic
def verification_resend(*, email: str) -> None:
    """New codes for a pending member's sign-ups of the last day (each still bound to its own
    password, each email naming when its sign-up was made); silently nothing for any other
    address."""
    email = email_clean(email)
    member = (
        Member.objects.select_for_update().filter(email=email, status=Member.Status.PENDING).first()
    )
    if member is None:
        return
    recent = selectors.signup_codes_recent(
        member_id=member.id,
        since=timezone.now() - SIGNUP_RESEND_WINDOW,
        limit=SIGNUP_CODES_LIVE,
    )
    # Nothing recent to renew means nothing is sent: a code bound to the pending member's
    # password would activate whoever signed up first, perhaps not the mailbox's owner, who
    # signs up again instead (which mails her a code bound to her own password).
    for verification in recent:
        _signup_code_email(
            member=member,
            password_hash=verification.password_hash,
            birth_date=verification.birth_date,
            signed_up_at=verification.signed_up_at or verification.created_at,
            replaces=verification,
        )


def member_verify(*, email: str, code: str) -> Member:
    """Activates a pending member with their sign-up code. See the module docstring."""
    verification = code_check(email=email, purpose=VerificationCode.Purpose.SIGNUP, code=code)
    return _member_activate(verification=verification)


@transaction.atomic
def _member_activate(*, verification: VerificationCode) -> Member:
    code_consume(verification=verification)
    member = Member.objects.select_for_update().get(pk=verification.member_id)
    if member.status != Member.Status.PENDING:
        raise Conflict("This account cannot be activated.", code="invalid_state")
    signed_up_on = timezone.localdate(
        verification.signed_up_at or verification.created_at, timezone=selectors.SEOUL
    )
    child = (
        verification.birth_date is not None
        and selectors.age_on(verification.birth_date, signed_up_on) < selectors.GUARDIAN_CONSENT_AGE
    )
    # A child's account waits for her guardian (accounts.services.guardians).
    member.status = Member.Status.PENDING_GUARDIAN if child else Member.Status.ACTIVE
    if verification.password_hash:  # codes issued before sign-ups were bound keep the member's
        member.password = verification.password_hash
    member.full_clean(exclude=["password"])
    member.save(update_fields=["status", "password", "updated_at"])
    # The other sign-ups' codes die with the activation.
    selectors.verification_codes_live(
        member_id=member.id, purpose=VerificationCode.Purpose.SIGNUP
    ).update(invalidated_at=timezone.now())
    profile_prepare(member=member, birth_date=verification.birth_date)
    return member


def _birth_date_check(birth_date: date) -> None:
    try:
        validate_birth_date(birth_date)
    except DjangoValidationError as error:
        raise InvalidInput(error.messages[0], fields={"birth_date": error.messages}) from error
