"""A member's withdrawal, and the purge of a withdrawn member's files."""

import uuid

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import (
    CardLink,
    Member,
    Profile,
    VerificationCode,
)
from accounts.services.members import member_storage_prefix
from accounts.services.sessions import sessions_revoke_all
from emails.services import member_emails_forget
from ohmanager.exceptions import InvalidInput


@transaction.atomic
def member_withdraw(*, member: Member, password: str) -> None:
    """Ends the account: sessions revoked, codes and profile deleted, files purged after commit,
    the email anonymised so the address can sign up again. The row stays (anonymous) so that
    other records pointing at it keep their integrity."""
    if not member.check_password(password):
        raise InvalidInput(
            "The password is incorrect.",
            code="invalid_password",
            fields={"password": ["The password is incorrect."]},
        )
    member_erase(member=member, reason="withdrawal")


@transaction.atomic
def member_erase(*, member: Member, reason: str) -> None:
    """The withdrawal's erasure, also run when a child's guardian revoked consent and did not
    give it again in time (accounts.services.guardians). Consent records stay: they are the
    proof the law asks for."""
    from accounts.tasks import purge_member_storage
    from applications.services import application_emails_forget  # applications imports accounts

    member = Member.objects.select_for_update().get(pk=member.pk)
    sessions_revoke_all(member=member, reason=reason)
    VerificationCode.objects.filter(member=member).delete()
    # Her card links die with the account (not only behind the page's status check).
    CardLink.objects.filter(member=member).delete()
    # Unsent mail to the old address is dropped; sent rows keep no address.
    member_emails_forget(member_id=member.pk)
    application_emails_forget(member_id=member.pk)
    Profile.objects.filter(member=member).delete()
    member.email = f"withdrawn-{uuid.uuid4().hex}@withdrawn.invalid"
    member.status = Member.Status.WITHDRAWN
    member.withdrawn_at = timezone.now()
    member.set_unusable_password()
    member.full_clean(exclude=["password"])
    member.save()
    purge_member_storage.delay_on_commit(member_storage_prefix(member_id=member.id))


def storage_prefix_purge(*, prefix: str) -> int:
    """Deletes every object under a member's prefix; returns how many."""
    if not (prefix.startswith("members/") and prefix.endswith("/") and len(prefix) > 10):
        raise ValueError(f"refusing to purge {prefix!r}")
    deleted = 0
    pending = [prefix]
    while pending:
        path = pending.pop()
        try:
            directories, files = default_storage.listdir(path)
        except FileNotFoundError:
            continue
        for name in files:
            default_storage.delete(f"{path}{name}")
            deleted += 1
        pending.extend(f"{path}{directory}/" for directory in directories)
    return deleted
