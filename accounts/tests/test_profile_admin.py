"""The back office: the profile with photo thumbnails on the member's page; staff remove an
inappropriate photo through the same service as the member (objects deleted after commit)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Photo
from accounts.profiles import services as profile_services
from accounts.tests.factories import MemberFactory
from accounts.tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos(s3_storage):
    member = MemberFactory(email="actor@example.kr")
    account_services.profile_prepare(member=member)
    profile_services.profile_update(member=member, display_name="배우 김", bio="안녕하세요")
    profile_services.credit_create(member=member, title="겨울밤", year=2023, kind="film")
    return [
        profile_services.photo_upload(member=member, upload=upload(image_bytes())) for _ in range(2)
    ]


def test_the_member_page_shows_the_profile_with_photo_thumbnails(admin_client, photos):
    member = photos[0].profile.member

    page = admin_client.get(reverse("admin:accounts_member_change", args=[member.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "배우 김" in html and "겨울밤" in html
    for photo in photos:
        # the presigned thumbnail URL (HTML-escaped in the page) and a link to remove it
        assert photo.thumbnail.name in html
        assert reverse("admin:accounts_photo_change", args=[photo.pk]) in html


def test_staff_remove_a_photo_with_the_action(
    admin_client, photos, django_capture_on_commit_callbacks
):
    primary, other = photos
    assert primary.is_primary

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_photo_changelist"),
            {"action": "remove", "_selected_action": [primary.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert not Photo.objects.filter(pk=primary.pk).exists()
    assert not default_storage.exists(primary.image.name)
    assert not default_storage.exists(primary.thumbnail.name)
    assert Photo.objects.get(pk=other.pk).is_primary  # the profile keeps a primary photo
    assert default_storage.exists(other.image.name)


def test_the_delete_button_uses_the_same_service(
    admin_client, photos, django_capture_on_commit_callbacks
):
    photo = photos[1]
    url = reverse("admin:accounts_photo_delete", args=[photo.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not default_storage.exists(photo.image.name)


def test_the_photo_list_shows_previews_and_has_no_bulk_delete(admin_client, photos):
    page = admin_client.get(reverse("admin:accounts_photo_changelist"))

    assert page.status_code == 200
    assert photos[0].thumbnail.name in page.content.decode()
    assert b'value="delete_selected"' not in page.content
    assert b'value="remove"' in page.content
