"""Sessions and tokens: login, refresh (rotation with reuse detection), revocation.

`session_refresh` is not one transaction (see accounts.services): the revocation that reuse
of a dead refresh token causes is committed before the 401.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings

from accounts import selectors
from accounts.models import Member, MemberSession
from accounts.tokens import SESSION_CLAIM, SessionRefreshToken, TokenPair, token_pair_issue
from ohmanager.exceptions import Forbidden, NotAuthenticated, NotFound

# The name these services have always logged under (before the split into modules).
logger = logging.getLogger("accounts.services")

WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="api"'}


@dataclass(frozen=True)
class LoginResult:
    member: Member
    session: MemberSession
    tokens: TokenPair


def _invalid_credentials() -> NotAuthenticated:
    return NotAuthenticated(
        "The email or password is incorrect.", code="invalid_credentials", headers=WWW_AUTHENTICATE
    )


_dummy_password_hash: str | None = None


def _burn_password_check(password: str) -> None:
    """Costs what a real password check costs, so an unknown email answers as slowly as a
    wrong password (Django's ModelBackend does the same)."""
    global _dummy_password_hash  # a per-process constant, made on first use
    if _dummy_password_hash is None:
        _dummy_password_hash = make_password(secrets.token_urlsafe(16))
    check_password(password, _dummy_password_hash)


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
    if not member.can_sign_in:
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
    if not session.is_live(now) or not session.member.can_sign_in:
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
