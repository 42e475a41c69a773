"""Django's session, user and messages middlewares pass the token API by
(ohmanager/browser_middleware.py) and still serve the back office and the HTML pages."""

import json
import logging

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, MemberFactory
from ohmanager.logging import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    return client


def test_the_back_office_still_has_its_session_and_messages(staff_client):
    page = staff_client.get("/admin/")

    assert page.status_code == 200
    assert page.wsgi_request.user.is_staff  # Django's session user
    assert hasattr(page.wsgi_request, "_messages")  # the messages storage


def test_an_api_request_opens_no_django_session_nor_message_storage(staff_client):
    # Signed in to the back office: the cookie rides along, but the API reads tokens only.
    response = staff_client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "_messages")
    assert "Cookie" not in response.headers.get("Vary", "")
    assert not response.cookies


def test_the_request_log_still_names_the_signed_in_member(api_client, caplog):
    member = MemberFactory(password=PASSWORD)
    signed_in = api_client.post(
        "/api/v1/auth/login", {"email": member.email, "password": PASSWORD}, format="json"
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in.json()['access']}")

    with caplog.at_level(logging.INFO, logger="ohmanager.request"):
        assert api_client.get("/api/v1/me").status_code == 200

    [record] = [r for r in caplog.records if getattr(r, "path", "") == "/api/v1/me"]
    assert json.loads(JsonFormatter().format(record))["member_id"] == str(member.pk)
