"""The application lifecycle of the contract (docs/architecture.md#the-contract), as data:

    applied → viewed → shortlisted → audition_scheduled → auditioned → callback → cast

A status may move forward (skipping is allowed) or to an end (not_selected, withdrawn,
no_response); an end is final. Staying put is not a move.
"""

from applications.models import Status

PROGRESSION: tuple[str, ...] = (
    Status.APPLIED,
    Status.VIEWED,
    Status.SHORTLISTED,
    Status.AUDITION_SCHEDULED,
    Status.AUDITIONED,
    Status.CALLBACK,
    Status.CAST,
)
ENDS: frozenset[str] = frozenset({Status.NOT_SELECTED, Status.WITHDRAWN, Status.NO_RESPONSE})


def is_final(status: str) -> bool:
    return status in ENDS


def can_move(from_status: str, to_status: str) -> bool:
    if from_status in ENDS or from_status == to_status:
        return False
    if to_status in ENDS:
        return True
    return PROGRESSION.index(to_status) > PROGRESSION.index(from_status)


def allowed_moves(from_status: str) -> list[str]:
    return [status for status in Status.values if can_move(from_status, status)]


def advancement(status: str) -> int:
    """How far along an application is, for choosing which of two to keep on a merge: a live
    application beats a finished one, and a later stage beats an earlier one."""
    if status in ENDS:
        return -1
    return PROGRESSION.index(status)
