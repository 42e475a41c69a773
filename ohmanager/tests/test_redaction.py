"""`redact` skips a pattern whose prefix is not in the text; the answers stay those of all
three patterns run on every text."""

import itertools

import pytest

from ohmanager import redaction


def _every_pattern(text: str) -> str:
    for pattern in (redaction._CALENDAR_TOKEN, redaction._CARD_TOKEN, redaction._GUARDIAN_TOKEN):
        text = pattern.sub(rf"\1{redaction.REDACTED}", text)
    return text


PREFIXES = [
    "",
    "/",
    "GET ",
    "/api/v1/",
    '"',
    "=",
    "%2F",
    "x",
    "/abc",
    "/\uff23",
    "\u0130",
]  # fullwidth C, dotted I
SEGMENTS = ["calendar/", "CALENDAR%2F", "Calendar%2f", "c/", "C%2F", "g/", "G%2f", "ca/", "/"]
TOKENS = ["tok_EN-123", "a.ics", "z?x=1", "", "한글", "[redacted]"]


@pytest.mark.parametrize(
    "text",
    ["".join(parts) for parts in itertools.product(PREFIXES, SEGMENTS, TOKENS, ["", "/revoke"])]
    + ["GET /c/abc 200 and /g/def/renew then calendar/xyz.ics", "/music/abc/", "plain"],
)
def test_the_prefix_check_changes_no_answer(text):
    assert redaction.redact(text) == _every_pattern(text)


def test_tokens_are_still_redacted():
    line = "GET /api/v1/calendar/s3cr3t.ics 200 /c/card-token /g/guardian-token/revoke"

    assert redaction.redact(line) == (
        "GET /api/v1/calendar/[redacted].ics 200 /c/[redacted] /g/[redacted]/revoke"
    )
