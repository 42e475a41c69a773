"""Every write of profiles, photos and credits.

Photo objects and rows are kept in step: an upload writes its objects first and deletes them
again if the row cannot be written; a deletion removes the row and only after the commit the
objects (a task), so a rolled-back request never loses a file.
"""

import secrets
import uuid
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from accounts import selectors as account_selectors
from accounts.models import CREDITS_MAX, PHOTOS_MAX, Credit, Member, Photo, Profile
from accounts.profiles import images, selectors
from accounts.services import member_age_recheck, member_update
from ohmanager.exceptions import InvalidInput, NotFound

# What a member may change through `me/profile`; anything else is never assigned.
PROFILE_FIELDS = frozenset(
    {
        "display_name",
        "birth_date",
        "gender",
        "height_cm",
        "weight_kg",
        "bio",
        "skills",
        "languages",
        "interests",
        "regions",
        "representation",
        "agency_name",
        "phone",
        "contact_visibility",
        "notify_deadline_reminders",
        "notify_shoot_reminders",
        "notify_stale_applications",
        "notify_saved_search_alerts",
        "notify_recommendations",
        "notify_card_viewed",
    }
)
CREDIT_FIELDS = frozenset({"title", "year", "kind", "role_name"})
_Owned = TypeVar("_Owned", bound=models.Model)


def profile_lock(*, member_id: object) -> Profile:
    """Locks the member's profile row: the counts of photos, credits and media links (and the
    primary flag) change under this lock."""
    profile = Profile.objects.select_for_update().filter(member_id=member_id).first()
    if profile is None:
        raise NotFound("This account has no profile.", code="profile_not_found")
    return profile


# --- Profile --------------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, member: Member, email_language: str | None = None, **fields: Any) -> Profile:
    """Sets the given profile fields (and the member's email language); validation is the
    model's (`full_clean`), so the API, the admin and any script obey the same rules."""
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    profile = profile_lock(member_id=member.pk)
    if "birth_date" in fields and fields["birth_date"] is None and profile.birth_date:
        # Ages decide what a minor may see and whether a guardian consents (issue #17).
        message = "The birth date can be corrected, not removed."
        raise InvalidInput(message, fields={"birth_date": [message]})
    birth_date_before = profile.birth_date
    new_birth_date = fields.get("birth_date")
    if (
        new_birth_date is not None
        and birth_date_before is not None
        and new_birth_date < birth_date_before
        and account_selectors.guardian_consent_on_record(member=member)
    ):
        # Older would switch off a guardian's consent and the minors' protections (issue #17):
        # once a guardian is on record, only support makes her older (younger stays open).
        message = "A guardian is on record: ask support to correct the birth date."
        raise InvalidInput(message, code="birth_date_locked", fields={"birth_date": [message]})
    for name, value in fields.items():
        if name == "gender" and value is None:
            value = ""
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if profile.birth_date != birth_date_before:
        member_age_recheck(member=member)
    if email_language is not None and email_language != member.language:
        # The language of emails is the member's; `me` shows the same value as `language`.
        member_update(member=member, language=email_language)
    return profile


# --- Photos ---------------------------------------------------------------------------------


def _photo_limit_reached() -> InvalidInput:
    message = f"A profile has at most {PHOTOS_MAX} photos. Delete one first."
    return InvalidInput(message, code="photo_limit_reached", fields={"image": [message]})


def _storage_delete_after_commit(names: list[str]) -> None:
    from accounts.tasks import delete_member_files

    delete_member_files.delay_on_commit([name for name in names if name])


@transaction.atomic
def photo_upload(*, member: Member, upload: UploadedFile) -> Photo:
    """Checks, normalises and stores a photo under the member's prefix. The first photo
    becomes the primary one. Nothing is stored, and no row written, when any check fails."""
    images.photo_check_size(size=upload.size)
    # A cheap early refusal before decoding; re-checked under the lock below.
    if selectors.photo_list_own(member_id=member.pk).count() >= PHOTOS_MAX:
        raise _photo_limit_reached()
    processed = images.photo_process(upload=upload)

    profile = profile_lock(member_id=member.pk)
    existing = profile.photos.count()
    if existing >= PHOTOS_MAX:
        raise _photo_limit_reached()
    # Random names: the uploaded file name never reaches the storage.
    stem = f"{profile.storage_prefix}photos/{secrets.token_hex(16)}"
    stored: list[str] = []
    try:
        stored.append(
            default_storage.save(f"{stem}.{images.STORED_EXTENSION}", ContentFile(processed.image))
        )
        stored.append(
            default_storage.save(
                f"{stem}_thumb.{images.STORED_EXTENSION}", ContentFile(processed.thumbnail)
            )
        )
        photo = Photo(
            profile=profile,
            image=stored[0],
            thumbnail=stored[1],
            width=processed.width,
            height=processed.height,
            size_bytes=len(processed.image),
            is_primary=existing == 0,
        )
        photo.full_clean()
        with transaction.atomic():
            photo.save(force_insert=True)
    except BaseException:
        # The row was not written: the objects must not outlive it as orphans.
        for name in stored:
            default_storage.delete(name)
        raise
    return photo


def member_files_delete(*, names: list[str]) -> int:
    """Deletes the named objects, each of which must lie under some member's prefix."""
    for name in names:
        if not name.startswith("members/"):
            raise ValueError(f"refusing to delete {name!r}")
        default_storage.delete(name)
    return len(names)


@transaction.atomic
def photo_delete(*, photo: Photo) -> None:
    """Deletes a photo (the member's own, or staff removing an inappropriate one). If it was the
    primary photo, the oldest remaining one becomes primary. The objects go after the commit."""
    profile = profile_lock(member_id=photo.profile.member_id)
    photo = Photo.objects.filter(pk=photo.pk, profile=profile).first()
    if photo is None:
        return  # already gone: deleting twice is not an error for staff
    names = [photo.image.name, photo.thumbnail.name]
    was_primary = photo.is_primary
    photo.delete()
    if was_primary:
        successor = profile.photos.order_by("created_at", "id").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    _storage_delete_after_commit(names)


@transaction.atomic
def photo_delete_own(*, member: Member, photo_id: uuid.UUID) -> None:
    photo = selectors.photo_get_own(member_id=member.pk, photo_id=photo_id)
    photo_delete(photo=photo)


@transaction.atomic
def photo_set_primary(*, member: Member, photo_id: uuid.UUID) -> Photo:
    profile = profile_lock(member_id=member.pk)
    photo = selectors.photo_get_own(member_id=member.pk, photo_id=photo_id)
    if not photo.is_primary:
        # Unset first: the partial unique index allows one primary per profile at any moment.
        profile.photos.filter(is_primary=True).update(is_primary=False)
        photo.is_primary = True
        photo.save(update_fields=["is_primary"])
    return photo


# --- Filmography ----------------------------------------------------------------------------


def owned_object_save(obj: _Owned, fields: dict[str, Any], *, allowed: frozenset[str]) -> _Owned:
    """Sets `fields` on one of a profile's objects (a credit, a media link), validated by the
    model (`full_clean`), and saves it. A name outside `allowed` is a bug, not input."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not {type(obj).__name__} fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def credit_create(
    *, member: Member, title: str, year: int, kind: str, role_name: str = ""
) -> Credit:
    profile = profile_lock(member_id=member.pk)
    if profile.credits.count() >= CREDITS_MAX:
        message = f"A filmography has at most {CREDITS_MAX} credits."
        raise InvalidInput(message, code="credit_limit_reached")
    credit = Credit(profile=profile, title=title, year=year, kind=kind, role_name=role_name)
    return owned_object_save(credit, {}, allowed=CREDIT_FIELDS)


@transaction.atomic
def credit_update(*, member: Member, credit_id: uuid.UUID, **fields: Any) -> Credit:
    credit = selectors.credit_get_own(member_id=member.pk, credit_id=credit_id)
    return owned_object_save(credit, fields, allowed=CREDIT_FIELDS)


@transaction.atomic
def credit_delete(*, member: Member, credit_id: uuid.UUID) -> None:
    selectors.credit_get_own(member_id=member.pk, credit_id=credit_id).delete()
