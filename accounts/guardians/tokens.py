"""The guardian's link secret: 256 random bits in `/g/<token>` (the consent page) and
`/g/<token>/revoke`. Stored hashed for the lookup and sealed under a key derived from
SECRET_KEY, so every later e-mail to the guardian (copies of the child's mail) can carry the
same revocation link; the same scheme as the card links (accounts.cards.tokens), its own salt."""

import base64

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from accounts.cards.tokens import card_token_hash, card_token_new

_SEAL_SALT = "accounts.guardians.consent-token"

guardian_token_new = card_token_new
guardian_token_hash = card_token_hash


def _cipher() -> MultiFernet:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys = (salted_hmac(_SEAL_SALT, "fernet", secret=key, algorithm="sha256") for key in secrets_)
    return MultiFernet([Fernet(base64.urlsafe_b64encode(key.digest())) for key in keys])


def guardian_token_seal(token: str) -> str:
    return _cipher().encrypt(token.encode()).decode("ascii")


def guardian_token_open(sealed: str) -> str:
    return _cipher().decrypt(sealed.encode("ascii")).decode()


def _absolute(name: str, token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(name, kwargs={"token": token})


def consent_url(token: str) -> str:
    return _absolute("guardian-consent", token)


def revoke_url(token: str) -> str:
    return _absolute("guardian-revoke", token)
