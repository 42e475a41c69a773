"""Writes behind `POST/DELETE auditions/{id}/dismiss`: a member hides an audition from their
recommended feed, or brings it back. Both are idempotent (services.member_mark_*)."""

from uuid import UUID

from accounts.models import Member
from auditions.models import Dismissal
from auditions.services import member_mark_add, member_mark_remove


def dismissal_add(*, member: Member, audition_id: UUID) -> Dismissal:
    """Dismissing twice keeps the first dismissal."""
    return member_mark_add(Dismissal, member=member, audition_id=audition_id)


def dismissal_remove(*, member: Member, audition_id: UUID) -> None:
    """Undoing a dismissal that is not there succeeds."""
    member_mark_remove(Dismissal, member=member, audition_id=audition_id)
