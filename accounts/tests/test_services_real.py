"""Against the real services: PostgreSQL, Redis, a Celery worker and an SMTP server.

Run with `make test-services` (these fail, never skip, without them).
"""

import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Member, MemberSession
from accounts.tests.conftest import login
from accounts.tests.factories import ADULT_BIRTH_DATE_ISO, PASSWORD
from ohmanager.tests.concurrency import in_parallel

pytestmark = [pytest.mark.services]


def code_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_the_whole_sign_up_over_http_with_real_smtp_and_a_real_worker(
    celery_worker_on_redis, smtp_server
):
    client = APIClient()

    # given a sign-up: the worker on Redis sends the code through a real SMTP server
    response = client.post(
        "/api/v1/auth/signup",
        {"email": "real@example.kr", "password": PASSWORD, "birth_date": ADULT_BIRTH_DATE_ISO},
    )
    assert response.status_code == 201
    message = smtp_server.wait_for(lambda m: m["To"] == "real@example.kr")
    assert "인증 코드" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None

    # when the code read from the delivered mail is entered
    verified = client.post(
        "/api/v1/auth/verify", {"email": "real@example.kr", "code": code_in(message)}
    )

    # then the member is active and can sign in
    assert verified.status_code == 200, verified.json()
    assert verified.json()["status"] == "active"
    session = login("real@example.kr")
    profile = session.client().get("/api/v1/me").json()["profile"]
    # an empty profile but for the birth date given at sign-up (#17)
    assert profile["display_name"] == "" and profile["birth_date"] == ADULT_BIRTH_DATE_ISO
    assert "birth_date" not in profile["completeness"]["missing"]

    # and a password reset goes the same way
    client.post("/api/v1/auth/password/reset", {"email": "real@example.kr"})
    reset = smtp_server.wait_for(lambda m: "재설정" in m["Subject"])
    confirmed = client.post(
        "/api/v1/auth/password/reset/confirm",
        {"email": "real@example.kr", "code": code_in(reset), "new_password": "new-long-pass-77"},
    )
    assert confirmed.status_code == 200
    assert session.client().get("/api/v1/me").status_code == 401


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_of_one_token_yield_exactly_one_success():
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://..."
    Member.objects.create_user("race@example.kr", PASSWORD, status=Member.Status.ACTIVE)
    session = login("race@example.kr")

    responses = in_parallel(
        6, lambda: APIClient().post("/api/v1/auth/refresh", {"refresh": session.refresh})
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {200: 1, 401: 5}
    losers = {r.json()["error"]["code"] for r in responses if r.status_code == 401}
    assert losers == {"refresh_token_superseded"}
    winner = next(r.json() for r in responses if r.status_code == 200)
    # the race does not count as theft: the session and the winner's tokens live on
    assert MemberSession.objects.get(pk=session.session_id).revoked_at is None
    follow_up = APIClient().post("/api/v1/auth/refresh", {"refresh": winner["refresh"]})
    assert follow_up.status_code == 200


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_throttle_counts_parallel_requests_atomically_on_redis():
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()

    # A frozen instant mid-hour: the burst never straddles two of the limit's fixed windows.
    mid_hour = timezone.now().replace(minute=30, second=0, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(mid_hour, tick=False):
        responses = in_parallel(
            12,
            lambda: APIClient().post("/api/v1/auth/verify/resend", {"email": "burst@example.kr"}),
        )

    # the per-address limit is 5 an hour: never more, however the requests interleave
    assert Counter(r.status_code for r in responses) == {202: 5, 429: 7}
