"""A failed request leaves the database as it was, and sends none of its tasks."""

import pytest
from django.core.cache import cache

from accounts.models import Member

pytestmark = pytest.mark.urls("ohmanager.tests.support")


# transactional_db: the request's own transaction really commits or rolls back here.
@pytest.mark.django_db(transaction=True)
def test_failed_request_rolls_back_its_writes_and_sends_no_task(api_client):
    cache.clear()

    response = api_client.post("/api/v1/test/write", {"email": "rolled@back.kr", "fail": True})

    assert response.status_code == 409
    assert not Member.objects.filter(email="rolled@back.kr").exists()
    assert cache.get("rolled@back.kr") is None


@pytest.mark.django_db(transaction=True)
def test_successful_request_commits_and_then_sends_its_task(api_client):
    cache.clear()

    response = api_client.post("/api/v1/test/write", {"email": "kept@commit.kr"})

    assert response.status_code == 201
    assert Member.objects.filter(email="kept@commit.kr").exists()
    assert cache.get("kept@commit.kr") == "sent"
