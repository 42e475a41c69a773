"""Security review #13.7: a sign-up's password is bound to the code issued for it, so a second
sign-up of a pending address (by somebody who does not read its mailbox) can never set the
password that the owner's code activates, whichever sign-up came first."""

import re

import pytest
from django.core import mail

from accounts.models import Member
from accounts.tests.conftest import CODE, last_code
from accounts.tests.factories import ADULT_BIRTH_DATE_ISO, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP = "/api/v1/auth/signup"
VERIFY = "/api/v1/auth/verify"
RESEND = "/api/v1/auth/verify/resend"
LOGIN = "/api/v1/auth/login"
ADDRESS = "owner@example.kr"
OWNER_PASSWORD = PASSWORD
ATTACKER_PASSWORD = "attacker-chosen-pass-9"


def signup(client, password: str) -> None:
    response = client.post(
        SIGNUP, {"email": ADDRESS, "password": password, "birth_date": ADULT_BIRTH_DATE_ISO}
    )
    assert response.status_code == 201, response.json()


def can_log_in(client, password: str) -> bool:
    return client.post(LOGIN, {"email": ADDRESS, "password": password}).status_code == 200


def test_owner_first_attacker_second_the_owners_code_activates_her_password(api_client):
    signup(api_client, OWNER_PASSWORD)
    owners_code = last_code(ADDRESS)
    signup(api_client, ATTACKER_PASSWORD)  # the attacker never sees the mailbox

    response = api_client.post(VERIFY, {"email": ADDRESS, "code": owners_code})

    assert response.status_code == 200, response.json()
    assert can_log_in(api_client, OWNER_PASSWORD)
    assert not can_log_in(api_client, ATTACKER_PASSWORD)


def test_attacker_first_owner_second_the_owners_code_activates_her_password(api_client):
    signup(api_client, ATTACKER_PASSWORD)
    signup(api_client, OWNER_PASSWORD)
    owners_code = last_code(ADDRESS)

    response = api_client.post(VERIFY, {"email": ADDRESS, "code": owners_code})

    assert response.status_code == 200, response.json()
    assert can_log_in(api_client, OWNER_PASSWORD)
    assert not can_log_in(api_client, ATTACKER_PASSWORD)


def test_activation_ends_the_other_sign_ups_codes(api_client):
    signup(api_client, ATTACKER_PASSWORD)
    first_code = last_code(ADDRESS)
    signup(api_client, OWNER_PASSWORD)
    owners_code = last_code(ADDRESS)
    assert api_client.post(VERIFY, {"email": ADDRESS, "code": owners_code}).status_code == 200

    replay = api_client.post(VERIFY, {"email": ADDRESS, "code": first_code})

    assert replay.status_code in (400, 409)
    assert can_log_in(api_client, OWNER_PASSWORD)


def test_a_resend_renews_each_sign_up_bound_to_its_own_password_and_says_when_it_was(api_client):
    signup(api_client, OWNER_PASSWORD)
    signup(api_client, ATTACKER_PASSWORD)
    mail.outbox.clear()

    assert api_client.post(RESEND, {"email": ADDRESS}).status_code == 202

    # one email per sign-up, each naming the time of its sign-up; the older one is the owner's
    renewed = [message for message in mail.outbox if ADDRESS in message.to]
    assert len(renewed) == 2
    stamps = [re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", m.body) for m in renewed]
    assert all(stamps), [m.body for m in renewed]
    owners_code = CODE.search(renewed[-1].body).group(1)  # renewed newest first
    assert api_client.post(VERIFY, {"email": ADDRESS, "code": owners_code}).status_code == 200
    assert can_log_in(api_client, OWNER_PASSWORD)
    assert not can_log_in(api_client, ATTACKER_PASSWORD)


def test_a_pending_members_own_password_is_not_replaced_by_a_later_sign_up(api_client):
    signup(api_client, OWNER_PASSWORD)
    before = Member.objects.get(email=ADDRESS).password

    signup(api_client, ATTACKER_PASSWORD)

    assert Member.objects.get(email=ADDRESS).password == before


def test_a_resend_long_after_an_attackers_first_sign_up_sends_no_code_for_his_password(
    api_client,
):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    signup(api_client, ATTACKER_PASSWORD)  # first: the pending member holds his password
    mail.outbox.clear()

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert api_client.post(RESEND, {"email": ADDRESS}).status_code == 202
        assert [m for m in mail.outbox if ADDRESS in m.to] == []
        # the owner signs up herself and her own code activates her own password
        signup(api_client, OWNER_PASSWORD)
        response = api_client.post(VERIFY, {"email": ADDRESS, "code": last_code(ADDRESS)})

    assert response.status_code == 200
    assert can_log_in(api_client, OWNER_PASSWORD)
    assert not can_log_in(api_client, ATTACKER_PASSWORD)
