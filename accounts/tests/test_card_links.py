"""`me/card`: the card's general secret link. Created or rotated by POST (the old URL dies at
once), revoked by DELETE, expiring after 7, 30 or 90 days or never; stored hashed and sealed,
never in the clear."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import CardLink
from accounts.tests.card_support import CARD, card_path, fill_profile, issue, open_card
from accounts.tests.conftest import login
from accounts.tests.factories import ADULT_BIRTH_DATE, PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(logged_in) -> APIClient:
    fill_profile(logged_in.member)
    return logged_in.client()


def test_none_yet_is_404(client):
    response = client.get(CARD)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "card_not_found"


def test_create_show_and_open(client, settings):
    created = issue(client, 30)

    assert created["url"].startswith(settings.PUBLIC_BASE_URL + "/c/")
    assert created["views"] == 0 and created["last_viewed_at"] is None
    expires = timezone.datetime.fromisoformat(created["expires_at"])
    assert abs(expires - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    # GET shows the same URL again (sealed at rest), with its views
    assert client.get(CARD).json() == created
    assert Client().get(card_path(created["url"])).status_code == 200


def test_the_database_keeps_no_plain_token(client):
    created = issue(client)
    token = card_path(created["url"])[3:]

    row = CardLink.objects.values().get()
    assert token not in repr(row)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


def test_no_expiry(client):
    created = issue(client, None)

    assert created["expires_at"] is None
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert Client().get(card_path(created["url"])).status_code == 200


@pytest.mark.parametrize("days", [0, 1, 14, 365, -7, "7", 7.0, True, "forever"])
def test_other_expiries_are_400(client, days):
    response = client.post(CARD, {"expires_in_days": days}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["expires_in_days"]
    assert CardLink.objects.count() == 0


def test_rotation_kills_the_old_url_at_once(client):
    old = issue(client, 7)
    open_card(card_path(old["url"]))

    new = issue(client, 90)

    assert new["url"] != old["url"]
    assert Client().get(card_path(old["url"])).status_code == 404
    assert Client().get(card_path(new["url"])).status_code == 200
    shown = client.get(CARD).json()
    assert shown["url"] == new["url"] and shown["views"] == 0  # a new link counts anew
    assert CardLink.objects.filter(revoked_at__isnull=True).count() == 1


def test_revocation(client):
    created = issue(client)

    assert client.delete(CARD).status_code == 204
    assert client.delete(CARD).status_code == 204  # idempotent

    assert client.get(CARD).status_code == 404
    assert Client().get(card_path(created["url"])).status_code == 404


def test_expiry(client, logged_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        created = issue(client, 7)
    path = card_path(created["url"])

    with time_machine.travel(start + timedelta(days=7) - timedelta(seconds=1), tick=False):
        assert Client().get(path).status_code == 200
    with time_machine.travel(start + timedelta(days=7, seconds=1), tick=False):
        assert Client().get(path).status_code == 404
        client = login(logged_in.member.email).client()  # a week on: a new session
        assert client.get(CARD).status_code == 404  # none live
        # a new one can be made
        assert Client().get(card_path(issue(client, 7)["url"])).status_code == 200


def test_views_are_counted_and_shown(client):
    created = issue(client)
    path = card_path(created["url"])

    for _ in range(3):
        open_card(path)

    shown = client.get(CARD).json()
    assert shown["views"] == 3 and shown["last_viewed_at"] is not None
    link = CardLink.objects.get()
    assert link.first_viewed_at <= link.last_viewed_at


def test_card_needs_a_login():
    assert APIClient().get(CARD).status_code == 401
    assert APIClient().post(CARD, {}, format="json").status_code == 401
    assert APIClient().delete(CARD).status_code == 401


def test_after_a_key_rotation_without_fallback_get_says_none_and_post_makes_one(client, settings):
    issue(client)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = []

    assert client.get(CARD).status_code == 404
    created = issue(client)
    assert client.get(CARD).json()["url"] == created["url"]


def test_after_a_key_rotation_with_the_old_key_as_fallback_the_url_still_shows(client, settings):
    created = issue(client)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert client.get(CARD).json()["url"] == created["url"]


def test_a_withdrawal_deletes_the_members_card_links():
    member = MemberFactory()
    account_services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    issue(login(member.email).client())
    assert CardLink.objects.filter(member=member).exists()

    account_services.member_withdraw(member=member, password=PASSWORD)

    assert not CardLink.objects.filter(member=member).exists()
