"""Security review #13.5: wrong codes are capped per account across every code issued to it,
so asking for a new code (a resend, another reset request) never buys new guesses. The cap is
kept in the database, so it holds when the cache-based limits fail open."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.services import ACCOUNT_WRONG_CODES_PER_HOUR, CODE_MAX_ATTEMPTS
from accounts.tests.conftest import last_code
from accounts.tests.factories import ADULT_BIRTH_DATE_ISO, PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

RESET = "/api/v1/auth/password/reset"
CONFIRM = "/api/v1/auth/password/reset/confirm"
NEW_PASSWORD = "a-brand-new-pass-77"


@pytest.fixture(autouse=True)
def _no_cache_limits(settings):
    # The per-IP and per-address counters live in the cache and fail open; this proves the
    # account's own cap without them.
    settings.ACCOUNTS_THROTTLE_ENABLED = False


def wrong_for(code: str) -> str:
    return f"{(int(code) + 7) % 1_000_000:06d}"


def confirm(client, email: str, code: str):
    return client.post(CONFIRM, {"email": email, "code": code, "new_password": NEW_PASSWORD})


def test_new_reset_codes_do_not_buy_new_guesses(api_client):
    member = MemberFactory()
    answers = []
    for _ in range(ACCOUNT_WRONG_CODES_PER_HOUR // CODE_MAX_ATTEMPTS):
        api_client.post(RESET, {"email": member.email})
        code = last_code(member.email)
        answers += [confirm(api_client, member.email, wrong_for(code)).status_code
                    for _ in range(CODE_MAX_ATTEMPTS)]  # fmt: skip

    # when: a fresh code is issued and even the right one is tried
    api_client.post(RESET, {"email": member.email})
    fresh = last_code(member.email)
    refused = confirm(api_client, member.email, fresh)

    # then
    assert answers == [400] * ACCOUNT_WRONG_CODES_PER_HOUR
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_attempts"
    assert 0 < int(refused["Retry-After"]) <= 3600
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_the_account_cap_ends_with_its_window(api_client):
    member = MemberFactory()
    for _ in range(ACCOUNT_WRONG_CODES_PER_HOUR // CODE_MAX_ATTEMPTS):
        api_client.post(RESET, {"email": member.email})
        code = last_code(member.email)
        for _ in range(CODE_MAX_ATTEMPTS):
            confirm(api_client, member.email, wrong_for(code))

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        api_client.post(RESET, {"email": member.email})
        response = confirm(api_client, member.email, last_code(member.email))

    assert response.status_code == 200, response.json()


def test_resent_sign_up_codes_share_the_accounts_guesses(api_client):
    email = "guessed@example.kr"
    api_client.post(
        "/api/v1/auth/signup",
        {"email": email, "password": PASSWORD, "birth_date": ADULT_BIRTH_DATE_ISO},
    )
    statuses = []
    for _ in range(ACCOUNT_WRONG_CODES_PER_HOUR + 2):
        api_client.post("/api/v1/auth/verify/resend", {"email": email})
        code = last_code(email)
        statuses.append(
            api_client.post(
                "/api/v1/auth/verify", {"email": email, "code": wrong_for(code)}
            ).status_code
        )

    api_client.post("/api/v1/auth/verify/resend", {"email": email})
    right = api_client.post("/api/v1/auth/verify", {"email": email, "code": last_code(email)})

    assert statuses[:ACCOUNT_WRONG_CODES_PER_HOUR] == [400] * ACCOUNT_WRONG_CODES_PER_HOUR
    assert set(statuses[ACCOUNT_WRONG_CODES_PER_HOUR:]) == {429}
    assert right.status_code == 429
