"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis).

The schema is loaded from `/api/schema/` of the WSGI app in this process, inside a fixture that
has the test database, so every generated request goes through the real middleware, the JWT +
session check, throttles and the exception handler. Each case carries a fresh access token from
the real login of a member who owns data (an application, a credit, a saved search, a bookmark),
so the fuzzer gets past 401 and list bodies are checked with real items in them.

Checks (schemathesis' defaults for the Python API, all of them): no 5xx, every status code is
documented, bodies and content types match the schema, invalid data (negative cases) is
rejected with a 4xx, and a request without or with a broken token is not served as if
authenticated (`ignored_auth`).

Bounded so it stays a unit test: a few derandomised examples per operation with a fixed seed,
no shrinking and no example database on disk.
"""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from accounts import services as account_services
from accounts.profiles import services as profile_services
from accounts.tests.factories import ADULT_BIRTH_DATE, PASSWORD, MemberFactory
from applications import services as application_services
from auditions import services as audition_services
from auditions.tests import factories as audition_factories
from ohmanager.wsgi import application

EXAMPLES_PER_OPERATION = 6

# Schema-valid input these operations refuse with 400 by design, for rules a JSON Schema cannot
# state: the password validators (similar to the email, common, all digits), a wrong current
# password or emailed code, image content (Pillow decides), a birth date that is not in the past
# or is before 1900 (a `date` schema has no bounds), and `DELETE me`'s password, which
# OpenAPI tooling does not document as a DELETE body. Every other check still runs on them,
# and every other operation must accept whatever its schema admits.
BUSINESS_RULE_400 = [
    "POST /api/v1/auth/signup",
    "POST /api/v1/auth/verify",
    "POST /api/v1/auth/password/change",
    "POST /api/v1/auth/password/reset/confirm",
    "DELETE /api/v1/me",
    "PATCH /api/v1/me/profile",
    "POST /api/v1/me/photos",
    # A media link's URL must be https on a known video host (accounts.cards.hosts): host and
    # path rules a JSON Schema string does not state.
    "POST /api/v1/me/media",
    "PUT /api/v1/me/media/{id}",
    "PATCH /api/v1/me/media/{id}",
    # `send` excludes `external`, and `photos`/`media` go with `send` only: rules between
    # fields that the schema documents in words (applications.api.serializers).
    "POST /api/v1/applications",
]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20240609,
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
            "mode": "all",
            # DRF refuses NUL in every string (ProhibitNullCharactersValidator): a rule of
            # all text fields, not something to state in each one's schema.
            "allow-x00": False,
        },
        "operations": [
            {
                "include-name": name,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "401", "404", "409", "429"]
                    }
                },
            }
            for name in BUSINESS_RULE_400
        ]
        + [
            # A false positive of the harness on this operation's seed: schemathesis' negative
            # case drops the required Authorization header (which every call adds back) and a
            # `cursor` value that vanishes when serialised, leaving `?page_size=`, a valid
            # request, answered 200. Its twin `GET me/filmography` (same parameters) draws
            # other cases. Every other check still runs here; unpaginated and bad-cursor cases
            # are covered by accounts/tests/test_card_media.py.
            {
                "include-name": "GET /api/v1/me/media",
                "checks": {
                    "negative_data_rejection": {
                        "expected-statuses": ["200", "400", "401", "404", "429"]
                    }
                },
            }
        ],
    }
)


def _seed_member_data():
    """A member who owns one of everything the API lets a member own, and catalogue data."""
    member = MemberFactory()
    account_services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    audition_factories.source()
    open_call = audition_factories.audition(apply_method="in_app", apply_target="")
    audition_factories.audition(deadline=timezone.localdate() + timedelta(days=3))
    audition_services.bookmark_add(member=member, audition_id=open_call.pk)
    application_services.application_create(
        member=member, audition_id=open_call.pk, role_id=None, message="안녕하세요", external=False
    )
    profile_services.credit_create(
        member=member, title="여름", year=2023, kind="film", role_name="수진"
    )
    audition_services.saved_search_create(
        member=member, name="서울 영화", filters={"category": ["film"]}, frequency="daily"
    )
    return member


def _served_schema() -> dict:
    """The document `/api/schema/` serves, built by the same generator and renderer the view
    uses. Built at import because schemathesis parametrises at collection, when pytest-django
    allows no database (the view's request transaction would open one); a test below proves it
    is byte-for-byte what the endpoint serves."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


SCHEMA_DOCUMENT = _served_schema()
schema = schemathesis.openapi.from_dict(SCHEMA_DOCUMENT, config=CONFIG)
# In-process: every case is a WSGI call into the real app (what `from_wsgi` sets).
schema.app = application


@pytest.fixture
def member(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    # Raw WSGI calls, unlike Django's test client, would hand the test's connection back to the
    # pool at the end of each request (request_finished) while the test transaction is open;
    # the test client avoids that the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield _seed_member_data()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        cache.clear()


@pytest.mark.django_db
def test_fuzzed_schema_is_the_served_one(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json() == SCHEMA_DOCUMENT


@schema.parametrize()
# The member's data lives for all examples of one operation (one test transaction): intended.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_conforms_to_its_schema(case, member):
    # Each example starts from the same data and leaves nothing behind: its own savepoint,
    # rolled back at the end (a logout, a withdrawal or a deleted credit does not leak into
    # the next example).
    with transaction.atomic():
        login = account_services.session_login(
            email=member.email, password=PASSWORD, user_agent="schemathesis", ip="127.0.0.1"
        )
        case.call_and_validate(headers={"Authorization": f"Bearer {login.tokens.access}"})
        transaction.set_rollback(True)
