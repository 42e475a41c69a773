"""Session list and revocation, password change and reset, the member's own account."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from accounts.models import Member, MemberSession, Profile, VerificationCode
from accounts.tests.conftest import emails_to, last_code, login
from accounts.tests.factories import ADULT_BIRTH_DATE_ISO, PASSWORD, MemberFactory
from emails.models import EmailMessage

pytestmark = pytest.mark.django_db(transaction=True)

ME = "/api/v1/me"
SESSIONS = "/api/v1/auth/sessions"
CHANGE = "/api/v1/auth/password/change"
RESET = "/api/v1/auth/password/reset"
CONFIRM = "/api/v1/auth/password/reset/confirm"
NEW_PASSWORD = "a-brand-new-passphrase-42"


# --- sessions -------------------------------------------------------------------------------


def test_a_member_lists_only_their_own_live_sessions(member):
    phone = login(member.email, user_agent="phone")
    tablet = login(member.email, user_agent="tablet")
    login(MemberFactory().email)  # someone else
    old = login(member.email, user_agent="old")
    old.client().post("/api/v1/auth/logout")

    response = phone.client().get(SESSIONS)

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"results", "next", "previous"}
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {phone.session_id, tablet.session_id}
    assert rows[phone.session_id]["current"] is True
    assert rows[tablet.session_id]["current"] is False
    assert rows[tablet.session_id]["user_agent"] == "tablet"
    assert {"created_at", "last_seen_at"} <= set(rows[phone.session_id])


def test_revoking_another_session_of_ones_own_ends_it(member):
    phone, tablet = login(member.email), login(member.email)

    response = phone.client().delete(f"{SESSIONS}/{tablet.session_id}")

    assert response.status_code == 204
    assert tablet.client().get(ME).status_code == 401
    assert phone.client().get(ME).status_code == 200


def test_another_members_session_is_a_404(member):
    mine = login(member.email)
    theirs = login(MemberFactory().email)

    response = mine.client().delete(f"{SESSIONS}/{theirs.session_id}")

    assert response.status_code == 404
    assert theirs.client().get(ME).status_code == 200


def test_the_session_list_needs_a_token(api_client):
    assert api_client.get(SESSIONS).status_code == 401


# --- password change ------------------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(member):
    here, elsewhere = login(member.email), login(member.email)

    response = here.client().post(
        CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert response.json() == {"revoked_sessions": 1}
    assert here.client().get(ME).status_code == 200
    assert elsewhere.client().get(ME).status_code == 401
    assert login(member.email, NEW_PASSWORD).access
    assert (
        APIClient()
        .post("/api/v1/auth/login", {"email": member.email, "password": PASSWORD})
        .status_code
        == 401
    )
    assert "비밀번호가 변경" in emails_to(member.email)[-1].subject


def test_a_wrong_current_password_changes_nothing(logged_in):
    response = logged_in.client().post(
        CHANGE, {"current_password": "not-my-password", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_password"
    assert "current_password" in response.json()["error"]["fields"]
    logged_in.member.refresh_from_db()
    assert logged_in.member.check_password(PASSWORD)


def test_a_weak_new_password_is_refused(logged_in):
    response = logged_in.client().post(
        CHANGE, {"current_password": PASSWORD, "new_password": "12345678"}
    )

    assert response.status_code == 400
    assert "new_password" in response.json()["error"]["fields"]


# --- password reset -------------------------------------------------------------------------


def test_reset_answers_the_same_for_any_address_and_emails_only_members(api_client, member):
    unknown = api_client.post(RESET, {"email": "nobody@example.kr"})
    known = api_client.post(RESET, {"email": member.email})

    assert unknown.status_code == known.status_code == 202
    assert unknown.content == known.content
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "비밀번호 재설정" in mail.outbox[0].subject


def test_a_reset_sets_the_password_and_ends_every_session(api_client, member):
    phone, tablet = login(member.email), login(member.email)
    api_client.post(RESET, {"email": member.email})

    response = api_client.post(
        CONFIRM,
        {"email": member.email, "code": last_code(member.email), "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["email"] == member.email
    assert phone.client().get(ME).status_code == 401
    assert tablet.client().get(ME).status_code == 401
    assert login(member.email, NEW_PASSWORD).access


def test_a_weak_password_does_not_use_up_a_reset_try(api_client, member):
    api_client.post(RESET, {"email": member.email})
    code = last_code(member.email)

    weak = api_client.post(
        CONFIRM, {"email": member.email, "code": code, "new_password": "password"}
    )
    strong = api_client.post(
        CONFIRM, {"email": member.email, "code": code, "new_password": NEW_PASSWORD}
    )

    assert weak.status_code == 400
    assert strong.status_code == 200
    assert VerificationCode.objects.get().attempts == 0


def test_a_sign_up_code_cannot_reset_a_password(api_client):
    api_client.post(
        "/api/v1/auth/signup",
        {"email": "p@example.kr", "password": PASSWORD, "birth_date": ADULT_BIRTH_DATE_ISO},
    )
    signup_code = last_code("p@example.kr")

    response = api_client.post(
        CONFIRM, {"email": "p@example.kr", "code": signup_code, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_code"


def test_reset_codes_lock_after_five_wrong_tries(api_client, member):
    api_client.post(RESET, {"email": member.email})
    code = last_code(member.email)
    wrong = f"{(int(code) + 7) % 1_000_000:06d}"

    answers = [
        api_client.post(
            CONFIRM, {"email": member.email, "code": wrong, "new_password": NEW_PASSWORD}
        ).status_code
        for _ in range(5)
    ]
    last = api_client.post(
        CONFIRM, {"email": member.email, "code": code, "new_password": NEW_PASSWORD}
    )

    assert answers == [400] * 5
    assert last.status_code == 429
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


# --- me -------------------------------------------------------------------------------------


def test_me_shows_the_member_with_their_profile(logged_in):
    response = logged_in.client().get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": str(logged_in.member.id),
        "email": logged_in.member.email,
        "status": "active",
        "language": "ko",
        "date_joined": response.json()["date_joined"],
        "needs": ["birth_date"],  # the fixture's member signed up before birth dates were asked
        "profile": response.json()["profile"],
    }
    # the nested profile is the one `me/profile` serves
    assert response.json()["profile"] == logged_in.client().get(f"{ME}/profile").json()
    assert response.json()["profile"]["display_name"] == ""


def test_patch_me_ignores_status_staff_and_email(logged_in):
    response = logged_in.client().patch(
        ME,
        {
            "language": "en",
            "status": "suspended",
            "is_staff": True,
            "is_superuser": True,
            "email": "someone.else@example.kr",
            "id": "00000000-0000-0000-0000-000000000000",
        },
    )

    assert response.status_code == 200
    assert response.json()["language"] == "en"
    member = Member.objects.get(pk=logged_in.member.pk)
    assert member.language == "en"
    assert member.status == Member.Status.ACTIVE
    assert not member.is_staff and not member.is_superuser
    assert member.email == logged_in.member.email


def test_me_needs_a_token(api_client):
    assert api_client.get(ME).status_code == 401


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawal_needs_the_password(logged_in):
    response = logged_in.client().delete(ME, {"password": "not-my-password"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_password"
    assert Member.objects.get(pk=logged_in.member.pk).status == Member.Status.ACTIVE


def test_withdrawal_ends_sessions_removes_data_and_frees_the_email(api_client, member):
    here, elsewhere = login(member.email), login(member.email)
    default_storage.save(f"members/{member.id}/photos/a.jpg", ContentFile(b"jpeg"))
    address = member.email

    response = here.client().delete(ME, {"password": PASSWORD})

    assert response.status_code == 204
    assert here.client().get(ME).status_code == 401
    assert elsewhere.client().get(ME).status_code == 401
    gone = Member.objects.get(pk=member.pk)
    assert gone.status == Member.Status.WITHDRAWN
    assert gone.email != address and gone.email.endswith("@withdrawn.invalid")
    assert not gone.has_usable_password()
    assert gone.withdrawn_at is not None
    assert not Profile.objects.filter(member=member).exists()
    assert not MemberSession.objects.filter(member=member, revoked_at__isnull=True).exists()
    assert not EmailMessage.objects.filter(to_email=address).exists()
    # the whole storage prefix is purged (the task ran after commit)
    assert not default_storage.exists(f"members/{member.id}/photos/a.jpg")
    assert not default_storage.exists(f"members/{member.id}/.keep")
    # and the address can sign up again as a brand-new member
    again = api_client.post(
        "/api/v1/auth/signup",
        {"email": address, "password": PASSWORD, "birth_date": ADULT_BIRTH_DATE_ISO},
    )
    assert again.status_code == 201
    assert again.json()["id"] != str(member.id)
    assert Member.objects.get(email=address).status == Member.Status.PENDING
