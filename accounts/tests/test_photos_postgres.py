"""Parallel photo uploads on PostgreSQL (row locks) and S3 (moto): the limit and the single
primary photo hold under a race. Run with `make test-services`."""

from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import PHOTOS_MAX, Photo
from accounts.profiles import services as profile_services
from accounts.tests.factories import MemberFactory
from accounts.tests.images import image_bytes, upload
from ohmanager.tests.concurrency import in_parallel

pytestmark = [pytest.mark.services, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def performer(s3_storage):
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://..."
    member = MemberFactory()
    account_services.profile_prepare(member=member)
    return member


def _upload_over_http(member):
    client = APIClient()
    client.force_authenticate(member)
    content = image_bytes("JPEG", (64, 64))
    return client.post("/api/v1/me/photos", {"image": upload(content)}, format="multipart")


def test_parallel_first_uploads_make_exactly_one_primary(performer):
    responses = in_parallel(4, lambda: _upload_over_http(performer))

    assert Counter(r.status_code for r in responses) == {201: 4}
    assert Photo.objects.filter(profile__member=performer).count() == 4
    assert Photo.objects.filter(profile__member=performer, is_primary=True).count() == 1


def test_parallel_uploads_never_pass_the_limit_or_leave_objects(performer, s3_storage):
    for _ in range(PHOTOS_MAX - 2):
        profile_services.photo_upload(member=performer, upload=upload(image_bytes()))

    responses = in_parallel(5, lambda: _upload_over_http(performer))

    assert Counter(r.status_code for r in responses) == {201: 2, 400: 3}
    photos = Photo.objects.filter(profile__member=performer)
    assert photos.count() == PHOTOS_MAX
    stored = {name for photo in photos for name in (photo.image.name, photo.thumbnail.name)}
    assert set(s3_storage.keys(f"members/{performer.id}/photos/")) == stored
