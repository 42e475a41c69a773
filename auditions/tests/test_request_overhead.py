"""What every catalogue request pays for besides its SQL: the request transaction (reads run
outside it, writes keep it) and DRF's per-member throttle (a fixed-window counter)."""

from datetime import timedelta
from unittest import mock

import pytest
import redis
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import resolve
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from auditions import services
from auditions.api import views
from auditions.models import Bookmark
from auditions.tests import factories
from ohmanager import ratelimit
from ohmanager.exceptions import ApplicationError
from ohmanager.throttling import UserRateThrottle

LIST = "/api/v1/auditions"


def _mid_minute():
    """A frozen instant 30 s into a minute: a burst there never straddles two windows."""
    return timezone.now().replace(second=30, microsecond=0) + timedelta(minutes=1)


def test_read_routes_run_outside_the_request_transaction_and_write_routes_inside():
    audition_id = "0b6b7a52-7a43-4f4e-9d1c-3f3a1f0f9a11"
    for path in (LIST, f"{LIST}/{audition_id}", "/api/v1/me/bookmarks"):
        assert "default" in getattr(resolve(path).func, "_non_atomic_requests", set()), path
    # PUT/DELETE: atomic (ATOMIC_REQUESTS); and the feed, whose SET LOCAL needs a transaction
    for path in (f"{LIST}/{audition_id}/bookmark", "/api/v1/auditions/recommended"):
        assert not getattr(resolve(path).func, "_non_atomic_requests", set()), path


@pytest.mark.django_db(transaction=True)
def test_a_write_route_still_rolls_back_when_the_request_fails(client_for, source, monkeypatch):
    audition = factories.audition()
    real_add = services.bookmark_add

    def add_then_fail(**kwargs):
        real_add(**kwargs)  # the row is written ...
        raise ApplicationError("Something after the write went wrong.", code="boom")

    monkeypatch.setattr(views.services, "bookmark_add", add_then_fail)

    response = client_for.put(f"{LIST}/{audition.id}/bookmark")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "boom"
    # ... and rolled back with the request's transaction
    assert not Bookmark.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_read_sees_committed_data_without_a_transaction(client_for, source):
    audition = factories.audition()

    response = client_for.get(LIST)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(audition.id)]


@pytest.mark.django_db
def test_the_member_limit_answers_429_with_retry_after_then_resets_with_the_window(
    client_for, member, source, monkeypatch
):
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "rate", "3/min", raising=False)
    start = timezone.now().replace(second=10, microsecond=0)

    with time_machine.travel(start, tick=False):
        assert [client_for.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
        throttled = client_for.get(LIST)
    with time_machine.travel(start + timedelta(seconds=55), tick=False):
        assert client_for.get(LIST).status_code == 200  # the next minute's window

    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert throttled["Retry-After"] == "50"  # until the window ends


@pytest.mark.django_db
def test_the_member_limit_counts_per_member(client_for, member, source, monkeypatch):
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "rate", "2/min", raising=False)
    other = factories.member()
    request = APIRequestFactory().get(LIST)
    force_authenticate(request, user=other)

    with time_machine.travel(_mid_minute(), tick=False):  # one fixed window for the burst
        assert [client_for.get(LIST).status_code for _ in range(3)] == [200, 200, 429]
        assert views.AuditionViewSet.as_view({"get": "list"})(request).status_code == 200


@pytest.mark.services
@pytest.mark.redis
@pytest.mark.django_db
def test_the_member_limit_is_one_redis_round_trip_and_its_key_expires(member, monkeypatch):
    """Every API request counts one hit: one round trip (the counting script), for a window's
    first hit and for a later one alike."""
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "rate", "2/min", raising=False)
    request = APIRequestFactory().get(LIST)
    request.user = member
    throttle = UserRateThrottle()
    # the server learns the script once per process (SCRIPT LOAD): not what a request pays
    ratelimit.hit("warm-up", ratelimit.Limit(1, 60), scope="test")

    def round_trips() -> list[int]:
        counts = []
        for _ in range(2):  # the window's first hit, then a later one
            with (
                mock.patch.object(
                    redis.Redis,
                    "execute_command",
                    autospec=True,
                    side_effect=redis.Redis.execute_command,
                ) as single,
                mock.patch.object(redis.client.Pipeline, "execute", autospec=True) as piped,
            ):
                assert throttle.allow_request(request, None) is True
            assert piped.call_count == 0
            counts.append(single.call_count)
        return counts

    with time_machine.travel(_mid_minute(), tick=False):
        assert round_trips() == [1, 1]
        key = f"{throttle.get_cache_key(request, None)}:{int(throttle.timer() // 60)}"
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    assert 0 < server.ttl(cache.make_and_validate_key(key)) <= 61  # cleans up after itself
    cache.clear()

    # and against the real server, the counter limits (within one fixed window)
    with time_machine.travel(_mid_minute(), tick=False):
        allowed = [UserRateThrottle().allow_request(request, None) for _ in range(3)]
    assert allowed == [True, True, False]


@pytest.mark.django_db
def test_a_revoked_sessions_next_catalogue_read_is_401(api_client, source):
    """Revocation stays immediate on the lean read paths: nothing caches the session check."""
    cache.clear()
    audition = factories.audition()
    member = factories.member()
    tokens = []
    for device in ("phone", "tablet"):
        response = api_client.post(
            "/api/v1/auth/login",
            {"email": member.email, "password": "a-long-password-1"},
            HTTP_USER_AGENT=device,
        )
        assert response.status_code == 200, response.content
        tokens.append(response.json())
    phone, tablet = (f"Bearer {t['access']}" for t in tokens)
    paths = (LIST, f"{LIST}/{audition.id}", f"{LIST}/recommended")
    for path in paths:
        assert api_client.get(path, HTTP_AUTHORIZATION=phone).status_code == 200, path

    # the tablet ends the phone's session
    revoked = api_client.delete(
        f"/api/v1/auth/sessions/{tokens[0]['session']['id']}", HTTP_AUTHORIZATION=tablet
    )
    assert revoked.status_code == 204

    for path in paths:
        response = api_client.get(path, HTTP_AUTHORIZATION=phone)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "session_expired"
    assert api_client.get(LIST, HTTP_AUTHORIZATION=tablet).status_code == 200


@pytest.mark.django_db
def test_a_filter_combination_is_validated_once_and_a_bad_one_every_time(
    client_for, source, monkeypatch
):
    views._filterset.cache_clear()
    built = []
    real = views.AuditionFilter

    class Counting(real):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(views, "AuditionFilter", Counting)
    factories.audition(category="film")
    for _ in range(3):  # the same filters in another order, with a cursor-free page size
        assert client_for.get(LIST, {"region": "seoul", "category": "film"}).status_code == 200
        assert client_for.get(f"{LIST}?category=film&region=seoul&page_size=5").status_code == 200
    assert len(built) == 1
    for _ in range(2):
        bad = client_for.get(LIST, {"category": "nope"})
        assert bad.status_code == 400
        assert "category" in bad.json()["error"]["fields"]
    assert len(built) == 3
    # different values are a different combination
    assert client_for.get(LIST, {"category": "drama"}).status_code == 200
    assert len(built) == 4
