"""Profile photos through HTTP, stored through django-storages' S3 backend on a real
S3-compatible server (moto, in-process): upload, presigned download, delete, bad inputs."""

import io
import urllib.request
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from PIL import Image
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import PHOTOS_MAX, Member, Photo
from accounts.profiles import services as profile_services
from accounts.tests.factories import PASSWORD, MemberFactory
from accounts.tests.images import image_bytes, png_bomb, upload

pytestmark = pytest.mark.django_db

PHOTOS = "/api/v1/me/photos"
PROFILE = "/api/v1/me/profile"


@pytest.fixture
def performer(s3_storage) -> Member:
    """An activated member whose prefix (and `.keep` marker) is on the S3 server."""
    member = MemberFactory()
    account_services.profile_prepare(member=member)
    return member


@pytest.fixture
def client(performer) -> APIClient:
    client = APIClient()
    client.force_authenticate(performer)
    return client


def _post_photo(client: APIClient, content: bytes, name: str = "me.jpg", **kwargs):
    return client.post(PHOTOS, {"image": upload(content, name, **kwargs)}, format="multipart")


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local moto URL
        return response.read()


def _prefix_keys(s3, member: Member) -> list[str]:
    return s3.keys(f"members/{member.id}/")


# --- upload and download --------------------------------------------------------------------


def test_an_upload_is_stored_under_the_members_prefix_and_served_by_a_presigned_url(
    client, performer, s3_storage
):
    response = _post_photo(client, image_bytes("PNG", (800, 600)), name="holiday.png")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_primary"] is True
    photo = Photo.objects.get(pk=body["id"])
    # a normalised copy and a thumbnail, random names, never the uploaded one
    keys = _prefix_keys(s3_storage, performer)
    assert keys == sorted([f"members/{performer.id}/.keep", photo.image.name, photo.thumbnail.name])
    assert all("holiday" not in key for key in keys)
    assert photo.image.name.startswith(f"members/{performer.id}/photos/")
    # private objects: only the owner has a grant, no public-read
    acl = s3_storage.client.get_object_acl(Bucket=s3_storage.bucket, Key=photo.image.name)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    # the URL is signed and short-lived, and it downloads exactly the stored bytes
    assert body["url"].startswith(s3_storage.endpoint_url)
    assert "X-Amz-Signature=" in body["url"] and "X-Amz-Expires=600" in body["url"]
    stored = s3_storage.client.get_object(Bucket=s3_storage.bucket, Key=photo.image.name)
    downloaded = _download(body["url"])
    assert downloaded == stored["Body"].read()
    picture = Image.open(io.BytesIO(downloaded))
    assert picture.format == "JPEG" and picture.size == (800, 600)
    thumbnail = Image.open(io.BytesIO(_download(body["thumbnail_url"])))
    assert max(thumbnail.size) == 480


def test_exif_and_gps_are_stripped_and_the_photo_is_turned_upright(client, s3_storage):
    # EXIF orientation 6: the camera was turned; the pixels are stored sideways.
    original = image_bytes("JPEG", (600, 300), gps=True, orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there

    response = _post_photo(client, original)

    assert response.status_code == 201
    stored = Image.open(io.BytesIO(_download(response.json()["url"])))
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert stored.size == (300, 600)  # upright


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_whatever_their_name(client, fmt):
    response = _post_photo(client, image_bytes(fmt), name="no-extension", content_type="x/y")

    assert response.status_code == 201, response.json()


def test_a_transparent_png_is_flattened_on_white(client):
    response = _post_photo(client, image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)))

    assert response.status_code == 201
    stored = Image.open(io.BytesIO(_download(response.json()["url"])))
    assert stored.mode == "RGB"
    assert stored.getpixel((10, 10)) == (255, 255, 255)


# --- bad inputs: a clear error, nothing stored, nothing written -----------------------------


def _assert_nothing_written(performer, s3_storage) -> None:
    assert not Photo.objects.filter(profile__member=performer).exists()
    assert _prefix_keys(s3_storage, performer) == [f"members/{performer.id}/.keep"]


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"<?php system($_GET['cmd']); ?>\n", "avatar.jpg", "unsupported_image_type"),
        (image_bytes("GIF"), "anim.gif", "unsupported_image_type"),
        (image_bytes("JPEG", (1200, 900))[:1500], "cut.jpg", "damaged_image"),
        (png_bomb(), "bomb.png", "image_too_many_pixels"),
        (
            image_bytes("PNG", (10_000, 5_001), mode="1", color=0),
            "huge.png",
            "image_too_many_pixels",
        ),
    ],
    ids=["php-renamed-jpg", "gif", "truncated-jpeg", "20000x20000-png-bomb", "over-50-megapixels"],
)
def test_bad_images_are_refused_with_a_field_error(
    client, performer, s3_storage, content, name, code
):
    response = _post_photo(client, content, name=name)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["fields"]["image"]
    _assert_nothing_written(performer, s3_storage)


def test_an_oversized_body_is_a_413_in_the_envelope(client, performer, s3_storage):
    content = image_bytes("JPEG") + bytes(11 * 1024 * 1024)

    response = _post_photo(client, content)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "image_too_large"
    _assert_nothing_written(performer, s3_storage)


def test_a_file_just_over_10_mb_in_a_small_enough_body_is_also_a_413(performer, s3_storage):
    # The body's declared length passes the pre-check (multipart slack); the file does not.
    content = bytes(10 * 1024 * 1024 + 1)
    with pytest.raises(profile_services.images.PayloadTooLarge):
        profile_services.photo_upload(member=performer, upload=upload(content))
    _assert_nothing_written(performer, s3_storage)


def test_a_missing_image_is_a_field_error(client):
    response = client.post(PHOTOS, {}, format="multipart")

    assert response.status_code == 400
    assert "image" in response.json()["error"]["fields"]


def test_the_eleventh_photo_is_refused(client, performer, s3_storage):
    for _ in range(PHOTOS_MAX):
        assert _post_photo(client, image_bytes("JPEG", (64, 64))).status_code == 201
    keys_before = _prefix_keys(s3_storage, performer)

    response = _post_photo(client, image_bytes("JPEG", (64, 64)))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "photo_limit_reached"
    assert Photo.objects.filter(profile__member=performer).count() == PHOTOS_MAX
    assert _prefix_keys(s3_storage, performer) == keys_before
    assert Photo.objects.filter(profile__member=performer, is_primary=True).count() == 1


def test_a_failed_row_write_leaves_no_orphan_object(performer, s3_storage):
    with (
        mock.patch.object(Photo, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        profile_services.photo_upload(member=performer, upload=upload(image_bytes()))

    _assert_nothing_written(performer, s3_storage)


# --- delete, primary, another member's photo ------------------------------------------------


def test_deleting_a_photo_deletes_its_objects_after_commit(
    client, performer, s3_storage, django_capture_on_commit_callbacks
):
    first = _post_photo(client, image_bytes()).json()
    second = _post_photo(client, image_bytes()).json()
    photo = Photo.objects.get(pk=first["id"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.delete(f"{PHOTOS}/{first['id']}")

    assert response.status_code == 204
    assert len(callbacks) == 1
    keys = _prefix_keys(s3_storage, performer)
    assert photo.image.name not in keys and photo.thumbnail.name not in keys
    assert not Photo.objects.filter(pk=first["id"]).exists()
    # the remaining photo took over as primary
    assert Photo.objects.get(pk=second["id"]).is_primary
    assert _download(second["url"])  # the other photo is still there


def test_a_rolled_back_deletion_keeps_the_files(performer, s3_storage):
    photo = profile_services.photo_upload(member=performer, upload=upload(image_bytes()))

    with pytest.raises(RuntimeError), transaction.atomic():
        profile_services.photo_delete(photo=photo)
        raise RuntimeError("the request failed after the delete")

    assert Photo.objects.filter(pk=photo.pk).exists()
    assert default_storage.exists(photo.image.name)
    assert default_storage.exists(photo.thumbnail.name)


def test_set_primary_moves_the_flag(client, performer):
    first = _post_photo(client, image_bytes()).json()
    second = _post_photo(client, image_bytes()).json()
    assert second["is_primary"] is False

    response = client.post(f"{PHOTOS}/{second['id']}/primary")

    assert response.status_code == 200
    assert response.json()["is_primary"] is True
    primaries = Photo.objects.filter(profile__member=performer, is_primary=True)
    assert [str(p.pk) for p in primaries] == [second["id"]]
    photos = client.get(PROFILE).json()["photos"]
    assert [p["id"] for p in photos] == [second["id"], first["id"]]  # primary first


def test_another_members_photo_is_a_404_and_stays(client, s3_storage):
    other = MemberFactory()
    account_services.profile_prepare(member=other)
    theirs = profile_services.photo_upload(member=other, upload=upload(image_bytes()))

    for response in (
        client.delete(f"{PHOTOS}/{theirs.pk}"),
        client.post(f"{PHOTOS}/{theirs.pk}/primary"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert Photo.objects.filter(pk=theirs.pk).exists()
    assert default_storage.exists(theirs.image.name)


def test_an_unknown_photo_id_is_a_404(client):
    response = client.delete(f"{PHOTOS}/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404


def test_photos_need_a_token(api_client):
    assert api_client.post(PHOTOS, {}, format="multipart").status_code == 401


# --- withdrawal -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_withdrawal_removes_the_whole_prefix_from_s3(performer, s3_storage):
    client = APIClient()
    login = client.post("/api/v1/auth/login", {"email": performer.email, "password": PASSWORD})
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    for _ in range(2):
        assert _post_photo(client, image_bytes()).status_code == 201
    other = MemberFactory()
    account_services.profile_prepare(member=other)
    assert len(_prefix_keys(s3_storage, performer)) == 5  # .keep + 2 x (copy, thumbnail)

    response = client.delete("/api/v1/me", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert _prefix_keys(s3_storage, performer) == []
    assert not Photo.objects.filter(profile__member=performer).exists()
    # nobody else's files were touched
    assert _prefix_keys(s3_storage, other) == [f"members/{other.id}/.keep"]
