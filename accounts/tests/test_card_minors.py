"""Issue #17 on the profile card: a minor's card never shows her own contact details, whatever
her visibility setting, and shows her consented guardian instead; the guardian is copied on the
card's status-change e-mail, with the revocation link."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services as account_services
from accounts.cards import services as card_services
from accounts.models import Member
from accounts.tests.card_support import card_path, fill_profile, open_card
from accounts.tests.factories import MemberFactory
from applications import services as application_services
from applications.models import Application, Status
from auditions.tests import factories as audition_factories

pytestmark = pytest.mark.django_db

GUARDIAN_EMAIL = "mother@example.kr"


def _minor(*, consented: bool = True, age: int = 16) -> Member:
    member = MemberFactory()
    today = timezone.localdate()
    account_services.profile_prepare(member=member, birth_date=date(today.year - age - 1, 12, 31))
    fill_profile(member, birth_date=date(today.year - age - 1, 12, 31))  # phone, visibility on
    if consented:
        # A 15-18-year-old's guardian is named and consents like a child's.
        from accounts.models import GuardianConsent

        account_services.guardian_request(
            member=member, name="박지현", relationship="parent", email=GUARDIAN_EMAIL
        )
        GuardianConsent.objects.filter(member=member).update(
            status=GuardianConsent.Status.GIVEN, given_at=timezone.now()
        )
    return member


@pytest.fixture
def audition(db):
    audition_factories.source()
    return audition_factories.audition(deadline=timezone.localdate() + timedelta(days=10))


def _application_card(member: Member, audition) -> tuple[Application, str]:
    application = application_services.application_create(
        member=member, audition_id=audition.pk, external=True
    )
    _, url = card_services.card_link_for_application(application)
    return application, card_path(url)


def test_a_minors_application_card_shows_the_guardian_never_her_contact(audition):
    member = _minor()
    _, path = _application_card(member, audition)

    html = open_card(path, HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert member.email not in html and "010-1234-5678" not in html
    assert "연락처 (보호자)" in html
    assert GUARDIAN_EMAIL in html and "박지현" in html and "부모" in html


def test_a_minor_without_a_consented_guardian_shows_no_contact_at_all(audition):
    member = _minor(consented=False)
    _, path = _application_card(member, audition)

    html = open_card(path).content.decode()

    assert member.email not in html and "010-1234-5678" not in html
    assert GUARDIAN_EMAIL not in html


def test_an_adults_card_is_unchanged(audition):
    member = _minor(consented=False, age=25)
    _, path = _application_card(member, audition)

    html = open_card(path).content.decode()

    assert member.email in html and "010-1234-5678" in html
    assert "보호자" not in html


def test_the_guardian_is_copied_on_the_status_change_with_the_revocation_link(
    audition, django_capture_on_commit_callbacks
):
    member = _minor()
    application, path = _application_card(member, audition)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        open_card(path)

    assert Application.objects.get(pk=application.pk).status == Status.VIEWED
    [to_child] = [m for m in mail.outbox if member.email in m.to]
    [to_guardian] = [m for m in mail.outbox if GUARDIAN_EMAIL in m.to]
    assert audition.title in to_guardian.subject
    assert "보호자님께 보내는 사본" in to_guardian.body and member.email in to_guardian.body
    assert "/g/" in to_guardian.body and "/revoke" in to_guardian.body
    assert "/revoke" not in to_child.body
