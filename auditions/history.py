"""The audit trail: every write to an audition records its `AuditionEvent` through here (the
staff-edit services and ingest alike), so the changes are stored the same way everywhere."""

import json
from typing import Any

from accounts.models import Member
from auditions.models import Audition, AuditionEvent


def audition_event_record(
    audition: Audition,
    action: str,
    *,
    actor: Member | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    AuditionEvent.objects.create(
        audition=audition,
        actor=actor,
        action=action,
        changes=json.loads(json.dumps(changes or {}, default=str)),
        note=note[:300],
    )
