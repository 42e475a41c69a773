"""Text normalisation shared by search, de-duplication and URL identity."""

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_WORD = re.compile(r"[^\W_]+")
# Bracketed tags boards put in front of titles: [급구], (마감임박), 【모집】 ...
# Look-alike brackets on purpose: boards use them.
_TITLE_TAGS = re.compile(r"[\[\(【〔<「『][^\]\)】〕>」』]{0,12}[\]\)】〕>」』]")  # noqa: RUF001
_COMPANY_NOISE = re.compile(r"\(주\)|㈜|주식회사|\(유\)|유한회사|co\.?,?\s*ltd\.?|inc\.?|corp\.?")
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_url_validator = URLValidator(schemes=["http", "https"])


def fold(text: str) -> str:
    """One spelling per text: NFKC (full-width → half-width, composed Hangul) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def words(text: str) -> list[str]:
    """Runs of letters and digits (Hangul syllables are letters); everything else separates."""
    return _WORD.findall(fold(text))


def normalize_title(title: str) -> str:
    return " ".join(words(_TITLE_TAGS.sub(" ", fold(title))))


def normalize_company(company: str) -> str:
    return "".join(words(_COMPANY_NOISE.sub(" ", fold(company))))


def is_valid_url(url: str) -> bool:
    try:
        _url_validator(url)
    except ValidationError:
        return False
    return True


def canonical_url(url: str) -> str:
    """The identity of a listing URL: host lower-cased, default port, fragment and tracking
    parameters (utm_*, fbclid, gclid, ...) dropped, remaining parameters sorted."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(sorted(query)), ""))
