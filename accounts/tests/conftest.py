"""Fixtures of the accounts tests: a clean cache (throttle counters), mail helpers, logins."""

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Member
from accounts.tests.factories import PASSWORD, MemberFactory

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def last_code(to: str) -> str:
    """The code in the newest email sent to `to` (locmem backend)."""
    for message in reversed(mail.outbox):
        if to in message.to:
            return CODE.search(message.body).group(1)
    raise AssertionError(f"no email to {to}: {[m.to for m in mail.outbox]}")


def emails_to(to: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if to in message.to]


@dataclass
class Login:
    member: Member
    access: str
    refresh: str
    session_id: str

    def client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.access}")
        return client


def login(email: str, password: str = PASSWORD, user_agent: str = "pytest") -> Login:
    response = APIClient().post(
        "/api/v1/auth/login", {"email": email, "password": password}, HTTP_USER_AGENT=user_agent
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    return Login(
        member=Member.objects.get(email=email),
        access=body["access"],
        refresh=body["refresh"],
        session_id=body["session"]["id"],
    )


@pytest.fixture
def member(db) -> Member:
    member = MemberFactory()
    services.profile_prepare(member=member)
    return member


@pytest.fixture
def logged_in(member) -> Login:
    return login(member.email)
