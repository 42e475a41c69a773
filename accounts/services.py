"""Every write of the accounts app: sign-up, codes, sessions, passwords, withdrawal.

Two services are deliberately *not* one transaction: `member_verify` / `password_reset_confirm`
(a wrong code must be counted although the request then fails) and `session_refresh` (reuse of a
dead refresh token must revoke the session although the request then fails with 401). Their
views opt out of ATOMIC_REQUESTS; each step inside them is its own `transaction.atomic` block.
"""

import enum
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email, validate_ipv46_address
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings

from accounts import selectors
from accounts.models import (
    Member,
    MemberSession,
    Profile,
    VerificationCode,
    normalize_email,
)
from accounts.tokens import SESSION_CLAIM, SessionRefreshToken, TokenPair, token_pair_issue
from emails.services import email_enqueue, member_emails_forget, sent_emails_purge
from ohmanager.exceptions import (
    Conflict,
    Forbidden,
    Gone,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    Throttled,
)

logger = logging.getLogger("accounts.services")

CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# Wrong codes per account and purpose within an hour, summed over every code issued in it: a
# resend or a new reset request never buys more guesses.
ACCOUNT_WRONG_CODES_PER_HOUR = 10
WRONG_CODES_WINDOW = timedelta(hours=1)
# Each sign-up of a pending address has its own code; the newest few stay usable, and a resend
# renews those made within the day.
SIGNUP_CODES_LIVE = 3
SIGNUP_RESEND_WINDOW = timedelta(hours=24)
# Kept for the admin's audit view, then purged nightly.
DEAD_SESSION_RETENTION = timedelta(days=30)
DEAD_CODE_RETENTION = timedelta(days=1)

WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="api"'}


def _invalid_credentials() -> NotAuthenticated:
    return NotAuthenticated(
        "The email or password is incorrect.", code="invalid_credentials", headers=WWW_AUTHENTICATE
    )


def _clean_email(email: str, *, field: str = "email") -> str:
    email = normalize_email(email)
    try:
        validate_email(email)
    except DjangoValidationError as error:
        raise InvalidInput(fields={field: list(error.messages)}) from error
    return email


def _validate_password(password: str, *, member: Member, field: str) -> None:
    """Django's validators (min length, common list, numeric, similarity to the email)."""
    try:
        password_validation.validate_password(password, user=member)
    except DjangoValidationError as error:
        raise InvalidInput(
            "The password is too weak.", code="weak_password", fields={field: list(error.messages)}
        ) from error


_dummy_password_hash: str | None = None


def _burn_password_check(password: str) -> None:
    """Costs what a real password check costs, so an unknown email answers as slowly as a
    wrong password (Django's ModelBackend does the same)."""
    global _dummy_password_hash  # a per-process constant, made on first use
    if _dummy_password_hash is None:
        _dummy_password_hash = make_password(secrets.token_urlsafe(16))
    check_password(password, _dummy_password_hash)


# --- Verification codes ---------------------------------------------------------------------


def _invalid_code() -> InvalidInput:
    message = "The code is not valid."
    return InvalidInput(message, code="invalid_code", fields={"code": [message]})


def _code_hash(code_id: uuid.UUID, code: str) -> str:
    """HMAC keyed by SECRET_KEY: a leaked table cannot be brute-forced over the 10^6 codes."""
    digest = salted_hmac("accounts.verification-code", f"{code_id}:{code}", algorithm="sha256")
    return digest.hexdigest()


def _live_codes(*, member_id: uuid.UUID, purpose: str):
    return VerificationCode.objects.filter(
        member_id=member_id, purpose=purpose, consumed_at__isnull=True, invalidated_at__isnull=True
    )


def _code_issue(
    *,
    member: Member,
    purpose: str,
    password_hash: str = "",
    signed_up_at=None,
    replaces: VerificationCode | None = None,
) -> tuple[VerificationCode, str]:
    """Issues a code and returns it with the plain code, which only the email will carry.

    A reset code replaces the live one. A sign-up code replaces only `replaces` (its own
    sign-up's earlier code, on a resend) and the oldest beyond SIGNUP_CODES_LIVE, so a second
    sign-up of the address never voids the first one's code. The caller holds a row lock on
    the member, so two requests cannot both insert a live code.
    """
    now = timezone.now()
    live = _live_codes(member_id=member.id, purpose=purpose)
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
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    verification.code_hash = _code_hash(verification.id, code)
    verification.full_clean()
    verification.save(force_insert=True)
    return verification, code


def _code_email(*, member: Member, verification: VerificationCode, code: str) -> None:
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


def _account_code_lock(*, member_id: uuid.UUID, purpose: str, now) -> int | None:
    """Seconds until this account may be guessed at again, if the wrong guesses against its
    codes of one purpose within the window, whichever code they were made against, are used
    up (re-issued codes keep their rows and counts until purged); else None."""
    counted = VerificationCode.objects.filter(
        member_id=member_id, purpose=purpose, created_at__gte=now - WRONG_CODES_WINDOW
    ).aggregate(total=Sum("attempts"), oldest=Min("created_at", filter=Q(attempts__gt=0)))
    if (counted["total"] or 0) < ACCOUNT_WRONG_CODES_PER_HOUR:
        return None
    return max(1, int((counted["oldest"] + WRONG_CODES_WINDOW - now).total_seconds()) + 1)


def _code_match(
    live: list[VerificationCode], code: str, now
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


def _code_check(*, email: str, purpose: str, code: str) -> VerificationCode:
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


def _code_consume(*, verification: VerificationCode) -> None:
    """Single use: the conditional UPDATE lets exactly one of two concurrent callers win."""
    used = VerificationCode.objects.filter(
        pk=verification.pk, consumed_at__isnull=True, invalidated_at__isnull=True
    ).update(consumed_at=timezone.now())
    if used != 1:
        raise _invalid_code()


# --- Sign-up and activation -----------------------------------------------------------------


@dataclass(frozen=True)
class SignupResult:
    id: uuid.UUID
    email: str
    status: str


def _signup_code_email(
    *,
    member: Member,
    password_hash: str,
    signed_up_at=None,
    replaces: VerificationCode | None = None,
) -> None:
    verification, code = _code_issue(
        member=member,
        purpose=VerificationCode.Purpose.SIGNUP,
        password_hash=password_hash,
        signed_up_at=signed_up_at or timezone.now(),
        replaces=replaces,
    )
    _code_email(member=member, verification=verification, code=code)


@transaction.atomic
def member_signup(*, email: str, password: str, language: str | None = None) -> SignupResult:
    """Creates a pending member and emails a code. For an address that already has an account
    the answer is the same (with an id that reveals nothing) and only its owner hears of it."""
    email = _clean_email(email)
    language = language if language in Member.Language.values else Member.Language.KOREAN
    candidate = Member(email=email, language=language, status=Member.Status.PENDING)
    _validate_password(password, member=candidate, field="password")

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
        _signup_code_email(member=candidate, password_hash=candidate.password)
        return SignupResult(id=candidate.id, email=email, status=Member.Status.PENDING)

    # Hash anyway: a duplicate must take as long as a fresh sign-up.
    password_hash = make_password(password)
    if existing.status == Member.Status.PENDING:
        # Never verified: this sign-up gets a code of its own, bound to the password chosen
        # with it. Whoever reads the mailbox activates the password of the code she enters;
        # nobody else's sign-up can change it, whichever came first.
        _signup_code_email(member=existing, password_hash=password_hash)
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
    email = _clean_email(email)
    member = (
        Member.objects.select_for_update().filter(email=email, status=Member.Status.PENDING).first()
    )
    if member is None:
        return
    cutoff = timezone.now() - SIGNUP_RESEND_WINDOW
    recent = (
        _live_codes(member_id=member.id, purpose=VerificationCode.Purpose.SIGNUP)
        .filter(Q(signed_up_at__gte=cutoff) | Q(signed_up_at__isnull=True, created_at__gte=cutoff))
        .order_by("-created_at")[:SIGNUP_CODES_LIVE]
    )
    # Nothing recent to renew means nothing is sent: a code bound to the pending member's
    # password would activate whoever signed up first, perhaps not the mailbox's owner, who
    # signs up again instead (which mails her a code bound to her own password).
    for verification in recent:
        _signup_code_email(
            member=member,
            password_hash=verification.password_hash,
            signed_up_at=verification.signed_up_at or verification.created_at,
            replaces=verification,
        )


def member_storage_prefix(*, member_id: uuid.UUID) -> str:
    return f"members/{member_id}/"


@transaction.atomic
def profile_prepare(*, member: Member) -> Profile:
    """The empty profile and the member's own prefix in the media storage. Idempotent."""
    prefix = member_storage_prefix(member_id=member.id)
    profile = Profile.objects.filter(member=member).first()
    if profile is None:
        profile = Profile(member=member, storage_prefix=prefix)
        profile.full_clean()
        profile.save()
    # Object stores have no directories: a small marker object makes the prefix exist.
    marker = f"{prefix}.keep"
    if not default_storage.exists(marker):
        default_storage.save(marker, ContentFile(b"Oh Manager member files\n"))
    return profile


def member_verify(*, email: str, code: str) -> Member:
    """Activates a pending member with their sign-up code. See the module docstring."""
    verification = _code_check(email=email, purpose=VerificationCode.Purpose.SIGNUP, code=code)
    return _member_activate(verification=verification)


@transaction.atomic
def _member_activate(*, verification: VerificationCode) -> Member:
    _code_consume(verification=verification)
    member = Member.objects.select_for_update().get(pk=verification.member_id)
    if member.status != Member.Status.PENDING:
        raise Conflict("This account cannot be activated.", code="invalid_state")
    member.status = Member.Status.ACTIVE
    if verification.password_hash:  # codes issued before sign-ups were bound keep the member's
        member.password = verification.password_hash
    member.full_clean(exclude=["password"])
    member.save(update_fields=["status", "password", "updated_at"])
    # The other sign-ups' codes die with the activation.
    _live_codes(member_id=member.id, purpose=VerificationCode.Purpose.SIGNUP).update(
        invalidated_at=timezone.now()
    )
    profile_prepare(member=member)
    return member


# --- Sessions and tokens --------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    member: Member
    session: MemberSession
    tokens: TokenPair


def _clean_ip(ip: str | None) -> str | None:
    try:
        validate_ipv46_address(ip or "")
    except DjangoValidationError:
        return None
    return ip


def _session_open(*, member: Member, user_agent: str, ip: str | None) -> LoginResult:
    now = timezone.now()
    session = MemberSession(
        member=member,
        user_agent=(user_agent or "")[:256],
        ip_address=_clean_ip(ip),
        created_at=now,
        last_seen_at=now,
        expires_at=now + settings.ACCOUNTS_SESSION_ABSOLUTE_TIMEOUT,
    )
    tokens = token_pair_issue(
        member_id=str(member.id), session_id=session.id, not_after=session.expires_at
    )
    session.refresh_jti = tokens.refresh_jti
    session.full_clean()
    session.save(force_insert=True)
    return LoginResult(member=member, session=session, tokens=tokens)


@transaction.atomic
def session_login(*, email: str, password: str, user_agent: str, ip: str | None) -> LoginResult:
    """Checks the password first, the account state second: the state of an account is only
    told to someone who knows its password."""
    member = selectors.member_get_by_email(email=email)
    if member is None:
        _burn_password_check(password)
        raise _invalid_credentials()
    if not member.check_password(password):
        raise _invalid_credentials()
    if member.status == Member.Status.PENDING:
        raise Forbidden("Verify your email address first.", code="account_not_verified")
    if member.status != Member.Status.ACTIVE:
        raise Forbidden("This account is not active.", code=f"account_{member.status}")
    result = _session_open(member=member, user_agent=user_agent, ip=ip)
    member.last_login = result.session.created_at
    member.save(update_fields=["last_login"])
    return result


def session_refresh(*, refresh_token: str) -> TokenPair:
    """Rotates the refresh token. The swap is one conditional UPDATE, so of two concurrent
    refreshes of the same token exactly one wins. A token that is no longer the session's
    current one is a sign of theft and revokes the session (committed before the 401), except
    the immediately previous token within the short retry grace."""
    try:
        token = SessionRefreshToken(refresh_token)
    except TokenError as error:
        raise NotAuthenticated(
            "The refresh token is invalid or expired.", code="token_not_valid"
        ) from error
    session_id = token.get(SESSION_CLAIM)
    jti = token.get(api_settings.JTI_CLAIM)
    member_id = token.get(api_settings.USER_ID_CLAIM)
    session = selectors.session_get_with_member(session_id=str(session_id))
    if session is None or str(session.member_id) != str(member_id) or not jti:
        raise NotAuthenticated("The refresh token is invalid.", code="token_not_valid")
    now = timezone.now()
    if not session.is_live(now) or session.member.status != Member.Status.ACTIVE:
        raise NotAuthenticated("The session has ended. Sign in again.", code="session_expired")

    tokens = token_pair_issue(
        member_id=str(session.member_id), session_id=session.id, not_after=session.expires_at
    )
    with transaction.atomic():
        rotated = MemberSession.objects.filter(
            pk=session.pk, refresh_jti=jti, revoked_at__isnull=True
        ).update(
            refresh_jti=tokens.refresh_jti,
            previous_refresh_jti=jti,
            refreshed_at=now,
            last_seen_at=now,
        )
    if rotated == 1:
        return tokens

    session.refresh_from_db()
    grace = timedelta(seconds=settings.ACCOUNTS_REFRESH_REUSE_GRACE_SECONDS)
    if (
        session.revoked_at is None
        and session.previous_refresh_jti == jti
        and session.refreshed_at is not None
        and now - session.refreshed_at <= grace
    ):
        raise NotAuthenticated(
            "This refresh token was just replaced by a concurrent refresh.",
            code="refresh_token_superseded",
        )
    session_revoke(session_id=session.pk, reason="refresh_reuse")
    logger.warning("refresh token reuse on session of member %s; session revoked", member_id)
    raise NotAuthenticated(
        "This refresh token was already used. The session has been ended.",
        code="refresh_token_reused",
    )


@transaction.atomic
def session_revoke(*, session_id: str, reason: str) -> bool:
    revoked = MemberSession.objects.filter(pk=session_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    return revoked == 1


@transaction.atomic
def session_revoke_own(*, member: Member, session_id: str) -> None:
    """Another member's session, or an unknown id, is a 404."""
    if not MemberSession.objects.filter(pk=session_id, member=member).exists():
        raise NotFound()
    session_revoke(session_id=session_id, reason="revoked_by_member")


@transaction.atomic
def sessions_revoke_all(*, member: Member, reason: str, keep_session_id: str | None = None) -> int:
    sessions = MemberSession.objects.filter(member=member, revoked_at__isnull=True)
    if keep_session_id:
        sessions = sessions.exclude(pk=keep_session_id)
    return sessions.update(revoked_at=timezone.now(), revoked_reason=reason)


# --- Passwords ------------------------------------------------------------------------------


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
    _validate_password(new_password, member=member, field="new_password")
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
    email = _clean_email(email)
    member = (
        Member.objects.select_for_update().filter(email=email, status=Member.Status.ACTIVE).first()
    )
    if member is not None:
        verification, code = _code_issue(
            member=member, purpose=VerificationCode.Purpose.PASSWORD_RESET
        )
        _code_email(member=member, verification=verification, code=code)


def password_reset_confirm(*, email: str, code: str, new_password: str) -> Member:
    """Sets a new password with an emailed code and revokes every session of the member."""
    email = _clean_email(email)
    # Checked before the code so a weak password does not use up one of the five tries.
    _validate_password(new_password, member=Member(email=email), field="new_password")
    verification = _code_check(
        email=email, purpose=VerificationCode.Purpose.PASSWORD_RESET, code=code
    )
    return _password_reset_apply(verification=verification, new_password=new_password)


@transaction.atomic
def _password_reset_apply(*, verification: VerificationCode, new_password: str) -> Member:
    _code_consume(verification=verification)
    member = Member.objects.select_for_update().get(pk=verification.member_id)
    if member.status != Member.Status.ACTIVE:
        raise Conflict("This account cannot be reset.", code="invalid_state")
    member.set_password(new_password)
    member.save(update_fields=["password", "updated_at"])
    sessions_revoke_all(member=member, reason="password_reset")
    _password_changed_email(member)
    return member


# --- The member -----------------------------------------------------------------------------


@transaction.atomic
def member_update(*, member: Member, language: str | None = None) -> Member:
    """What a member may change about their account here; status, staff and email are not."""
    if language is not None:
        member.language = language
    member.full_clean(exclude=["password"])
    member.save(update_fields=["language", "updated_at"])
    return member


@transaction.atomic
def member_withdraw(*, member: Member, password: str) -> None:
    """Ends the account: sessions revoked, codes and profile deleted, files purged after commit,
    the email anonymised so the address can sign up again. The row stays (anonymous) so that
    other records pointing at it keep their integrity."""
    from accounts.tasks import purge_member_storage

    if not member.check_password(password):
        raise InvalidInput(
            "The password is incorrect.",
            code="invalid_password",
            fields={"password": ["The password is incorrect."]},
        )
    member = Member.objects.select_for_update().get(pk=member.pk)
    sessions_revoke_all(member=member, reason="withdrawal")
    VerificationCode.objects.filter(member=member).delete()
    # Unsent mail to the old address is dropped; sent rows keep no address.
    member_emails_forget(member_id=member.pk)
    Profile.objects.filter(member=member).delete()
    member.email = f"withdrawn-{uuid.uuid4().hex}@withdrawn.invalid"
    member.status = Member.Status.WITHDRAWN
    member.withdrawn_at = timezone.now()
    member.set_unusable_password()
    member.full_clean(exclude=["password"])
    member.save()
    purge_member_storage.delay_on_commit(member_storage_prefix(member_id=member.id))


def storage_prefix_purge(*, prefix: str) -> int:
    """Deletes every object under a member's prefix; returns how many."""
    if not (prefix.startswith("members/") and prefix.endswith("/") and len(prefix) > 10):
        raise ValueError(f"refusing to purge {prefix!r}")
    deleted = 0
    pending = [prefix]
    while pending:
        path = pending.pop()
        try:
            directories, files = default_storage.listdir(path)
        except FileNotFoundError:
            continue
        for name in files:
            default_storage.delete(f"{path}{name}")
            deleted += 1
        pending.extend(f"{path}{directory}/" for directory in directories)
    return deleted


# --- Staff ----------------------------------------------------------------------------------


@transaction.atomic
def member_suspend(*, member: Member) -> bool:
    if member.status != Member.Status.ACTIVE:
        return False
    member.status = Member.Status.SUSPENDED
    member.save(update_fields=["status", "updated_at"])
    sessions_revoke_all(member=member, reason="suspended")
    return True


@transaction.atomic
def member_reactivate(*, member: Member) -> bool:
    if member.status != Member.Status.SUSPENDED:
        return False
    member.status = Member.Status.ACTIVE
    member.save(update_fields=["status", "updated_at"])
    return True


# --- Housekeeping ---------------------------------------------------------------------------


@transaction.atomic
def auth_records_purge() -> dict[str, int]:
    now = timezone.now()
    idle = settings.ACCOUNTS_SESSION_IDLE_TIMEOUT
    sessions, _ = MemberSession.objects.filter(
        Q(expires_at__lt=now - DEAD_SESSION_RETENTION)
        | Q(revoked_at__lt=now - DEAD_SESSION_RETENTION)
        | Q(last_seen_at__lt=now - idle - DEAD_SESSION_RETENTION)
    ).delete()
    codes, _ = VerificationCode.objects.filter(expires_at__lt=now - DEAD_CODE_RETENTION).delete()
    emails = sent_emails_purge(now=now)
    return {"sessions": sessions, "codes": codes, "emails": emails}
