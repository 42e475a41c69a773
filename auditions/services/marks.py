"""A member's marks on a public audition: bookmarks (`auditions/{id}/bookmark`) and dismissals
(`auditions/{id}/dismiss`, hiding it from their recommended feed). One row per member and
audition (a unique constraint), set and cleared idempotently by the same two functions."""

from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction

from accounts.models import Member
from auditions.models import Audition, Bookmark, Dismissal
from ohmanager.exceptions import NotFound


def _public_audition(audition_id: UUID) -> Audition:
    audition = Audition.objects.filter(pk=audition_id, status__in=Audition.PUBLIC_STATUSES).first()
    if audition is None:
        raise NotFound("No such audition.", code="audition_not_found")
    return audition


@transaction.atomic
def member_mark_add(model: type[Any], *, member: Member, audition_id: UUID) -> Any:
    """Marking twice keeps the first mark; 404 for an audition performers cannot see."""
    audition = _public_audition(audition_id)
    try:
        with transaction.atomic():
            mark, _ = model.objects.get_or_create(member=member, audition=audition)
    except IntegrityError:  # a concurrent request won the race: same outcome
        mark = model.objects.get(member=member, audition=audition)
    return mark


@transaction.atomic
def member_mark_remove(model: type[Any], *, member: Member, audition_id: UUID) -> None:
    """Clearing a mark that is not there succeeds; 404 for an audition performers cannot see."""
    _public_audition(audition_id)
    model.objects.filter(member=member, audition_id=audition_id).delete()


def bookmark_add(*, member: Member, audition_id: UUID) -> Bookmark:
    return member_mark_add(Bookmark, member=member, audition_id=audition_id)


def bookmark_remove(*, member: Member, audition_id: UUID) -> None:
    member_mark_remove(Bookmark, member=member, audition_id=audition_id)


def dismissal_add(*, member: Member, audition_id: UUID) -> Dismissal:
    """Dismissing twice keeps the first dismissal."""
    return member_mark_add(Dismissal, member=member, audition_id=audition_id)


def dismissal_remove(*, member: Member, audition_id: UUID) -> None:
    """Undoing a dismissal that is not there succeeds."""
    member_mark_remove(Dismissal, member=member, audition_id=audition_id)
