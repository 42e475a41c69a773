"""Verification codes (sign-up and password reset): issue, email, check, consume.

`code_check` commits a wrong guess before it raises, so it is never called inside a
transaction of the caller's (see accounts.services).
"""

import enum
import secrets
import uuid
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import selectors
from accounts.models import Member, VerificationCode, normalize_email
from emails.services import email_enqueue
from ohmanager.exceptions import Gone, InvalidInput, Throttled

CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# Wrong codes per account and purpose within an hour, summed over every code issued in it: a
# resend or a new reset request never buys more guesses.
ACCOUNT_WRONG_CODES_PER_HOUR = 10
WRONG_CODES_WINDOW = timedelta(hours=1)
# Each sign-up of a pending address has its own code; the newest few stay usable, and a resend
# renews those made within the day.
SIGNUP_CODES_LIVE = 3


def _invalid_code() -> InvalidInput:
    message = "The code is not valid."
    return InvalidInput(message, code="invalid_code", fields={"code": [message]})


def _code_hash(code_id: uuid.UUID, code: str) -> str:
    """HMAC keyed by SECRET_KEY: a leaked table cannot be brute-forced over the 10^6 codes."""
    digest = salted_hmac("accounts.verification-code", f"{code_id}:{code}", algorithm="sha256")
    return digest.hexdigest()


def code_issue(
    *,
    member: Member,
    purpose: str,
    password_hash: str = "",
    signed_up_at: datetime | None = None,
    birth_date: date | None = None,
    replaces: VerificationCode | None = None,
    lifetime: timedelta = CODE_LIFETIME,
) -> tuple[VerificationCode, str]:
    """Issues a code and returns it with the plain code, which only the email will carry.

    A reset code replaces the live one. A sign-up code replaces only `replaces` (its own
    sign-up's earlier code, on a resend) and the oldest beyond SIGNUP_CODES_LIVE, so a second
    sign-up of the address never voids the first one's code. The caller holds a row lock on
    the member, so two requests cannot both insert a live code. Any other purpose (a
    guardian's consent code) replaces the live one like a reset code. `lifetime`: a guardian
    reads her mail when she does, so her code lives longer (the guess limits are the same).
    """
    now = timezone.now()
    live = selectors.verification_codes_live(member_id=member.id, purpose=purpose)
    if purpose == VerificationCode.Purpose.SIGNUP:
        keep = live.exclude(pk=getattr(replaces, "pk", None)).order_by("-created_at")
        kept = list(keep.values_list("pk", flat=True)[: SIGNUP_CODES_LIVE - 1])
        live = live.exclude(pk__in=kept)
    live.update(invalidated_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    verification = VerificationCode(
        member=member,
        purpose=purpose,
        password_hash=password_hash,
        signed_up_at=signed_up_at,
        birth_date=birth_date,
        created_at=now,
        expires_at=now + lifetime,
    )
    verification.code_hash = _code_hash(verification.id, code)
    verification.full_clean()
    verification.save(force_insert=True)
    return verification, code


def code_email(*, member: Member, verification: VerificationCode, code: str) -> None:
    """Queues the email that carries a code. The code goes into the outbox row's sealed
    context and nowhere else: not a task argument, not a log line."""
    signup = verification.purpose == VerificationCode.Purpose.SIGNUP
    context: dict[str, object] = {
        "code": code,
        "minutes": int(CODE_LIFETIME.total_seconds() // 60),
    }
    if signup and verification.signed_up_at is not None:
        local = timezone.localtime(verification.signed_up_at)
        context["signed_up_at"] = local.strftime("%Y-%m-%d %H:%M")
    email_enqueue(
        to_email=member.email,
        template="signup_code" if signup else "password_reset_code",
        language=member.language,
        member=member,
        context=context,
    )


class _CodeOutcome(enum.Enum):
    OK = "ok"
    INVALID = "invalid"
    EXPIRED = "expired"
    LOCKED = "locked"


def _account_code_lock(*, member_id: uuid.UUID, purpose: str, now: datetime) -> int | None:
    """Seconds until this account may be guessed at again, if the wrong guesses against its
    codes of one purpose within the window, whichever code they were made against, are used
    up; else None."""
    total, oldest = selectors.code_wrong_guesses(
        member_id=member_id, purpose=purpose, since=now - WRONG_CODES_WINDOW
    )
    if total < ACCOUNT_WRONG_CODES_PER_HOUR:
        return None
    return max(1, int((oldest + WRONG_CODES_WINDOW - now).total_seconds()) + 1)


def _code_match(
    live: list[VerificationCode], code: str, now: datetime
) -> tuple[_CodeOutcome, VerificationCode | None]:
    """Which live code (newest first) the guess opens. Every candidate is compared, so the
    answer takes as long whichever matched."""
    usable = [v for v in live if v.expires_at > now and v.attempts < CODE_MAX_ATTEMPTS]
    matches = [v for v in live if constant_time_compare(v.code_hash, _code_hash(v.id, code))]
    opened = next((v for v in matches if v in usable), None)
    if opened is not None:
        return _CodeOutcome.OK, opened
    if any(v.expires_at <= now for v in matches):
        return _CodeOutcome.EXPIRED, None  # the right code, too late
    if not usable:
        locked = any(v.expires_at > now for v in live)
        return (_CodeOutcome.LOCKED if locked else _CodeOutcome.EXPIRED), None
    return _CodeOutcome.INVALID, usable[0]


def code_check(*, email: str, purpose: str, code: str) -> VerificationCode:
    """Checks a code without consuming it. A wrong guess is committed before the error is raised,
    so callers must not wrap this in a transaction of their own."""
    now = timezone.now()
    with transaction.atomic():
        live = list(
            VerificationCode.objects.select_for_update()
            .filter(
                member__email=normalize_email(email),
                purpose=purpose,
                consumed_at__isnull=True,
                invalidated_at__isnull=True,
            )
            .order_by("-created_at")
        )
        verification, retry_after = None, 60
        account_lock = live and _account_code_lock(
            member_id=live[0].member_id, purpose=purpose, now=now
        )
        if not live:
            outcome = _CodeOutcome.INVALID
        elif account_lock:
            outcome, retry_after = _CodeOutcome.LOCKED, account_lock
        else:
            outcome, verification = _code_match(live, code, now)
            if outcome is _CodeOutcome.INVALID:
                # One wrong guess counts once, against the newest code it could have opened.
                VerificationCode.objects.filter(pk=verification.pk).update(
                    attempts=F("attempts") + 1
                )

    if outcome is _CodeOutcome.EXPIRED:
        raise Gone("The code has expired. Request a new one.", code="code_expired")
    if outcome is _CodeOutcome.LOCKED:
        raise Throttled(
            "Too many wrong codes. Request a new one later.",
            code="too_many_attempts",
            retry_after=retry_after,
        )
    if outcome is _CodeOutcome.INVALID:
        raise _invalid_code()
    assert verification is not None
    return verification


def code_consume(*, verification: VerificationCode) -> None:
    """Single use: the conditional UPDATE lets exactly one of two concurrent callers win."""
    used = VerificationCode.objects.filter(
        pk=verification.pk, consumed_at__isnull=True, invalidated_at__isnull=True
    ).update(consumed_at=timezone.now())
    if used != 1:
        raise _invalid_code()
