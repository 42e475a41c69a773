"""Attachments of outbox messages, built when the message is sent.

An outbox row keeps a spec (`{"builder": "<name>", ...arguments}`), never the file: the files
(a profile card's PDF) are made from current data by the worker that sends the mail, so the
request that queued the message stays fast and the database never holds the bytes. Apps
register their builders at start-up (`AppConfig.ready`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str

    @property
    def size(self) -> int:
        return len(self.content)


# A builder returns None when it cannot make its file (the PDF renderer's libraries are
# missing): the message goes out without it rather than not at all.
Builder = Callable[[dict[str, Any]], Attachment | None]
_BUILDERS: dict[str, Builder] = {}


def attachment_builder(name: str) -> Callable[[Builder], Builder]:
    """Registers `function` as the builder of specs named `name`."""

    def register(function: Builder) -> Builder:
        _BUILDERS[name] = function
        return function

    return register


def attachment_spec(builder: str, **arguments: Any) -> dict[str, Any]:
    """A spec for the outbox row; the arguments must be JSON (ids, not objects)."""
    if builder not in _BUILDERS:
        raise ValueError(f"unknown attachment builder {builder!r}")
    return {"builder": builder, **arguments}


def attachments_build(specs: list[dict[str, Any]]) -> list[Attachment]:
    built = []
    for spec in specs:
        arguments = {key: value for key, value in spec.items() if key != "builder"}
        attachment = _BUILDERS[spec["builder"]](arguments)
        if attachment is not None:
            built.append(attachment)
    return built
