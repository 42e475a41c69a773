"""The PDF renderer (ohmanager.pdf): real WeasyPrint output read back with pypdf, a real local
HTTP server that must never be asked for anything, and the 503 envelope where the system
libraries are missing. Tests marked `pdf` need Pango and a Korean font (conftest.py: they
skip on a bare dev machine and fail in CI)."""

import io
import logging

import pytest
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse
from django.urls import path
from PIL import Image, ImageFilter
from pypdf import PdfReader
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny

from ohmanager import pdf
from ohmanager.pdf import availability

MAX_PDF_BYTES = 2 * 1024 * 1024
NAME = "김하늘"


def _card_html(*images: str, extra: str = "") -> str:
    tags = "".join(f'<img src="{src}" style="width: 40mm">' for src in images)
    return (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        f"<style>h1 {{ font-size: 20pt }}</style>{extra}</head>"
        f"<body><h1>{NAME}</h1><p>배우 · 키 165cm · 서울</p>{tags}</body></html>"
    )


def _photo(seed: int, size: tuple[int, int] = (4000, 3000)) -> bytes:
    """A photo-like JPEG (smooth colour and grain, not flat: it compresses like a photo)."""
    small = (size[0] // 5, size[1] // 5)
    bands = [
        Image.effect_noise(small, 60 + 10 * seed).filter(ImageFilter.GaussianBlur(1)),
        Image.linear_gradient("L").resize(small).rotate(seed * 50),
        Image.radial_gradient("L").resize(small),
    ]
    image = Image.merge("RGB", bands).resize(size, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _read(document: bytes) -> PdfReader:
    assert document.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(document))


def _text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def _images(reader: PdfReader) -> list:
    return [image for page in reader.pages for image in page.images]


def _font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.pdf
def test_korean_card_has_its_text_in_a_korean_font_and_its_photo(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    storage.save("photos/primary.jpg", io.BytesIO(_photo(1)))

    document = pdf.html_to_pdf(
        _card_html("/media/photos/primary.jpg"),
        base_url=None,
        files=pdf.storage_files(storage, prefix="media/"),
    )

    reader = _read(document)
    assert NAME in _text(reader)  # a real text layer, not outlines
    fonts = _font_names(reader)
    # The glyphs come from the installed Korean font, not a fallback's empty boxes.
    assert any("NanumGothic" in name or "NotoSansCJK" in name for name in fonts), fonts
    (image,) = _images(reader)
    assert max(image.image.size) <= pdf.PDF_PHOTO_MAX_SIDE


@pytest.mark.pdf
def test_five_camera_sized_photos_stay_under_two_megabytes():
    photos = {f"photos/{seed}.jpg": _photo(seed) for seed in range(5)}
    assert sum(len(data) for data in photos.values()) > MAX_PDF_BYTES  # as uploaded: too big
    asked = []

    def files(name: str) -> tuple[bytes, str] | None:
        asked.append(name)
        return (photos[name], "image/jpeg") if name in photos else None

    document = pdf.html_to_pdf(_card_html(*photos), base_url=None, files=files)

    assert len(document) < MAX_PDF_BYTES, len(document)
    assert sorted(asked) == sorted(photos)
    reader = _read(document)
    images = _images(reader)
    assert len(images) == 5
    assert all(max(image.image.size) <= pdf.PDF_PHOTO_MAX_SIDE for image in images)
    assert NAME in _text(reader)


@pytest.mark.pdf
def test_no_url_in_the_html_is_ever_fetched(httpserver, caplog):
    # A real server on this machine: had the renderer fetched anything, it would be logged here
    # and its PNG would be in the PDF.
    png = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(png, format="PNG")
    httpserver.expect_request("/x.png").respond_with_data(png.getvalue(), content_type="image/png")
    httpserver.expect_request("/s.css").respond_with_data("h1 {}", content_type="text/css")
    local = f"http://127.0.0.1:{httpserver.port}"
    html = _card_html(
        "photos/a.jpg",  # under the base URL: served by the callback, never by the server
        f"{local}/x.png",
        "https://example.com/a.png",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x.png",
        "//example.com/b.png",
        extra=(
            f'<link rel="stylesheet" href="{local}/s.css">'
            f'<style>@import url("{local}/s.css"); body {{ background: url("{local}/x.png") }}'
            "</style>"
        ),
    )
    asked = []

    def files(name: str) -> tuple[bytes, str] | None:
        asked.append(name)
        return (_photo(2, (800, 600)), "image/jpeg") if name == "photos/a.jpg" else None

    with caplog.at_level(logging.WARNING):
        document = pdf.html_to_pdf(html, base_url=f"{local}/card/", files=files)

    assert httpserver.log == []
    assert asked == ["photos/a.jpg"]
    reader = _read(document)
    assert len(_images(reader)) == 1
    assert NAME in _text(reader)
    assert "root:" not in _text(reader)
    refusals = [r for r in caplog.records if r.name == "ohmanager.pdf"]
    assert len(refusals) >= 6
    # Neither our lines nor WeasyPrint's quote a URL: it may carry a token or a signature.
    for record in caplog.records:
        message = record.getMessage()
        assert str(httpserver.port) not in message and "example.com" not in message, message


@pytest.mark.pdf
def test_rendering_leaves_truncated_uploads_refused():
    from PIL import ImageFile

    # WeasyPrint's import turns this process-wide switch on; photo uploads rely on it being off.
    pdf.html_to_pdf(_card_html(), base_url=None, files=lambda name: None)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_downscale_photo_makes_a_small_upright_jpeg():
    image = Image.new("RGBA", (3000, 1000), (255, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")

    small = pdf.downscale_photo(out.getvalue())

    with Image.open(io.BytesIO(small)) as result:
        assert result.format == "JPEG"
        assert result.size == (1200, 400)
        assert result.getpixel((10, 10)) == (255, 255, 255)  # transparency laid over white


def test_downscale_photo_turns_a_phone_photo_upright_and_drops_its_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; shown rotated 90° clockwise
    exif[0x8825] = {2: (37.0, 33.0, 0.0)}  # GPSInfo: where it was taken
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), "blue").save(out, format="JPEG", exif=exif)

    small = pdf.downscale_photo(out.getvalue())

    with Image.open(io.BytesIO(small)) as result:
        assert result.size == (400, 1200)
        assert not result.getexif()


def test_storage_files_serves_only_names_under_its_prefix(tmp_path):
    storage = FileSystemStorage(location=tmp_path / "media")
    storage.save("photos/a.jpg", io.BytesIO(b"jpeg bytes"))
    (tmp_path / "secret.txt").write_text("no")
    files = pdf.storage_files(storage, prefix="media/")

    assert files("media/photos/a.jpg") == (b"jpeg bytes", "image/jpeg")
    assert files("photos/a.jpg") is None
    assert files("media/photos/missing.jpg") is None
    assert files("media/../secret.txt") is None


# --- Where WeasyPrint's system libraries are missing ----------------------------------------


def _card_pdf(request: HttpRequest) -> HttpResponse:
    """A plain Django view, as the card's PDF route is."""
    try:
        document = pdf.html_to_pdf(_card_html(), base_url=None, files=lambda name: None)
    except pdf.PdfUnavailable as error:
        return pdf.pdf_unavailable_response(error)
    return pdf.pdf_response(document, filename=f"{NAME}.pdf")


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def _api_pdf(request):
    pdf.html_to_pdf(_card_html(), base_url=None, files=lambda name: None)
    return HttpResponse(status=204)


urlpatterns = [
    path("c/test.pdf", _card_pdf),
    path("api/v1/test/pdf", _api_pdf),
]


@pytest.fixture
def without_pango(monkeypatch):
    """This machine without Pango: the probe's import failure, as a host without the library
    raises it. A stand-in for our own missing system library, not for code under test."""
    monkeypatch.setattr(
        availability,
        "_import_error",
        lambda: "OSError: cannot load library 'libpango-1.0-0': libpango-1.0-0: not found",
    )
    monkeypatch.setattr(availability, "_announced", availability.threading.Event())


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_without_pango_the_pdf_answers_503_in_the_error_envelope(client, without_pango, caplog):
    with caplog.at_level(logging.WARNING, logger="ohmanager.pdf"):
        plain = client.get("/c/test.pdf")
        api = client.get("/api/v1/test/pdf")
        client.get("/c/test.pdf")

    assert plain.status_code == api.status_code == 503
    assert plain["Content-Type"] == "application/json"
    expected = {"error": {"code": "pdf_unavailable", "message": pdf.PdfUnavailable.default_message}}
    assert plain.json() == api.json() == expected
    said = [r for r in caplog.records if r.name == "ohmanager.pdf"]
    assert len(said) == 1  # once per process, not once per request
    assert "libpango" in said[0].getMessage()


def test_start_up_says_once_which_libraries_are_missing(without_pango, monkeypatch, caplog):
    libraries = {**availability._LIBRARIES, "pango-1.0": ("libpango-gone.so.0",)}
    monkeypatch.setattr(availability, "_LIBRARIES", libraries)

    with caplog.at_level(logging.WARNING, logger="ohmanager.pdf"):
        availability.announce_if_unavailable()
        availability.announce_if_unavailable()
        assert not pdf.pdf_available()

    (said,) = [r for r in caplog.records if r.name == "ohmanager.pdf"]
    assert "pango-1.0" in said.getMessage() and "503 pdf_unavailable" in said.getMessage()


@pytest.mark.pdf
@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_pdf_response_names_the_file_in_korean(client):
    response = client.get("/c/test.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%EA%B9%80" in response["Content-Disposition"]
    assert response["X-Robots-Tag"] == "noindex"
    assert NAME in _text(_read(response.content))
