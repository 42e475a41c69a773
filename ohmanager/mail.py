"""E-mail a developer can read: `make run` (local settings) writes every message as an .eml file.

Django's console backend writes to stdout, which the Celery worker (where most e-mail is sent)
redirects into its JSON log: a message became one escaped line. Its file backend appends every
message of a connection to one `.log` file. This one writes each message to its own
`var/mail/<time>-<id>.eml` that a mail client opens and an editor shows as text: headers in
UTF-8 (RFC 6532) rather than encoded words, bodies as Django wrote them (8-bit UTF-8). It logs
only the file's name: no address, subject or code.
"""

from __future__ import annotations

import email
import email.policy
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

logger = logging.getLogger(__name__)


class EmlFileBackend(BaseEmailBackend):
    """One `.eml` file per message under EMAIL_FILE_PATH (default: var/mail/)."""

    def __init__(self, *, file_path: str | Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        configured = file_path or getattr(settings, "EMAIL_FILE_PATH", None)
        self.directory = Path(configured or Path(settings.VAR_DIR) / "mail")

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                path = self.write(message)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            logger.info("e-mail written to %s", path)
            sent += 1
        return sent

    def write(self, message: EmailMessage) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        path = self.directory / name
        path.write_bytes(readable(message.message().as_bytes()))
        return path


# A file on this machine: "\n" line ends (mail clients take either), headers in UTF-8.
_READABLE = email.policy.default.clone(linesep="\n", utf8=True)


def readable(data: bytes) -> bytes:
    """The message with its headers decoded (`Subject: [오매니저] …`, not `=?utf-8?b?…?=`) and
    unfolded; the message as it was if it does not parse back."""
    try:
        parsed = email.message_from_bytes(data, policy=_READABLE)
        headers = [(name, " ".join(str(value).split())) for name, value in parsed.items()]
        for name in {name for name, _ in headers}:
            del parsed[name]
        for name, value in headers:
            parsed[name] = value
        return parsed.as_bytes(policy=_READABLE)
    except Exception:  # a file to read, never a lost message
        logger.warning("e-mail kept as sent: its headers did not parse back", exc_info=True)
        return data
