"""Bearer JWT + server-side session: the API's one authentication class.

simplejwt alone never checks an access token against anything (simplejwt#744; see
docs/architecture.md#traps),
so logout and revocation would not bite until expiry. Here each request also loads the session
the token names -- one primary-key query joined to the member -- and refuses it when revoked,
expired, idle too long or owned by a member who is no longer active.
"""

import functools
from datetime import timedelta

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken
from rest_framework_simplejwt.utils import aware_utcnow

from accounts import selectors
from accounts.models import Member, MemberSession
from accounts.tokens import SESSION_CLAIM

# What a child waiting for her guardian may call: views list the methods in
# `open_while_pending_guardian` (GET/DELETE `me`, `me/guardian`, logout, sessions). Checked
# here, once for every endpoint, so a new endpoint is closed to her unless it says otherwise.
OPEN_WHILE_PENDING_ATTRIBUTE = "open_while_pending_guardian"


class GuardianConsentRequired(exceptions.APIException):
    # An APIException (not PermissionDenied, whose envelope code is the generic one) so DRF
    # marks the request unauthenticated while the envelope keeps this code.
    status_code = 403
    default_detail = "A parent or legal guardian must consent before this account can be used."
    default_code = "guardian_consent_required"


def _open_while_pending(request: Request) -> bool:
    view = (getattr(request, "parser_context", None) or {}).get("view")
    return request.method in getattr(view, OPEN_WHILE_PENDING_ATTRIBUTE, ())


@functools.lru_cache(maxsize=4096)
def _verified(raw_token: bytes) -> AccessToken:
    """The access token, its signature and claims checked once per process: the app sends
    the same token on every request for its ten minutes, and decoding it was a tenth of a
    catalogue read (profiled, bench/api). Kept by its exact bytes, so nothing else matches;
    only tokens that passed are kept (a raise is not); expiry is checked again on every use
    by the caller, and the session it names is read fresh on every request."""
    return AccessToken(raw_token)


# last_seen_at is written at most this often per session, so most requests stay read-only.
TOUCH_INTERVAL = timedelta(seconds=60)


class SessionJWTAuthentication(JWTAuthentication):
    """`request.user` is the member; `request.auth` is their live `MemberSession`."""

    def authenticate(self, request: Request) -> tuple[Member, MemberSession] | None:
        header = self.get_header(request)
        if header is None:
            return None
        raw_token = self.get_raw_token(header)
        if raw_token is None:
            return None
        try:
            token = _verified(raw_token)
            token.check_exp(current_time=aware_utcnow())  # a kept token expires all the same
        except TokenError as error:
            raise exceptions.AuthenticationFailed(
                "The access token is invalid or expired.", code="token_not_valid"
            ) from error

        session_id = token.get(SESSION_CLAIM)
        member_id = token.get(api_settings.USER_ID_CLAIM)
        if not isinstance(session_id, str) or not member_id:
            raise exceptions.AuthenticationFailed(
                "The access token names no session.", code="token_not_valid"
            )
        session = selectors.session_get_with_member(session_id=session_id)
        now = timezone.now()
        if (
            session is None
            or str(session.member_id) != str(member_id)
            or not session.is_live(now)
            or not session.member.can_sign_in
        ):
            raise exceptions.AuthenticationFailed(
                "The session has ended. Sign in again.", code="session_expired"
            )
        if session.member.status == Member.Status.PENDING_GUARDIAN and not _open_while_pending(
            request
        ):
            raise GuardianConsentRequired()
        if now - session.last_seen_at >= TOUCH_INTERVAL:
            # A plain UPDATE: no read-modify-write race with a concurrent refresh or revoke.
            MemberSession.objects.filter(pk=session.pk).update(last_seen_at=now)
            session.last_seen_at = now
        return session.member, session
