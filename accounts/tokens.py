"""JWTs that name a server-side session. simplejwt signs and validates them (algorithm pinned by
SIMPLE_JWT["ALGORITHM"], LEEWAY 0); whether they still count is the session's business."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token
from rest_framework_simplejwt.utils import datetime_from_epoch

SESSION_CLAIM = "sid"


class SessionRefreshToken(Token):
    """A refresh token without simplejwt's blacklist machinery: rotation and reuse detection
    live on MemberSession.refresh_jti (see services.session_refresh)."""

    token_type = "refresh"  # noqa: S105 - a claim value, not a secret
    lifetime = api_settings.REFRESH_TOKEN_LIFETIME


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    refresh_jti: str
    refresh_expires_at: datetime


def token_pair_issue(*, member_id: str, session_id: str, not_after: datetime) -> TokenPair:
    """A fresh access + refresh pair for the session; neither outlives the session itself."""
    refresh = SessionRefreshToken()
    refresh[api_settings.USER_ID_CLAIM] = member_id
    refresh[SESSION_CLAIM] = session_id
    if datetime_from_epoch(refresh["exp"]) > not_after:
        refresh.set_exp(from_time=not_after, lifetime=timedelta(0))

    access = AccessToken()
    access[api_settings.USER_ID_CLAIM] = member_id
    access[SESSION_CLAIM] = session_id
    if datetime_from_epoch(access["exp"]) > not_after:
        access.set_exp(from_time=not_after, lifetime=timedelta(0))

    return TokenPair(
        access=str(access),
        refresh=str(refresh),
        refresh_jti=refresh[api_settings.JTI_CLAIM],
        refresh_expires_at=datetime_from_epoch(refresh["exp"]),
    )
