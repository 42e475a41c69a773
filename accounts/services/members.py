"""The member's account and profile shell: what a member may change, the staff's suspend and
reactivate, and the empty profile with its storage prefix."""

import uuid
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import Member, Profile
from accounts.services.sessions import sessions_revoke_all


def member_storage_prefix(*, member_id: uuid.UUID) -> str:
    return f"members/{member_id}/"


@transaction.atomic
def profile_prepare(*, member: Member, birth_date: date | None = None) -> Profile:
    """The empty profile (with the birth date given at sign-up) and the member's own prefix in
    the media storage. Idempotent."""
    prefix = member_storage_prefix(member_id=member.id)
    profile = Profile.objects.filter(member=member).first()
    if profile is None:
        profile = Profile(member=member, storage_prefix=prefix, birth_date=birth_date)
        profile.full_clean()
        profile.save()
    # Object stores have no directories: a small marker object makes the prefix exist.
    marker = f"{prefix}.keep"
    if not default_storage.exists(marker):
        default_storage.save(marker, ContentFile(b"Oh Manager member files\n"))
    return profile


@transaction.atomic
def member_update(*, member: Member, language: str | None = None) -> Member:
    """What a member may change about their account here; status, staff and email are not."""
    if language is not None:
        member.language = language
    member.full_clean(exclude=["password"])
    member.save(update_fields=["language", "updated_at"])
    return member


# --- Staff ----------------------------------------------------------------------------------


@transaction.atomic
def member_suspend(*, member: Member) -> bool:
    """Staff suspend an active member, or make a guardian's suspension theirs (so that a
    renewed consent does not lift it)."""
    guardians = Member.SuspensionReason.GUARDIAN_REVOKED
    suspended_by_guardian = (
        member.status == Member.Status.SUSPENDED and member.suspension_reason == guardians
    )
    if member.status != Member.Status.ACTIVE and not suspended_by_guardian:
        return False
    member.status = Member.Status.SUSPENDED
    member.suspension_reason = Member.SuspensionReason.STAFF
    member.save(update_fields=["status", "suspension_reason", "updated_at"])
    sessions_revoke_all(member=member, reason="suspended")
    return True


@transaction.atomic
def member_reactivate(*, member: Member) -> bool:
    if member.status != Member.Status.SUSPENDED:
        return False
    if _child_without_consent(member):
        # A child whose guardian revoked comes back through the guardian, not the back office.
        return False
    member.status = Member.Status.ACTIVE
    member.suspension_reason = ""
    member.save(update_fields=["status", "suspension_reason", "updated_at"])
    return True


def _child_without_consent(member: Member) -> bool:
    from accounts import selectors

    age = selectors.member_age(member=member)
    return (
        age is not None
        and age < selectors.GUARDIAN_CONSENT_AGE
        and selectors.guardian_consent_given(member=member) is None
    )


@transaction.atomic
def member_sending_pause(*, member: Member) -> bool:
    """Stops e-mail applications on the member's behalf (bounces, a poster's complaint); True
    when it changed anything."""
    return bool(
        Member.objects.filter(pk=member.pk, email_sending_paused=False).update(
            email_sending_paused=True, updated_at=timezone.now()
        )
    )


@transaction.atomic
def member_sending_resume(*, member: Member) -> bool:
    return bool(
        Member.objects.filter(pk=member.pk, email_sending_paused=True).update(
            email_sending_paused=False, updated_at=timezone.now()
        )
    )
