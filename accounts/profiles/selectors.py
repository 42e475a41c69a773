"""Every read of profiles, photos and credits. "Not yours" and "does not exist" look the same."""

from django.db.models import QuerySet

from accounts.models import Credit, Photo, Profile
from ohmanager.exceptions import NotFound


def _profiles_with_parts() -> QuerySet[Profile]:
    """Profile, member, photos and credits in three queries, however many photos and credits."""
    return Profile.objects.select_related("member").prefetch_related("photos", "credits")


def profile_get_for_member(*, member_id: object) -> Profile:
    profile = _profiles_with_parts().filter(member_id=member_id).first()
    if profile is None:
        raise NotFound("This account has no profile.", code="profile_not_found")
    return profile


def photo_get_own(*, member_id: object, photo_id: object) -> Photo:
    photo = (
        Photo.objects.select_related("profile")
        .filter(pk=photo_id, profile__member_id=member_id)
        .first()
    )
    if photo is None:
        raise NotFound()
    return photo


def photo_list_own(*, member_id: object) -> QuerySet[Photo]:
    return Photo.objects.filter(profile__member_id=member_id)


def credit_list_own(*, member_id: object) -> QuerySet[Credit]:
    return Credit.objects.filter(profile__member_id=member_id)


def credit_get_own(*, member_id: object, credit_id: object) -> Credit:
    credit = credit_list_own(member_id=member_id).filter(pk=credit_id).first()
    if credit is None:
        raise NotFound()
    return credit
