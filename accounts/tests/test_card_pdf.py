"""`/c/<token>.pdf`: the same card as a PDF, through Django's test client, the real database and
the real WeasyPrint. Its text holds the member's Korean name, her photos are embedded (not
linked), it stays under 2 MB, it counts as a view, and a dead token or a host without Pango
gets what the page and the contract say."""

import io

import pytest
from pypdf import PdfReader

from accounts import services as account_services
from accounts.models import CardLink
from accounts.tests.card_support import card_path, fill_profile, issue, open_card
from accounts.tests.conftest import login
from accounts.tests.factories import ADULT_BIRTH_DATE, MemberFactory
from accounts.tests.images import image_bytes, upload
from ohmanager.pdf import availability

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_pdf_path() -> str:
    member = MemberFactory()
    account_services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    fill_profile(member)
    client = login(member.email).client()
    for size in ((3000, 4000), (4000, 3000)):
        photo = upload(image_bytes(size=size), "me.jpg")
        assert (
            client.post("/api/v1/me/photos", {"image": photo}, format="multipart").status_code
            == 201
        )
    return card_path(issue(client)["url"]) + ".pdf"


@pytest.mark.pdf
def test_the_pdf_holds_her_korean_name_and_embeds_her_photos_under_two_megabytes(card_pdf_path):
    response = open_card(card_pdf_path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Robots-Tag"] == "noindex"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) < 2 * 1024 * 1024
    reader = PdfReader(io.BytesIO(body))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "김서연" in text
    assert "1998" not in text  # the age, never the birth date
    # Pages share their resources: each photo is one embedded image, however many pages.
    assert len({image.name for page in reader.pages for image in page.images}) == 2


@pytest.mark.pdf
def test_opening_the_pdf_counts_as_a_view_of_the_link(card_pdf_path):
    assert open_card(card_pdf_path).status_code == 200

    link = CardLink.objects.get()
    assert link.views == 1
    assert link.first_viewed_at is not None


def test_a_dead_token_gets_the_cards_plain_404(card_pdf_path):
    CardLink.objects.update(revoked_at="2026-01-01T00:00:00Z")

    response = open_card(card_pdf_path)
    unknown = open_card("/c/not-a-token.pdf")

    assert response.status_code == unknown.status_code == 404
    assert response.content == unknown.content


def test_without_pango_the_pdf_is_503_pdf_unavailable_and_nothing_counts(
    card_pdf_path, monkeypatch
):
    # This host without Pango: the probe's import failure, as such a host raises it (a stand-in
    # for our own missing system library, not for the code under test).
    monkeypatch.setattr(
        availability, "_import_error", lambda: "OSError: cannot load library 'libpango-1.0-0'"
    )
    monkeypatch.setattr(availability, "_announced", availability.threading.Event())

    response = open_card(card_pdf_path)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "pdf_unavailable"
    assert CardLink.objects.get().views == 0
