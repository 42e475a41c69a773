"""Accounts' nightly housekeeping: dead sessions, expired codes and old sent emails."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import MemberSession, VerificationCode
from accounts.tasks import purge_expired_auth_records
from accounts.tests.factories import MemberFactory
from emails.models import EmailMessage
from emails.tests.factories import outbox_row

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_nightly_purge_drops_only_long_dead_records():
    member = MemberFactory()
    now = timezone.now()
    long_ago = now - timedelta(days=90)
    live = MemberSession.objects.create(member=member, expires_at=now + timedelta(days=1))
    revoked_recently = MemberSession.objects.create(
        member=member, expires_at=now + timedelta(days=1), revoked_at=now - timedelta(days=1)
    )
    MemberSession.objects.create(
        member=member, expires_at=now + timedelta(days=1), revoked_at=long_ago
    )
    MemberSession.objects.create(
        member=member, created_at=long_ago, last_seen_at=long_ago, expires_at=long_ago
    )
    VerificationCode.objects.create(
        member=member, purpose="signup", code_hash="x", expires_at=now - timedelta(days=2)
    )
    fresh_code = VerificationCode.objects.create(
        member=member, purpose="password_reset", code_hash="y", expires_at=now
    )
    outbox_row(status=EmailMessage.Status.SENT, sent_at=long_ago)
    outbox_row(to_email="", created_at=long_ago)  # blanked by a withdrawal, never sent
    queued = outbox_row()

    result = purge_expired_auth_records.delay().get()

    assert result == {"sessions": 2, "codes": 1, "emails": 2}
    assert set(MemberSession.objects.values_list("pk", flat=True)) == {
        live.pk,
        revoked_recently.pk,
    }
    assert list(VerificationCode.objects.values_list("pk", flat=True)) == [fresh_code.pk]
    assert list(EmailMessage.objects.values_list("pk", flat=True)) == [queued.pk]
    # idempotent
    assert purge_expired_auth_records.delay().get() == {"sessions": 0, "codes": 0, "emails": 0}


def test_the_purge_is_scheduled():
    from ohmanager.schedules import PERIODIC_TASKS

    assert "accounts.tasks.purge_expired_auth_records" in {spec.task for spec in PERIODIC_TASKS}
