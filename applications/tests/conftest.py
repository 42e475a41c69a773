"""Fixtures of the applications tests: performers with profiles, auditions made through the
ingest service, and API clients signed in through the real login endpoint."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import Member
from accounts.tests.factories import ADULT_BIRTH_DATE, PASSWORD, MemberFactory
from auditions.models import Audition
from auditions.tests import factories as audition_factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Login attempts are throttled per address in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def source(db):
    return audition_factories.source()


def login_client(member: Member) -> APIClient:
    """A client holding a real access token from `auth/login` (the JWT + session check)."""
    client = APIClient()
    response = client.post("/api/v1/auth/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 200, response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    return client


@pytest.fixture
def make_member(db) -> Callable[..., Member]:
    def make(*, birth_date=ADULT_BIRTH_DATE, **fields) -> Member:
        member = MemberFactory(**fields)
        account_services.profile_prepare(member=member, birth_date=birth_date)
        return member

    return make


@pytest.fixture
def performer(make_member) -> Member:
    return make_member()


@pytest.fixture
def client(performer) -> APIClient:
    return login_client(performer)


@pytest.fixture
def make_audition(source) -> Callable[..., Audition]:
    """An open audition, 10 days to go, taking applications by email unless told otherwise."""

    def make(**overrides) -> Audition:
        overrides.setdefault("deadline", timezone.localdate() + timedelta(days=10))
        return audition_factories.audition(**overrides)

    return make


@pytest.fixture
def external_audition(make_audition) -> Audition:
    return make_audition(apply_method="email", apply_target="casting@example.com")


@pytest.fixture
def in_app_audition(make_audition) -> Audition:
    return make_audition(apply_method="in_app", apply_target="")
