"""The back office: members with suspend/reactivate, sessions with revoke, codes read-only."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Member, MemberSession, VerificationCode
from accounts.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_of(member):
    return services.session_login(
        email=member.email, password="correct-horse-battery-9", user_agent="ua", ip="127.0.0.1"
    ).session


def test_members_are_searchable_by_email_and_filterable_by_status(admin_client):
    MemberFactory(email="findme@example.kr")
    MemberFactory(email="other@example.kr", status=Member.Status.SUSPENDED)
    url = reverse("admin:accounts_member_changelist")

    found = admin_client.get(url, {"q": "findme"})
    suspended = admin_client.get(url, {"status__exact": "suspended"})

    assert b"findme@example.kr" in found.content
    assert b"other@example.kr" not in found.content
    assert b"other@example.kr" in suspended.content
    assert b"findme@example.kr" not in suspended.content


def test_the_member_page_shows_no_password_or_code_hash(admin_client, member):
    _, code = services.code_issue(member=member, purpose="password_reset")
    verification = VerificationCode.objects.get(member=member)

    member_page = admin_client.get(reverse("admin:accounts_member_change", args=[member.pk]))
    code_page = admin_client.get(
        reverse("admin:accounts_verificationcode_change", args=[verification.pk])
    )

    assert member_page.status_code == code_page.status_code == 200
    for page in (member_page, code_page):
        assert member.password.encode() not in page.content
        assert member.password.split("$")[-1].encode() not in page.content
        assert verification.code_hash.encode() not in page.content
        assert code.encode() not in page.content


def test_suspending_a_member_ends_their_sessions(admin_client, member, session_of):
    response = admin_client.post(
        reverse("admin:accounts_member_changelist"),
        {"action": "suspend", "_selected_action": [member.pk]},
        follow=True,
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.status == Member.Status.SUSPENDED
    assert MemberSession.objects.get(pk=session_of.pk).revoked_reason == "suspended"

    admin_client.post(
        reverse("admin:accounts_member_changelist"),
        {"action": "reactivate", "_selected_action": [member.pk]},
    )
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


def test_staff_revoke_sessions(admin_client, session_of):
    admin_client.post(
        reverse("admin:accounts_membersession_changelist"),
        {"action": "revoke", "_selected_action": [session_of.pk]},
    )

    assert MemberSession.objects.get(pk=session_of.pk).revoked_reason == "revoked_by_staff"


def test_verification_attempts_are_read_only(admin_client, member):
    services.code_issue(member=member, purpose="signup")
    verification = VerificationCode.objects.get()

    listing = admin_client.get(reverse("admin:accounts_verificationcode_changelist"))
    post = admin_client.post(
        reverse("admin:accounts_verificationcode_change", args=[verification.pk]),
        {"attempts": 0},
    )

    assert listing.status_code == 200
    assert post.status_code == 403
    assert admin_client.get(reverse("admin:accounts_verificationcode_add")).status_code == 403
