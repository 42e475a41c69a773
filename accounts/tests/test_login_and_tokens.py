"""Login, the per-request session check, refresh rotation and logout."""

import logging
from datetime import timedelta
from unittest import mock

import jwt
import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from redis.commands.core import Script
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from accounts import services
from accounts.authentication import SessionJWTAuthentication
from accounts.models import Member, MemberSession
from accounts.tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/me"


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# --- login ----------------------------------------------------------------------------------


def test_login_returns_tokens_naming_a_new_server_side_session(api_client, member):
    response = api_client.post(
        LOGIN,
        {"email": member.email.upper(), "password": PASSWORD},
        HTTP_USER_AGENT="OhManager/1.0 (iPhone)",
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 200
    body = response.json()
    session = MemberSession.objects.get(pk=body["session"]["id"])
    assert session.member == member
    assert session.user_agent == "OhManager/1.0 (iPhone)"
    assert session.ip_address == "203.0.113.7"
    assert len(session.id) >= 43  # 32 random bytes, URL-safe
    access, refresh = claims(body["access"]), claims(body["refresh"])
    assert access["sid"] == refresh["sid"] == session.id
    assert access["sub"] == str(member.id)
    assert access["exp"] - access["iat"] <= 15 * 60
    assert refresh["jti"] == session.refresh_jti
    assert body["session"]["expires_at"]
    member.refresh_from_db()
    assert member.last_login is not None


def test_unknown_email_and_wrong_password_get_the_same_answer_and_the_same_work(api_client, member):
    # where the unknown-email path looks check_password up
    from accounts.services import sessions as session_services

    with mock.patch.object(
        session_services, "check_password", wraps=session_services.check_password
    ) as dummy_check:
        unknown = api_client.post(LOGIN, {"email": "nobody@example.kr", "password": PASSWORD})
    wrong = api_client.post(LOGIN, {"email": member.email, "password": "wrong-password-1"})

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert unknown.json()["error"]["code"] == "invalid_credentials"
    # the unknown address still ran one password hash
    assert dummy_check.call_count == 1
    assert not MemberSession.objects.exists()


def test_pending_member_is_told_to_verify_but_only_with_the_right_password(api_client):
    pending = MemberFactory(status=Member.Status.PENDING)

    right = api_client.post(LOGIN, {"email": pending.email, "password": PASSWORD})
    wrong = api_client.post(LOGIN, {"email": pending.email, "password": "nope-nope-nope"})

    assert right.status_code == 403
    assert right.json()["error"]["code"] == "account_not_verified"
    assert wrong.status_code == 401


@pytest.mark.parametrize("status", [Member.Status.SUSPENDED, Member.Status.WITHDRAWN])
def test_suspended_and_withdrawn_members_cannot_log_in(api_client, status):
    gone = MemberFactory(status=status)

    response = api_client.post(LOGIN, {"email": gone.email, "password": PASSWORD})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == f"account_{status}"


def test_login_is_throttled_per_address_with_retry_after(api_client, member):
    answers = [
        api_client.post(LOGIN, {"email": member.email, "password": "wrong-password-1"})
        for _ in range(11)
    ]

    assert [a.status_code for a in answers] == [401] * 10 + [429]
    assert int(answers[-1].headers["Retry-After"]) > 0
    # the right password does not get past the limit either
    assert api_client.post(LOGIN, {"email": member.email, "password": PASSWORD}).status_code == 429


def test_login_is_throttled_per_ip_across_addresses(api_client):
    answers = [
        api_client.post(LOGIN, {"email": f"spray{i}@example.kr", "password": "Summer2024!!"})
        for i in range(31)
    ]

    assert [a.status_code for a in answers] == [401] * 30 + [429]
    other_ip = api_client.post(
        LOGIN, {"email": "spray0@example.kr", "password": "x" * 8}, REMOTE_ADDR="198.51.100.1"
    )
    assert other_ip.status_code == 401


def test_throttle_fails_open_with_a_warning_when_the_cache_is_down(api_client, member, caplog):
    with (
        # both ways of counting: the cache API (locmem) and the script (Redis)
        mock.patch.object(cache, "add", side_effect=ConnectionError("redis is down")),
        mock.patch.object(cache, "incr", side_effect=ConnectionError("redis is down")),
        mock.patch.object(Script, "__call__", side_effect=ConnectionError("redis is down")),
        caplog.at_level(logging.WARNING, logger="ohmanager.ratelimit"),
    ):
        response = api_client.post(LOGIN, {"email": member.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "throttle cache unavailable" in caplog.text


# --- every request --------------------------------------------------------------------------


def test_an_access_token_works_and_logout_kills_it_at_once(logged_in):
    client = logged_in.client()
    assert client.get(ME).status_code == 200

    assert client.post(LOGOUT).status_code == 204

    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert MemberSession.objects.get(pk=logged_in.session_id).revoked_reason == "logout"


def test_logout_requires_authentication(api_client):
    assert api_client.post(LOGOUT).status_code == 401


def forged(token: str, *, key: str | None, algorithm: str) -> str:
    return jwt.encode(claims(token), key, algorithm=algorithm)


@pytest.mark.parametrize(
    ("key", "algorithm"),
    [
        (None, "none"),  # unsigned
        ("not-the-signing-key-but-long-enough-32b", "HS256"),  # wrong key
        (settings.SIMPLE_JWT["SIGNING_KEY"], "HS512"),  # right key, algorithm not pinned one
    ],
)
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_forged_tokens_are_refused(logged_in, key, algorithm):
    token = forged(logged_in.access, key=key, algorithm=algorithm)

    response = bearer(token).get(ME)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_a_refresh_token_is_not_an_access_token(logged_in):
    assert bearer(logged_in.refresh).get(ME).status_code == 401


def test_an_expired_access_token_is_refused(logged_in):
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        assert logged_in.client().get(ME).status_code == 401


def test_a_token_already_used_is_refused_once_it_expires(logged_in):
    # its signature is checked once per process (authentication._verified); its expiry is not
    client = logged_in.client()
    assert client.get(ME).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=9, seconds=59)):
        assert client.get(ME).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_a_suspended_members_tokens_are_refused(logged_in):
    Member.objects.filter(pk=logged_in.member.pk).update(status=Member.Status.SUSPENDED)

    assert logged_in.client().get(ME).status_code == 401
    assert APIClient().post(REFRESH, {"refresh": logged_in.refresh}).status_code == 401


def test_an_idle_session_expires(logged_in):
    later = timezone.now() + settings.ACCOUNTS_SESSION_IDLE_TIMEOUT + timedelta(minutes=1)
    with time_machine.travel(later):
        response = APIClient().post(REFRESH, {"refresh": logged_in.refresh})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"  # the token outlived itself too


def test_activity_keeps_a_session_alive_until_its_absolute_limit(logged_in):
    refresh = logged_in.refresh
    start = timezone.now()
    step = settings.ACCOUNTS_SESSION_IDLE_TIMEOUT - timedelta(days=1)
    at = start
    while at + step < start + settings.ACCOUNTS_SESSION_ABSOLUTE_TIMEOUT:
        at += step
        with time_machine.travel(at):
            response = APIClient().post(REFRESH, {"refresh": refresh})
            assert response.status_code == 200, at
            refresh = response.json()["refresh"]
    with time_machine.travel(start + settings.ACCOUNTS_SESSION_ABSOLUTE_TIMEOUT):
        assert APIClient().post(REFRESH, {"refresh": refresh}).status_code == 401


def test_the_session_check_costs_one_query(logged_in):
    client = logged_in.client()
    client.get(ME)  # last_seen_at was just written; no touch on the next request

    with CaptureQueriesContext(connection) as captured:
        assert client.get(ME).status_code == 200

    # SQLite's BEGIN/COMMIT are not queries of ours
    queries = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    # one for the session (joined to its member, by primary key); then the view's member with
    # its profile, and the profile's photos and credits (one query each, however many)
    assert len(queries) == 4
    assert 'FROM "accounts_membersession" INNER JOIN "accounts_member"' in queries[0]
    assert '"accounts_membersession"."id" = ' in queries[0]


def test_the_authentication_class_alone_makes_exactly_one_query(
    logged_in, django_assert_num_queries
):
    request = Request(APIRequestFactory().get(ME, HTTP_AUTHORIZATION=f"Bearer {logged_in.access}"))

    with django_assert_num_queries(1):
        member, session = SessionJWTAuthentication().authenticate(request)

    assert (member, session.pk) == (logged_in.member, logged_in.session_id)


def test_last_seen_is_touched_at_most_once_a_minute(logged_in):
    client = logged_in.client()
    first_seen = MemberSession.objects.get(pk=logged_in.session_id).last_seen_at

    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        client.get(ME)
    assert MemberSession.objects.get(pk=logged_in.session_id).last_seen_at == first_seen
    with time_machine.travel(timezone.now() + timedelta(seconds=90)):
        client.get(ME)
    assert MemberSession.objects.get(pk=logged_in.session_id).last_seen_at > first_seen


# --- refresh --------------------------------------------------------------------------------


def test_refresh_rotates_and_the_new_pair_works(logged_in):
    response = APIClient().post(REFRESH, {"refresh": logged_in.refresh})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert claims(body["refresh"])["sid"] == logged_in.session_id
    assert bearer(body["access"]).get(ME).status_code == 200


def test_reusing_a_dead_refresh_token_revokes_the_session(logged_in):
    rotated = APIClient().post(REFRESH, {"refresh": logged_in.refresh}).json()

    later = timezone.now() + timedelta(seconds=settings.ACCOUNTS_REFRESH_REUSE_GRACE_SECONDS + 1)
    with time_machine.travel(later):
        reuse = APIClient().post(REFRESH, {"refresh": logged_in.refresh})
        # the whole session is dead: the thief's and the owner's tokens alike
        assert bearer(rotated["access"]).get(ME).status_code == 401
        assert APIClient().post(REFRESH, {"refresh": rotated["refresh"]}).status_code == 401

    assert reuse.status_code == 401
    assert reuse.json()["error"]["code"] == "refresh_token_reused"
    assert MemberSession.objects.get(pk=logged_in.session_id).revoked_reason == "refresh_reuse"


def test_a_retry_just_after_rotation_fails_without_killing_the_session(logged_in):
    rotated = APIClient().post(REFRESH, {"refresh": logged_in.refresh}).json()

    retry = APIClient().post(REFRESH, {"refresh": logged_in.refresh})

    assert retry.status_code == 401
    assert retry.json()["error"]["code"] == "refresh_token_superseded"
    assert bearer(rotated["access"]).get(ME).status_code == 200


def test_refresh_ignores_a_stale_access_token_in_the_header(logged_in):
    client = bearer("expired.or.garbage")

    assert client.post(REFRESH, {"refresh": logged_in.refresh}).status_code == 200


def test_refresh_refuses_garbage_and_access_tokens(logged_in):
    for token in ("garbage", logged_in.access):
        response = APIClient().post(REFRESH, {"refresh": token})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "token_not_valid"


def test_a_revoked_session_cannot_refresh(logged_in):
    services.session_revoke(session_id=logged_in.session_id, reason="test")

    response = APIClient().post(REFRESH, {"refresh": logged_in.refresh})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"
