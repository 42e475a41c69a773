"""Secrets that travel in URLs never reach a log line (security review #13.8).

The calendar feed's URL is its only credential (`/api/v1/calendar/<token>.ics`: calendar apps
cannot send a header), and so is a profile card's (`/c/<token>`, opened by a poster's
browser), so every path that could carry one is rewritten to `calendar/[redacted]` or
`/c/[redacted]` before a handler writes it: the request log's message and `path`,
Django's "Not Found: <path>" warnings, gunicorn's access and error lines
(ohmanager/gunicorn_hooks.py). `RedactSecretsFilter` is attached to every handler in
settings.LOGGING (a handler's filters also see records that propagate from child loggers,
which a logger's own filters do not).
"""

import logging
import re

REDACTED = "[redacted]"
# `calendar/` (or its percent-encoded slash, as a raw request line may carry it) and what
# follows up to the next separator. Tokens are URL-safe base64 (A-Z a-z 0-9 - _), so the
# `.ics` suffix, a query or a closing quote end the match. Case-insensitive: a mistyped
# `Calendar/` still carries a live token.
_CALENDAR_TOKEN = re.compile(r"(calendar(?:/|%2f))[^/?#&.\s\"'<>]+", re.IGNORECASE)
# The profile card's link (`/c/<token>`, issue #16) is a secret URL too, opened by whoever the
# member sent it to. `c` must be a whole path segment (after a slash, its encoded form, the
# start, a space, a quote or `=`), so `/music/...` or `/abc/...` are left alone.
_CARD_TOKEN = re.compile(
    r"((?:^|(?<=[/\s\"'=])|(?<=%2f))c(?:/|%2f))[^/?#&.\s\"'<>]+", re.IGNORECASE
)
# A guardian's consent link (`/g/<token>`, `/g/<token>/revoke`, issue #17): the same rule.
_GUARDIAN_TOKEN = re.compile(
    r"((?:^|(?<=[/\s\"'=])|(?<=%2f))g(?:/|%2f))[^/?#&.\s\"'<>]+", re.IGNORECASE
)

# LogRecord's own attributes; any other attribute is an `extra=` field a logger added.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}


def redact(text: str) -> str:
    """`text` with every calendar feed, profile card and guardian link token replaced by
    `[redacted]`."""
    # A pattern runs only where its prefix is in the text (a match needs it; `[redacted]`
    # adds none): nine searches per request-log line were most of its cost (bench/api, run E).
    lowered = text.lower()
    if "calendar/" in lowered or "calendar%2f" in lowered:
        text = _CALENDAR_TOKEN.sub(rf"\1{REDACTED}", text)
    if "c/" in lowered or "c%2f" in lowered:
        text = _CARD_TOKEN.sub(rf"\1{REDACTED}", text)
    if "g/" in lowered or "g%2f" in lowered:
        text = _GUARDIAN_TOKEN.sub(rf"\1{REDACTED}", text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record whose message or string `extra=` fields carry a feed token. The
    message is rendered first (msg % args) so a token inside any argument, a mapping's
    included, is caught; records without a token are left as they are."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is the handler's to report, as without us
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        for key, value in list(record.__dict__.items()):
            if key not in _RECORD_ATTRIBUTES and isinstance(value, str):
                cleaned = redact(value)
                if cleaned != value:
                    setattr(record, key, cleaned)
        return True
