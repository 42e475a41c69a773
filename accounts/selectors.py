"""Every read of the accounts app that the API, admin and tasks need."""

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Member, MemberSession, normalize_email


def member_get_by_email(*, email: str) -> Member | None:
    return Member.objects.filter(email=normalize_email(email)).first()


def member_get_with_profile(*, member_id: str) -> Member:
    """The member, profile, photos and credits in three queries, however many there are."""
    return (
        Member.objects.select_related("profile")
        .prefetch_related("profile__photos", "profile__credits")
        .get(pk=member_id)
    )


def session_get_with_member(*, session_id: str) -> MemberSession | None:
    """The authentication check: one primary-key lookup joined to the member."""
    try:
        return MemberSession.objects.select_related("member").get(pk=session_id)
    except MemberSession.DoesNotExist:
        return None


def session_list_live(*, member: Member) -> QuerySet[MemberSession]:
    """The member's sessions that still work (idle expiry is checked in Python by callers that
    need it exactly; the list shows what has not been revoked or hit its absolute limit)."""
    now = timezone.now()
    return MemberSession.objects.filter(member=member, revoked_at__isnull=True, expires_at__gt=now)
