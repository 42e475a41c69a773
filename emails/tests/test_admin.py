"""The outbox in the back office, as a staff member who is not a superuser: read-only, behind
the model's view permission, never showing the sealed context."""

import pytest
from django.urls import reverse

from emails.services import email_context_seal
from emails.tests.factories import outbox_row
from ohmanager.tests.admin_staff import client_for, staff_member

pytestmark = pytest.mark.django_db

OUTBOX = reverse("admin:emails_emailmessage_changelist")


def test_view_permission_lists_and_shows_a_message_without_its_sealed_context():
    sealed = email_context_seal({"code": "123456"})
    row = outbox_row(to_email="listed@example.kr", sealed_context=sealed)
    client = client_for(staff_member(perms=["emails.view_emailmessage"]))

    listing = client.get(OUTBOX)
    page = client.get(reverse("admin:emails_emailmessage_change", args=[row.pk]))

    assert listing.status_code == 200 and "listed@example.kr" in listing.text
    assert page.status_code == 200 and "listed@example.kr" in page.text
    assert sealed not in page.text
    assert client.get(reverse("admin:emails_emailmessage_add")).status_code == 403


def test_without_the_view_permission_the_outbox_is_refused():
    client = client_for(staff_member(perms=["accounts.view_member"]))

    assert client.get(OUTBOX).status_code == 403
