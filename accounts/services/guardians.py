"""Guardians of children under 14 (issue #17; PIPA art. 22-2): the request, the consent given
with the e-mailed code, the revocation, the erasure when consent is not given again in time,
and the age check after a birth date changed.

`guardian_consent_give` is not one transaction (see accounts.services): a wrong code is
counted although the request then fails (accounts.services.codes.code_check).
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.utils import timezone

from accounts import selectors
from accounts.guardians import tokens
from accounts.models import (
    GUARDIAN_NOTICE_VERSION,
    GuardianConsent,
    Member,
    VerificationCode,
    normalize_email,
)
from accounts.services.codes import code_check, code_consume, code_issue
from accounts.services.sessions import sessions_revoke_all
from accounts.services.withdrawal import member_erase
from emails.services import email_enqueue
from ohmanager.exceptions import Conflict, InvalidInput, NotFound

logger = logging.getLogger("accounts.guardians")

# A guardian reads her mail when she does: the consent code lives longer than a sign-up code
# (the same per-code and per-account guess limits apply).
GUARDIAN_CODE_LIFETIME = timedelta(hours=72)
# After a revocation the child's data stays this long, in case the guardian consents again.
GUARDIAN_REVOCATION_GRACE = timedelta(days=7)
CONSENT_REQUEST_TEMPLATE = "guardian_consent_request"
Purpose = VerificationCode.Purpose
Status = GuardianConsent.Status


def _clean_ip(ip: str | None) -> str | None:
    try:
        validate_ipv46_address(ip or "")
    except ValidationError:
        return None
    return ip


def _mailbox(email: str) -> str:
    """The mailbox an address reaches: lower-cased, a `+tag` in the local part dropped
    (child+mom@x.kr reaches child@x.kr), so a child cannot name herself as the guardian."""
    local, at, domain = normalize_email(email).rpartition("@")
    if not at:
        return normalize_email(email)
    return f"{local.split('+', 1)[0]}@{domain}"


def _record_by_token(token: str, *, lock: bool = False) -> GuardianConsent:
    record = selectors.guardian_consent_by_token(token=token)
    if record is None:
        raise NotFound("No such consent request.", code="consent_not_found")
    if lock:  # the row lock, then a fresh read under it
        record = (
            GuardianConsent.objects.select_for_update().select_related("member").get(pk=record.pk)
        )
    return record


def _consent_required(member: Member) -> bool:
    age = selectors.member_age(member=member)
    return age is not None and age < selectors.GUARDIAN_CONSENT_AGE


def _given_under_consent_age(record: GuardianConsent, member: Member) -> bool:
    """Whether the consent was given for a child under 14 (on the Seoul date it was given):
    such a consent's revocation suspends her whatever her age now."""
    birth_date = selectors.member_birth_date(member=member)
    if birth_date is None or record.given_at is None:
        return False
    given_on = timezone.localdate(record.given_at, timezone=selectors.SEOUL)
    return selectors.age_on(birth_date, given_on) < selectors.GUARDIAN_CONSENT_AGE


def _request_email(*, record: GuardianConsent, member: Member, token: str, code: str) -> None:
    """The guardian's mail: the consent page's link, the code and the revocation link. The
    code and the token travel in the outbox row's sealed context only."""
    email_enqueue(
        to_email=record.email,
        template=CONSENT_REQUEST_TEMPLATE,
        language=member.language,
        member=member,
        context={
            "guardian_name": record.name,
            "child_email": member.email,
            "consent_url": tokens.consent_url(token),
            "revoke_url": tokens.revoke_url(token),
            "code": code,
            "hours": int(GUARDIAN_CODE_LIFETIME.total_seconds() // 3600),
            "renewal": record.renewal,
        },
    )


def _code_send(*, record: GuardianConsent, member: Member) -> None:
    _, code = code_issue(
        member=member, purpose=Purpose.GUARDIAN_CONSENT, lifetime=GUARDIAN_CODE_LIFETIME
    )
    _request_email(
        record=record,
        member=member,
        token=tokens.guardian_token_open(record.sealed_token),
        code=code,
    )


def _record_new(*, member: Member, renewal: bool = False, **details: str) -> GuardianConsent:
    token = tokens.guardian_token_new()
    record = GuardianConsent(
        member=member,
        notice_version=GUARDIAN_NOTICE_VERSION,
        token_hash=tokens.guardian_token_hash(token),
        sealed_token=tokens.guardian_token_seal(token),
        renewal=renewal,
        **details,
    )
    try:
        record.full_clean(exclude=["member"])
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error
    record.save(force_insert=True)
    return record


@transaction.atomic
def guardian_request(
    *, member: Member, name: str, relationship: str, email: str, phone: str = ""
) -> GuardianConsent:
    """The child (or the guardian, from her session) names the guardian, who is mailed the
    consent link and a code. A newer request supersedes an unanswered one. Only a minor names
    a guardian; one who already consented is not replaced here."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not selectors.member_is_minor(member=member):
        raise Conflict("Only members under 19 name a guardian.", code="guardian_not_needed")
    if selectors.guardian_consent_given(member=member) is not None:
        raise Conflict("A guardian has already consented.", code="guardian_already_consented")
    if _mailbox(email) == _mailbox(member.email):
        message = "The guardian's e-mail must not be the member's own (nor a +tag of it)."
        raise InvalidInput(message, fields={"email": [message]})
    now = timezone.now()
    GuardianConsent.objects.filter(
        member=member, status=Status.REQUESTED, superseded_at__isnull=True
    ).update(superseded_at=now)
    record = _record_new(
        member=member, name=name, relationship=relationship, email=email, phone=phone or ""
    )
    _code_send(record=record, member=member)
    return record


@transaction.atomic
def guardian_request_resend(*, member: Member) -> None:
    """A new code (the old one dies) and the same link, to the guardian of the open request."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    record = selectors.guardian_consent_current(member=member)
    if record is None or record.status != Status.REQUESTED:
        raise Conflict("There is no consent request waiting.", code="no_consent_request")
    _code_send(record=record, member=member)


def guardian_consent_give(*, token: str, code: str, ip: str | None, user_agent: str) -> None:
    """The guardian consents on the page with the code: single use and the same guess limits
    as the member codes (accounts.services.codes). See the module docstring."""
    record = _record_by_token(token)
    if record.status != Status.REQUESTED or record.superseded_at is not None:
        raise Conflict("This request cannot be answered any more.", code="consent_closed")
    verification = code_check(
        email=record.member.email, purpose=Purpose.GUARDIAN_CONSENT, code=code
    )
    _consent_apply(record_id=record.pk, verification=verification, ip=ip, user_agent=user_agent)


@transaction.atomic
def _consent_apply(
    *, record_id: object, verification: VerificationCode, ip: str | None, user_agent: str
) -> None:
    code_consume(verification=verification)
    record = GuardianConsent.objects.select_for_update().get(pk=record_id)
    member = Member.objects.select_for_update().get(pk=record.member_id)
    if record.status != Status.REQUESTED or record.superseded_at is not None:
        raise Conflict("This request cannot be answered any more.", code="consent_closed")
    now = timezone.now()
    GuardianConsent.objects.filter(pk=record.pk).update(
        status=Status.GIVEN,
        given_at=now,
        given_ip=_clean_ip(ip),
        given_user_agent=(user_agent or "")[:256],
    )
    # Waiting for this consent, or suspended by a revocation this renewal answers (never a
    # suspension of the staff's: that one stays until staff lift it).
    if member.status == Member.Status.PENDING_GUARDIAN or (
        record.renewal
        and member.status == Member.Status.SUSPENDED
        and member.suspension_reason == Member.SuspensionReason.GUARDIAN_REVOKED
    ):
        member.status = Member.Status.ACTIVE
        member.suspension_reason = ""
        member.save(update_fields=["status", "suspension_reason", "updated_at"])
    logger.info("guardian consent %s given for member %s", record.pk, member.pk)


@transaction.atomic
def guardian_consent_revoke(*, token: str, ip: str | None, user_agent: str) -> GuardianConsent:
    """The guardian revokes (or declines) from the link in any of her e-mails. A child who was
    under 14 when the consent was given loses her account at once (suspended, every session
    revoked) and, still under 14, her data after GUARDIAN_REVOCATION_GRACE unless consent is
    given again (guardians_unconsented_erase). Revoking twice changes nothing."""
    record = _record_by_token(token, lock=True)
    if record.status == Status.REVOKED:
        return record
    now = timezone.now()
    was_given = record.status == Status.GIVEN
    GuardianConsent.objects.filter(pk=record.pk).update(
        status=Status.REVOKED,
        revoked_at=now,
        revoked_ip=_clean_ip(ip),
        revoked_user_agent=(user_agent or "")[:256],
    )
    member = Member.objects.select_for_update().get(pk=record.member_id)
    # The open code dies with the request.
    selectors.verification_codes_live(member_id=member.pk, purpose=Purpose.GUARDIAN_CONSENT).update(
        invalidated_at=now
    )
    # The age when consent was given, not today's: a child who turned 14 since (or whose birth
    # date changed) is still one whose data the guardian consented to (review of #17).
    if was_given and _given_under_consent_age(record, member) and member.can_sign_in:
        member.status = Member.Status.SUSPENDED
        member.suspension_reason = Member.SuspensionReason.GUARDIAN_REVOKED
        member.save(update_fields=["status", "suspension_reason", "updated_at"])
        sessions_revoke_all(member=member, reason="guardian_revoked")
    record.refresh_from_db()
    logger.info("guardian consent %s revoked for member %s", record.pk, member.pk)
    return record


def guardian_renewal_open(record: GuardianConsent, now: datetime | None = None) -> bool:
    """Whether the page may still offer to consent again after this revocation."""
    now = now or timezone.now()
    return (
        record.status == Status.REVOKED
        and record.revoked_at is not None
        and record.erased_at is None
        and now - record.revoked_at < GUARDIAN_REVOCATION_GRACE
        and record.member.status == Member.Status.SUSPENDED
        and not GuardianConsent.objects.filter(
            member_id=record.member_id, requested_at__gt=record.requested_at
        ).exists()
    )


@transaction.atomic
def guardian_consent_renew(*, token: str) -> GuardianConsent:
    """From a revoked record's page, within the grace: a new request with the same guardian
    (a new record; the revoked one stays as it is) and a new code by e-mail."""
    record = _record_by_token(token, lock=True)
    if not guardian_renewal_open(record):
        raise Conflict("Consent can no longer be given again here.", code="consent_closed")
    member = Member.objects.select_for_update().get(pk=record.member_id)
    renewal = _record_new(
        member=member,
        renewal=True,
        name=record.name,
        relationship=record.relationship,
        email=record.email,
        phone=record.phone,
    )
    _code_send(record=renewal, member=member)
    return renewal


def guardians_unconsented_erase(*, now: datetime | None = None) -> int:
    """The periodic erasure: a child whose guardian revoked more than GUARDIAN_REVOCATION_GRACE
    ago, and who has had no consent since, is erased like a withdrawal. Returns how many."""
    now = now or timezone.now()
    erased = 0
    due = selectors.guardian_consents_to_erase(revoked_before=now - GUARDIAN_REVOCATION_GRACE)
    for record_id in list(due.values_list("pk", flat=True)):
        erased += _unconsented_erase_one(record_id=record_id, now=now)
    return erased


@transaction.atomic
def _unconsented_erase_one(*, record_id: object, now: datetime) -> int:
    record = GuardianConsent.objects.select_for_update().select_related("member").get(pk=record_id)
    due = selectors.guardian_consents_to_erase(revoked_before=now - GUARDIAN_REVOCATION_GRACE)
    if not due.filter(pk=record.pk).exists():  # consented again meanwhile
        return 0
    if not _consent_required(record.member):
        # 14 or over now (or a 14-18-year-old's guardian revoked): no consent is needed, so
        # nothing is erased for want of one. One who turned 14 after the consent stays
        # suspended until staff reactivate her (member_reactivate goes by today's age).
        return 0
    member_erase(member=record.member, reason="guardian_revoked")
    GuardianConsent.objects.filter(member_id=record.member_id, erased_at__isnull=True).update(
        erased_at=now
    )
    logger.info("member %s erased: consent %s not given again", record.member_id, record_id)
    return 1


@transaction.atomic
def member_age_recheck(*, member: Member) -> bool:
    """After the birth date changed: an active member now under 14 without a consent on
    record waits for a guardian (`pending_guardian`). True if her status changed."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE or not _consent_required(member):
        return False
    if selectors.guardian_consent_given(member=member) is not None:
        return False
    member.status = Member.Status.PENDING_GUARDIAN
    member.save(update_fields=["status", "updated_at"])
    return True
