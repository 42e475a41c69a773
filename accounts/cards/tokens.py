"""The card link's secret: 256 random bits in the URL (`/c/<token>`).

The database keeps two forms of it, never the plain token:
- `token_hash`, a SHA-256, for the indexed lookup of an incoming URL (as the calendar feed:
  the token is random, so a plain hash is enough);
- `sealed_token`, the token encrypted and authenticated (Fernet) under a key derived from
  SECRET_KEY, so `GET me/card` can show the member her link again and an application can show
  its `card_url`. The calendar feed shows its URL once, because a calendar app subscribes once;
  a card link is pasted into messages again and again, and a member who lost it should not have
  to rotate it (killing every copy she already sent). A database dump or backup alone still
  opens no card: it lacks SECRET_KEY. After a key rotation SECRET_KEY_FALLBACKS still open
  older seals.
"""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

_SEAL_SALT = "accounts.cards.card-link-token"


def card_token_new() -> str:
    return secrets.token_urlsafe(32)


def card_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _cipher() -> MultiFernet:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys = (salted_hmac(_SEAL_SALT, "fernet", secret=key, algorithm="sha256") for key in secrets_)
    return MultiFernet([Fernet(base64.urlsafe_b64encode(key.digest())) for key in keys])


def card_token_seal(token: str) -> str:
    return _cipher().encrypt(token.encode()).decode("ascii")


def card_token_open(sealed: str) -> str:
    """The plain token (cryptography's InvalidToken when sealed under a key we no longer have)."""
    return _cipher().decrypt(sealed.encode("ascii")).decode()


def card_url(token: str) -> str:
    """The card's absolute URL, as the member shares it and e-mails carry it."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("card-page", kwargs={"token": token})
