"""Security review #13, points 4, 5 and 9: the login limits key on the normalised address, only
failed guesses count against an address (and only block the networks that failed), IPv6 clients
count per /64, and X-Forwarded-For without NUM_PROXIES is reported."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Member
from accounts.tests.conftest import last_code
from accounts.tests.factories import PASSWORD, MemberFactory
from ohmanager import throttling
from ohmanager.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/api/v1/auth/login"
RESET = "/api/v1/auth/password/reset"
CONFIRM = "/api/v1/auth/password/reset/confirm"
REFRESH = "/api/v1/auth/refresh"
ADMIN_LOGIN = "/admin/login/?next=/admin/"

BOSS = "boss@ohmanager.kr"
FULLWIDTH_B = "\uff42"  # FULLWIDTH LATIN SMALL LETTER B, which NFKC turns into b


@pytest.fixture(autouse=True)
def _mid_window():
    """7.5 minutes into a 10-, 15- and 60-minute window alike: no burst here straddles two."""
    start = timezone.now().replace(minute=7, second=30, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(start, tick=True):
        yield


def _login(email: str, password: str, ip: str):
    return APIClient().post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=ip)


def _admin_login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- 4. limits key on the address as the login reads it --------------------------------------


def test_admin_login_counts_a_fullwidth_username_against_the_same_account():
    Member.objects.create_user(BOSS, "staff-password-123", status="active", is_staff=True)
    client = Client()
    failures = [
        _admin_login(client, BOSS, f"guess-{n}", ip=f"10.0.0.{n}").status_code for n in range(5)
    ]
    # Django's login form turns the full-width b into b and would log in as boss@...
    spoofed = _admin_login(client, FULLWIDTH_B + BOSS[1:], "staff-password-123", ip="10.0.0.99")
    shouted = _admin_login(client, BOSS.upper(), "staff-password-123", ip="10.0.0.98")

    assert failures == [200] * 5
    assert spoofed.status_code == 429
    assert shouted.status_code == 429
    assert "_auth_user_id" not in client.session


def test_api_login_counts_a_fullwidth_address_against_the_same_address():
    MemberFactory(email=BOSS)
    # A full-width local part fails the email field (400, nothing checked); a full-width
    # domain passes it, and NFKC makes it the same address.
    spoofed = "boss@\uff4f\uff48manager.kr"  # full-width "oh"

    failures = [_login(BOSS, f"guess-{n}", "203.0.113.5").status_code for n in range(10)]
    answer = _login(spoofed, "guess-x", "203.0.113.5")

    assert failures == [401] * 10
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0


# --- 5. only failures count per address, and they block only the networks that failed --------


def test_successful_logins_never_lock_the_owner_out():
    member = MemberFactory()

    answers = [_login(member.email, PASSWORD, "198.51.100.7").status_code for _ in range(12)]

    assert answers == [200] * 12  # was [200] * 10 + [429] * 2: successes counted per address


def test_one_network_guessing_is_stopped_before_the_password_check_and_the_owner_still_logs_in():
    member = MemberFactory()
    attacker = "203.0.113.66"

    guesses = [_login(member.email, f"wrong-{n}", attacker).status_code for n in range(10)]
    with mock.patch.object(
        Member, "check_password", autospec=True, side_effect=Member.check_password
    ) as checked:
        # then: even the right password from the attacker's network is not checked
        stopped = _login(member.email, PASSWORD, attacker)
        assert checked.call_count == 0
        # while the owner, on her phone's network, logs in
        owner = _login(member.email, PASSWORD, "198.51.100.20")

    assert guesses == [401] * 10
    assert stopped.status_code == 429
    assert owner.status_code == 200


def test_guesses_spread_over_many_networks_are_slowed_and_the_owner_still_logs_in():
    member = MemberFactory()
    networks = [f"203.0.113.{n}" for n in range(1, 11)]

    first = [_login(member.email, "wrong-a", ip).status_code for ip in networks]
    # the address has used up its failures: a network that failed against it is refused ...
    again = [_login(member.email, "wrong-b", ip).status_code for ip in networks]
    # ... a fresh one gets one guess, then is refused too
    fresh = [_login(member.email, f"wrong-{n}", "192.0.2.200").status_code for n in range(2)]
    owner = _login(member.email, PASSWORD, "198.51.100.30")

    assert first == [401] * 10
    assert again == [429] * 10
    assert fresh == [401, 429]
    assert owner.status_code == 200


@pytest.mark.parametrize("known", [True, False], ids=["wrong-password", "unknown-email"])
def test_an_unknown_email_counts_and_answers_like_a_wrong_password(known):
    email = MemberFactory().email if known else "nobody@example.kr"

    answers = [_login(email, "wrong-password", "203.0.113.9") for _ in range(11)]

    assert [a.status_code for a in answers] == [401] * 10 + [429]
    assert answers[0].json()["error"]["code"] == "invalid_credentials"


def test_reset_requests_and_bad_confirmations_never_block_the_owners_reset():
    member = MemberFactory()
    attacker = "203.0.113.77"
    api = APIClient()

    requested = [
        api.post(RESET, {"email": member.email}, REMOTE_ADDR=attacker).status_code for _ in range(6)
    ]
    code = last_code(member.email)
    # confirmations that guess nothing (a weak new password: refused before the code is read)
    # and a few wrong codes (fewer than the five that would kill the code)
    weak = [
        api.post(
            CONFIRM,
            {"email": member.email, "code": "000000", "new_password": "123"},
            REMOTE_ADDR=attacker,
        ).status_code
        for _ in range(10)
    ]
    wrong = [
        api.post(
            CONFIRM,
            {"email": member.email, "code": wrong_code, "new_password": "a-new-passphrase-77"},
            REMOTE_ADDR=attacker,
        ).status_code
        for wrong_code in [f"{(int(code) + n) % 1_000_000:06d}" for n in (1, 2, 3)]
    ]
    confirmed = api.post(
        CONFIRM,
        {"email": member.email, "code": code, "new_password": "a-new-passphrase-77"},
        REMOTE_ADDR="198.51.100.40",
    )

    assert requested == [202] * 5 + [429]  # the mailbox is not flooded
    assert weak == [400] * 10
    assert wrong == [400] * 3
    assert confirmed.status_code == 200, confirmed.json()
    assert _login(member.email, "a-new-passphrase-77", "198.51.100.40").status_code == 200


def test_the_owners_own_reset_requests_do_not_use_up_her_confirmation():
    member = MemberFactory()
    api = APIClient()

    requested = [api.post(RESET, {"email": member.email}).status_code for _ in range(6)]
    confirmed = api.post(
        CONFIRM,
        {"email": member.email, "code": last_code(member.email), "new_password": "passphrase-99"},
    )

    assert requested == [202] * 5 + [429]
    assert confirmed.status_code == 200


# --- 9. IPv6 clients count per /64; X-Forwarded-For without NUM_PROXIES is reported -----------


def test_login_counts_an_ipv6_client_per_64():
    # one client walking through addresses of its /64, each attempt at another address
    answers = [
        _login(f"spray{n}@example.kr", "Summer2024!!", f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(30)
    ]
    same_64 = _login("spray0@example.kr", "x" * 8, "2001:db8:1:2:ffff:ffff:ffff:fffe")
    next_64 = _login("spray0@example.kr", "x" * 8, "2001:db8:1:3::1")

    assert answers == [401] * 30
    assert same_64.status_code == 429
    assert next_64.status_code == 401


def test_guesses_at_one_address_from_one_ipv6_64_are_one_network():
    member = MemberFactory()

    guesses = [
        _login(member.email, f"wrong-{n}", f"2001:db8:aa:bb::{n + 1:x}").status_code
        for n in range(10)
    ]
    stopped = _login(member.email, PASSWORD, "2001:db8:aa:bb:1234::1")
    owner = _login(member.email, PASSWORD, "2001:db8:aa:cc::1")

    assert guesses == [401] * 10
    assert stopped.status_code == 429
    assert owner.status_code == 200


def test_admin_login_counts_an_ipv6_client_per_64():
    client = Client()
    statuses = [
        _admin_login(
            client, f"user{n}@ohmanager.kr", "guess", ip=f"2001:db8:9::{n + 1:x}"
        ).status_code
        for n in range(21)
    ]

    assert statuses == [200] * 20 + [429]


def test_the_drf_throttles_count_an_ipv6_client_per_64(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
    start = timezone.now().replace(second=30, microsecond=0) + timedelta(minutes=1)
    api = APIClient()

    with time_machine.travel(start, tick=False):
        answers = [
            api.post(REFRESH, {"refresh": "garbage"}, REMOTE_ADDR=f"2001:db8:5:6::{n + 1}")
            for n in range(4)
        ]
        other = api.post(REFRESH, {"refresh": "garbage"}, REMOTE_ADDR="2001:db8:5:7::1")

    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert other.status_code == 401


def test_ipv4_mapped_ipv6_counts_as_its_ipv4_address():
    assert throttling.client_group("::ffff:192.0.2.1") == "192.0.2.1"
    assert throttling.client_group("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert throttling.client_group("not an address").startswith("?")


def test_x_forwarded_for_without_num_proxies_is_logged_once(caplog, monkeypatch):
    monkeypatch.setattr(throttling, "_warned_unproxied_xff", False, raising=False)
    api = APIClient()

    with caplog.at_level(logging.WARNING, logger="ohmanager.throttling"):
        api.post(LOGIN, {"email": "a@example.kr", "password": "x" * 8})
        assert "NUM_PROXIES" not in caplog.text  # no proxy header, nothing to say
        for _ in range(2):
            api.post(
                LOGIN,
                {"email": "a@example.kr", "password": "x" * 8},
                HTTP_X_FORWARDED_FOR="198.51.100.1",
                REMOTE_ADDR="10.0.0.2",
            )

    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1
    assert "NUM_PROXIES is 0" in warnings[0].getMessage()


def test_x_forwarded_for_with_num_proxies_set_is_not_logged(caplog, monkeypatch, settings):
    monkeypatch.setattr(throttling, "_warned_unproxied_xff", False, raising=False)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    with caplog.at_level(logging.WARNING, logger="ohmanager.throttling"):
        response = APIClient().post(
            LOGIN,
            {"email": "a@example.kr", "password": "x" * 8},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
            REMOTE_ADDR="10.0.0.2",
        )

    assert response.status_code == 401
    assert "X-Forwarded-For" not in caplog.text
