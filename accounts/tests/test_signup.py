"""Sign-up, verification codes and activation, over HTTP."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import Member, Profile, VerificationCode
from accounts.tests.conftest import emails_to, last_code, login
from accounts.tests.factories import ADULT_BIRTH_DATE_ISO, PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP = "/api/v1/auth/signup"
VERIFY = "/api/v1/auth/verify"
RESEND = "/api/v1/auth/verify/resend"


def signup(api_client, email: str, password: str = PASSWORD, headers=None, **fields):
    return api_client.post(
        SIGNUP,
        {"email": email, "password": password, "birth_date": ADULT_BIRTH_DATE_ISO, **fields},
        **(headers or {}),
    )


def test_the_whole_sign_up_flow(api_client):
    # given a new address
    response = signup(api_client, "  New.Actor@Example.KR ")

    # then a pending member exists and a Korean email carries the code
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.actor@example.kr"
    assert body["status"] == "pending"
    member = Member.objects.get(email="new.actor@example.kr")
    assert body["id"] == str(member.id)
    assert member.status == Member.Status.PENDING
    assert member.password.startswith("md5$")  # hashed (the test hasher), never stored raw
    [email] = emails_to("new.actor@example.kr")
    assert "인증 코드" in email.subject
    assert email.alternatives[0][1] == "text/html"
    code = last_code("new.actor@example.kr")
    assert code in email.alternatives[0][0]
    # only a hash of the code is stored
    assert code not in VerificationCode.objects.get(member=member).code_hash

    # when the code is entered
    response = api_client.post(VERIFY, {"email": "new.actor@example.kr", "code": code})

    # then the member is active, with an empty profile and their own storage prefix
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "active"
    assert response.json()["profile"]["display_name"] == ""
    assert response.json()["profile"]["photos"] == []
    # the birth date of the sign-up is the one part of the profile already filled in
    assert response.json()["profile"]["completeness"]["percent"] == 10
    assert response.json()["profile"]["birth_date"] == ADULT_BIRTH_DATE_ISO
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
    profile = Profile.objects.get(member=member)
    assert profile.storage_prefix == f"members/{member.id}/"
    assert default_storage.exists(f"members/{member.id}/.keep")

    # and can log in and read their account
    session = login("new.actor@example.kr")
    me = session.client().get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == "new.actor@example.kr"


def test_sign_up_in_english_sends_the_email_in_english(api_client):
    signup(api_client, "en@example.kr", language="en")

    [email] = emails_to("en@example.kr")
    assert "verification code" in email.subject
    assert Member.objects.get(email="en@example.kr").language == "en"


def test_accept_language_sets_the_language_and_korean_is_the_default(api_client):
    signup(api_client, "ko@example.kr")
    signup(api_client, "header@example.kr", headers={"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"})

    assert Member.objects.get(email="ko@example.kr").language == "ko"
    assert Member.objects.get(email="header@example.kr").language == "en"


@pytest.mark.parametrize(
    "password",
    [
        "short1!",  # under 8
        "password123",  # common
        "8392017465",  # all digits
        "actor.kim.example",  # too similar to the email
    ],
)
def test_weak_passwords_are_refused_with_field_errors(api_client, password):
    response = signup(api_client, "actor.kim@example.kr", password)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "weak_password"
    assert response.json()["error"]["fields"]["password"]
    assert not Member.objects.exists()
    assert mail.outbox == []


def test_long_passwords_are_accepted(api_client):
    password = "긴 비밀번호 " * 30  # 210 characters, well past bcrypt's 72 bytes

    assert signup(api_client, "long@example.kr", password).status_code == 201
    api_client.post(VERIFY, {"email": "long@example.kr", "code": last_code("long@example.kr")})

    assert login("long@example.kr", password).access


def test_bcrypt_sha256_does_not_truncate_long_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.BCryptSHA256PasswordHasher"]
    member = Member(email="bcrypt@example.kr")
    member.set_password("a" * 80 + "X")

    assert member.password.startswith("bcrypt_sha256$")
    assert member.check_password("a" * 80 + "X")
    assert not member.check_password("a" * 80 + "Y")  # plain bcrypt would accept this


def test_a_malformed_email_is_a_validation_error(api_client):
    response = signup(api_client, "not-an-email")

    assert response.status_code == 400
    assert "email" in response.json()["error"]["fields"]


def test_a_duplicate_sign_up_answers_like_the_first_and_tells_only_the_owner(api_client):
    owner = MemberFactory(email="taken@example.kr")

    response = signup(api_client, "TAKEN@example.kr", "another-strong-pass-7")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "status"}
    assert body["status"] == "pending"
    assert body["id"] != str(owner.id)  # the owner's id is not revealed
    assert Member.objects.count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)  # nothing about the account changed
    [email] = emails_to("taken@example.kr")
    assert "이미 가입된" in email.subject
    assert not VerificationCode.objects.exists()


def test_a_second_sign_up_of_a_pending_address_gets_its_own_code_and_password(api_client):
    signup(api_client, "twice@example.kr")
    first = last_code("twice@example.kr")
    signup(api_client, "twice@example.kr", "second-strong-pass-8")
    second = last_code("twice@example.kr")

    # the second sign-up's code activates the password chosen with it, and ends the first's
    assert api_client.post(VERIFY, {"email": "twice@example.kr", "code": second}).status_code == 200
    assert login("twice@example.kr", "second-strong-pass-8").access
    if first != second:  # one in a million they are equal
        assert (
            api_client.post(VERIFY, {"email": "twice@example.kr", "code": first}).status_code == 400
        )


def test_an_expired_code_is_gone(api_client):
    signup(api_client, "slow@example.kr")
    code = last_code("slow@example.kr")

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = api_client.post(VERIFY, {"email": "slow@example.kr", "code": code})

    assert response.status_code == 410
    assert response.json()["error"]["code"] == "code_expired"
    assert Member.objects.get(email="slow@example.kr").status == Member.Status.PENDING


def test_a_code_works_until_just_before_ten_minutes(api_client):
    signup(api_client, "intime@example.kr")
    code = last_code("intime@example.kr")

    with time_machine.travel(timezone.now() + timedelta(minutes=9, seconds=50)):
        response = api_client.post(VERIFY, {"email": "intime@example.kr", "code": code})

    assert response.status_code == 200


def test_a_wrong_code_is_counted_even_though_the_request_fails(api_client):
    signup(api_client, "guess@example.kr")
    code = last_code("guess@example.kr")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = api_client.post(VERIFY, {"email": "guess@example.kr", "code": wrong})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_code"
    assert VerificationCode.objects.get().attempts == 1


def test_five_wrong_codes_kill_the_code(api_client):
    signup(api_client, "brute@example.kr")
    code = last_code("brute@example.kr")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    answers = [
        api_client.post(VERIFY, {"email": "brute@example.kr", "code": wrong}).status_code
        for _ in range(5)
    ]
    response = api_client.post(VERIFY, {"email": "brute@example.kr", "code": code})

    assert answers == [400] * 5
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too_many_attempts"
    assert int(response.headers["Retry-After"]) > 0
    assert Member.objects.get(email="brute@example.kr").status == Member.Status.PENDING


def test_a_code_is_single_use(api_client):
    signup(api_client, "once@example.kr")
    code = last_code("once@example.kr")

    first = api_client.post(VERIFY, {"email": "once@example.kr", "code": code})
    second = api_client.post(VERIFY, {"email": "once@example.kr", "code": code})

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json()["error"]["code"] == "invalid_code"


def test_a_reset_code_does_not_activate_an_account(api_client, member):
    # given a reset code of an active member, and a pending member who knows it
    api_client.post("/api/v1/auth/password/reset", {"email": member.email})
    reset_code = last_code(member.email)
    signup(api_client, "pending@example.kr")

    # a code is bound to its member and purpose
    for email in (member.email, "pending@example.kr"):
        response = api_client.post(VERIFY, {"email": email, "code": reset_code})
        assert response.status_code == 400, email


def test_resend_replaces_the_code(api_client):
    signup(api_client, "resend@example.kr")
    old = last_code("resend@example.kr")

    response = api_client.post(RESEND, {"email": "resend@example.kr"})

    assert response.status_code == 202
    new = last_code("resend@example.kr")
    assert len(emails_to("resend@example.kr")) == 2
    if old != new:
        assert (
            api_client.post(VERIFY, {"email": "resend@example.kr", "code": old}).status_code == 400
        )
    assert api_client.post(VERIFY, {"email": "resend@example.kr", "code": new}).status_code == 200


def test_resend_answers_202_for_any_address_and_emails_only_pending_members(api_client, member):
    unknown = api_client.post(RESEND, {"email": "nobody@example.kr"})
    active = api_client.post(RESEND, {"email": member.email})

    assert (unknown.status_code, active.status_code) == (202, 202)
    assert unknown.content == active.content
    assert mail.outbox == []


def test_resend_is_limited_per_address_and_a_throttled_request_sends_nothing(api_client):
    signup(api_client, "spam@example.kr")
    answers = [api_client.post(RESEND, {"email": "spam@example.kr"}) for _ in range(6)]

    assert [a.status_code for a in answers] == [202] * 5 + [429]
    assert answers[-1].json()["error"]["code"] == "throttled"
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 3600
    assert len(emails_to("spam@example.kr")) == 1 + 5
