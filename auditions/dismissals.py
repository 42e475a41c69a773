"""Writes behind `POST/DELETE auditions/{id}/dismiss`: a member hides an audition from their
recommended feed, or brings it back. Both are idempotent."""

from uuid import UUID

from django.db import IntegrityError, transaction

from accounts.models import Member
from auditions.models import Audition, Dismissal
from ohmanager.exceptions import NotFound


def _public_audition(audition_id: UUID) -> Audition:
    audition = Audition.objects.filter(pk=audition_id, status__in=Audition.PUBLIC_STATUSES).first()
    if audition is None:
        raise NotFound("No such audition.", code="audition_not_found")
    return audition


@transaction.atomic
def dismissal_add(*, member: Member, audition_id: UUID) -> Dismissal:
    """Dismissing twice keeps the first dismissal."""
    audition = _public_audition(audition_id)
    try:
        with transaction.atomic():
            dismissal, _ = Dismissal.objects.get_or_create(member=member, audition=audition)
    except IntegrityError:  # a concurrent request won the race: same outcome
        dismissal = Dismissal.objects.get(member=member, audition=audition)
    return dismissal


@transaction.atomic
def dismissal_remove(*, member: Member, audition_id: UUID) -> None:
    """Undoing a dismissal that is not there succeeds."""
    _public_audition(audition_id)
    Dismissal.objects.filter(member=member, audition_id=audition_id).delete()
