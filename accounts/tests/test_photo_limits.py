"""What one photo upload may cost (security review, issue 13, point 6): pixels bounded from the
header before anything is decoded, JPEGs decoded at reduced scale, peak memory per upload
measured in a fresh process, and uploads throttled per member."""

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from PIL import Image, ImageChops, ImageFile, ImageStat
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import PHOTOS_MAX, Member, Photo
from accounts.profiles import images
from accounts.tests.factories import MemberFactory
from accounts.tests.images import EXIF_ORIENTATION, png_bomb, png_chunk, upload

pytestmark = pytest.mark.django_db

PHOTOS = "/api/v1/me/photos"
ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
PEAK_BUDGET_BYTES = 200 * MB


@pytest.fixture
def performer() -> Member:
    member = MemberFactory()
    account_services.profile_prepare(member=member)
    return member


@pytest.fixture
def client(performer) -> APIClient:
    client = APIClient()
    client.force_authenticate(performer)
    return client


@pytest.fixture
def decodes(monkeypatch) -> list[tuple[str, tuple[int, int]]]:
    """(format, size) of every image Pillow decodes: `ImageFile.load` is where pixel data is
    read (JPEG, PNG, and WebP through its own `load`)."""
    seen: list[tuple[str, tuple[int, int]]] = []
    original = ImageFile.ImageFile.load

    def load(self):
        if self.tile:  # not yet decoded
            seen.append((self.format, self.size))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return seen


def _post(client: APIClient, content: bytes, name: str = "me.png"):
    return client.post(PHOTOS, {"image": upload(content, name)}, format="multipart")


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _flat_png(size: tuple[int, int]) -> bytes:
    """A 1-bit PNG: a byte per pixel to build here, a few kilobytes on the wire."""
    return _encoded(Image.new("1", size, 1), "PNG")


def _header_only_png(width: int, height: int) -> bytes:
    """A PNG whose header names width x height RGB pixels and whose pixel data is a few bytes:
    decoding it would fail as damaged, so only a check of the header refuses it as too big."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def _assert_refused(response, performer, code: str = "image_too_many_pixels") -> dict:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["fields"]["image"]
    assert not Photo.objects.filter(profile__member=performer).exists()
    return error


# --- pixels, from the header ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: _flat_png((7000, 7000)), id="7000x7000-png-of-the-review"),
        pytest.param(lambda: _flat_png((6001, 4000)), id="one-column-over-24-megapixels"),
        pytest.param(lambda: _header_only_png(7000, 7000), id="header-only-7000x7000"),
    ],
)
def test_an_image_over_24_megapixels_is_refused_from_its_header_without_decoding(
    client, performer, decodes, content
):
    response = _post(client, content())

    error = _assert_refused(response, performer)
    assert "24 megapixels" in error["message"]
    assert decodes == []  # refused before a single row was decoded


def test_24_megapixels_are_accepted_and_stored_at_2048(client, performer):
    response = _post(client, _flat_png((6000, 4000)))

    assert response.status_code == 201, response.json()
    photo = Photo.objects.get(pk=response.json()["id"])
    assert (photo.width, photo.height) == (2048, 1365)


def test_a_webp_is_bounded_lower_because_its_decoder_holds_four_canvases(
    client, performer, decodes
):
    # 3840x2160 (a 4K frame) is accepted; one more row of pixels past 8.4 MP is not.
    accepted = _encoded(Image.new("RGB", (3840, 2160), (10, 120, 200)), "WEBP")
    refused = _encoded(Image.new("RGB", (3840, 2188), (10, 120, 200)), "WEBP")

    error = _assert_refused(_post(client, refused, "big.webp"), performer)
    assert "8.4 megapixels" in error["message"]
    assert decodes == []
    assert _post(client, accepted, "ok.webp").status_code == 201


def test_a_cmyk_jpeg_whose_coefficients_would_pass_150_mb_is_refused(client, performer, decodes):
    # 6000x4000 in four channels: libjpeg would buffer 4 x 24 M coefficients of 2 bytes.
    content = _encoded(Image.new("CMYK", (6000, 4000), (0, 80, 80, 0)), "JPEG", quality=50)

    error = _assert_refused(_post(client, content, "print.jpg"), performer)
    assert "4 channels" in error["message"]
    assert decodes == []


# --- Pillow's own decompression-bomb limit: its warning band and its error band ---------------


@pytest.mark.parametrize(
    ("content", "pillow_limit"),
    [
        # 100 MP: past Image.MAX_IMAGE_PIXELS (~89 MP), below twice it: Pillow only warns.
        pytest.param(lambda: png_bomb(10_000, 10_000), "default", id="warning-band-100-mp"),
        # 400 MP: past twice the limit: Pillow raises DecompressionBombError in Image.open.
        pytest.param(lambda: png_bomb(20_000, 20_000), "default", id="error-band-400-mp"),
        # With Pillow's check switched off (a library may set MAX_IMAGE_PIXELS = None), ours,
        # from the header, still refuses it.
        pytest.param(lambda: png_bomb(20_000, 20_000), None, id="pillow-limit-disabled"),
    ],
)
def test_a_decompression_bomb_is_a_clear_400_in_the_envelope(
    client, performer, decodes, monkeypatch, recwarn, content, pillow_limit
):
    if pillow_limit is None:
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    response = _post(client, content(), "bomb.png")

    _assert_refused(response, performer)
    assert decodes == []
    # the warning was turned into the refusal, not left to go to the log
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]


def test_pillows_warning_still_refuses_when_the_caller_ignores_warnings(client, performer, decodes):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. python -W ignore
        response = _post(client, png_bomb(10_000, 10_000), "bomb.png")

    _assert_refused(response, performer)
    assert decodes == []


# --- JPEGs decoded at the size we store ------------------------------------------------------


def _photo_jpeg(size: tuple[int, int], **options) -> bytes:
    """A JPEG with detail (a gradient and a grid), so a reduced decode could show."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    grid = Image.effect_noise((size[0] // 16, size[1] // 16), 80).resize(size).convert("RGB")
    return _encoded(Image.blend(image, grid, 0.5), "JPEG", quality=90, **options)


def test_a_large_jpeg_is_decoded_at_half_size_and_stored_as_before(decodes):
    content = _photo_jpeg((4100, 3000))

    processed = images.photo_process(upload=io.BytesIO(content))

    # libjpeg decoded 2050x1500 (scale 1/2), never the 4100x3000 original
    assert decodes == [("JPEG", (2050, 1500))]
    assert (processed.width, processed.height) == (2048, 1499)
    # and the stored copy is what a full decode gives, within JPEG noise
    full = Image.open(io.BytesIO(content)).convert("RGB")
    full.thumbnail((2048, 2048), Image.Resampling.LANCZOS)
    stored = Image.open(io.BytesIO(processed.image)).convert("RGB")
    assert max(ImageStat.Stat(ImageChops.difference(full, stored)).mean) < 2.0


def test_a_jpeg_no_larger_than_the_stored_size_is_decoded_in_full(decodes):
    processed = images.photo_process(upload=io.BytesIO(_photo_jpeg((2048, 1536))))

    assert decodes == [("JPEG", (2048, 1536))]
    assert (processed.width, processed.height) == (2048, 1536)


def test_a_large_rotated_jpeg_is_still_stored_upright(client, performer):
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6  # the camera was turned: the pixels are stored sideways
    image = Image.new("RGB", (4100, 3000), (200, 30, 30))
    content = _encoded(image, "JPEG", exif=exif.tobytes())

    response = _post(client, content, "turned.jpg")

    assert response.status_code == 201
    photo = Photo.objects.get(pk=response.json()["id"])
    assert (photo.width, photo.height) == (1499, 2048)


def test_a_large_transparent_png_is_still_flattened_on_white():
    image = Image.new("RGBA", (3000, 2600), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 1500, 2600))  # the left half opaque blue

    processed = images.photo_process(upload=io.BytesIO(_encoded(image, "PNG")))

    stored = Image.open(io.BytesIO(processed.image)).convert("RGB")
    assert stored.size == (2048, 1775)
    left, right = stored.getpixel((10, 900)), stored.getpixel((2040, 900))
    assert max(abs(a - b) for a, b in zip(left, (0, 0, 255), strict=True)) <= 4
    assert min(right) >= 250  # transparent became white, not black


# --- peak memory of one upload, in a fresh process --------------------------------------------

# Pillow allocates pixels with its own allocator, which tracemalloc does not see (a 6000x4000
# image shows as ~1 KB there). So a fresh interpreter processes the file, and the growth of its
# peak resident set size is the cost of the upload. The peak is VmHWM: ru_maxrss would do in a
# process started from a small one, but Linux carries the parent's peak over fork and exec into
# the child's ru_maxrss, and this test's parent has just built a 24 MP image.
_MEASURE = textwrap.dedent(
    """
    import io, json, sys, time
    import django
    django.setup()
    from accounts.profiles import images

    def peak_kb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

    content = open(sys.argv[1], "rb").read()
    before = peak_kb()
    cpu = time.process_time()
    processed = images.photo_process(upload=io.BytesIO(content))
    cpu = time.process_time() - cpu
    print(json.dumps({"before_kb": before, "after_kb": peak_kb(), "cpu_s": cpu,
                      "size": [processed.width, processed.height]}))
    """
)


def _largest_accepted(kind: str) -> bytes:
    if kind == "png-rgba":  # 4 bytes a pixel decoded, and alpha to flatten
        return _encoded(Image.new("RGBA", (6000, 4000), (20, 200, 20, 128)), "PNG")
    if kind == "jpeg-progressive-444":  # libjpeg buffers every coefficient: 144 MB
        image = Image.new("RGB", (6000, 4000), (20, 200, 20))
        return _encoded(image, "JPEG", progressive=True, subsampling=0, quality=95)
    if kind == "jpeg-baseline":
        return _encoded(Image.new("RGB", (6000, 4000), (20, 200, 20)), "JPEG", quality=90)
    assert kind == "webp"
    return _encoded(Image.new("RGB", (3840, 2160), (20, 200, 20)), "WEBP")


@pytest.mark.skipif(sys.platform != "linux", reason="reads VmHWM from /proc/self/status")
@pytest.mark.parametrize("kind", ["png-rgba", "jpeg-progressive-444", "jpeg-baseline", "webp"])
def test_one_upload_of_the_largest_accepted_image_peaks_under_200_mb(tmp_path, kind):
    path = tmp_path / "largest"
    path.write_bytes(_largest_accepted(kind))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ohmanager.settings.test"}

    run = subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    measured = json.loads(run.stdout.strip().splitlines()[-1])
    peak_growth = (measured["after_kb"] - measured["before_kb"]) * 1024
    print(
        f"{kind}: +{peak_growth / MB:.0f} MB peak (of {measured['after_kb'] // 1024} MB), "
        f"{measured['cpu_s']:.2f} s CPU"
    )
    assert max(measured["size"]) == 2048
    assert peak_growth < PEAK_BUDGET_BYTES, f"{kind}: {peak_growth / MB:.0f} MB"


# --- uploads per member -----------------------------------------------------------------------


def _mid_hour():
    """A frozen instant half-way through an hour: a burst never straddles two fixed windows."""
    return timezone.now().replace(minute=30, second=0, microsecond=0) + timedelta(hours=1)


def test_the_upload_limit_is_30_an_hour_per_member_then_429_with_retry_after(client, performer):
    cache.clear()
    small = _encoded(Image.new("RGB", (64, 64), (200, 30, 30)), "JPEG")
    other = MemberFactory()
    account_services.profile_prepare(member=other)
    other_client = APIClient()
    other_client.force_authenticate(other)

    with time_machine.travel(_mid_hour(), tick=False):
        statuses = [_post(client, small, "me.jpg").status_code for _ in range(30)]
        response = _post(client, small, "me.jpg")
        theirs = _post(other_client, small, "me.jpg")
        photo = Photo.objects.filter(profile__member=performer).first()
        primary = client.post(f"{PHOTOS}/{photo.pk}/primary")
        deleted = client.delete(f"{PHOTOS}/{photo.pk}")

    # refused uploads count too (the 11th on is over the photo limit): each cost a decode
    assert statuses == [201] * PHOTOS_MAX + [400] * (30 - PHOTOS_MAX)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response.headers["Retry-After"]) == 30 * 60  # the hour's window ends at :00
    # another member's allowance is their own, and only uploads are limited
    assert theirs.status_code == 201
    assert primary.status_code == 200
    assert deleted.status_code == 204
    # the test settings keep the production default (THROTTLE_PHOTO_UPLOAD unset)
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["photo_upload"] == "30/hour"
