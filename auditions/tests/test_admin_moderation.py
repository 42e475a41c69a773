"""The moderation queue and the poster page in the admin (#18), over HTTP as staff who are not
superusers: what the queue lists, each action through its service into the audit trail, and
the permissions the actions declare (a refused action changes nothing)."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from applications import services as application_services
from auditions import services
from auditions.models import Audition, AuditionEvent, Report
from auditions.tests import factories
from ohmanager.tests.admin_staff import client_for, offered_actions, post_action, staff_member

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:auditions_moderationcase_changelist")
POSTERS = reverse("admin:auditions_advertiser_changelist")
SCAM_TEXT = "등록비 5만원 입금 후 오디션 일정 안내, 보호자 신분증 사본 제출"


def quarantined() -> Audition:
    result = services.audition_ingest_listing(listing=factories.listing(description=SCAM_TEXT))
    return Audition.objects.get(pk=result.audition_id)


def reported(text: str = "돈을 요구했어요") -> Audition:
    audition = factories.audition()
    services.audition_report(
        member=factories.member(), audition_id=audition.id, reason="fee", text=text
    )
    return audition


@pytest.fixture
def moderator(db):
    return client_for(staff_member(groups=["moderator"]))


@pytest.fixture(autouse=True)
def groups(db):
    from django.core.management import call_command

    call_command("setup_staff_groups", verbosity=0)


def test_the_queue_lists_quarantined_and_reported_calls_with_flags_and_text(moderator, source):
    held, complained = quarantined(), reported("카톡으로 신분증을 달래요")
    fine = factories.audition(title="아무 문제 없는 공고")

    page = moderator.get(QUEUE)

    assert page.status_code == 200
    html = page.content.decode()
    assert "fee_requested" in html and "id_documents_requested" in html
    assert "카톡으로 신분증을 달래요" in html
    rows = {row.pk for row in page.context["cl"].result_list}
    assert rows == {held.pk, complained.pk} and fine.pk not in rows
    detail = moderator.get(reverse("admin:auditions_moderationcase_change", args=[complained.pk]))
    assert detail.status_code == 200 and "카톡으로 신분증을 달래요" in detail.content.decode()


def test_each_action_goes_through_its_service_into_the_audit_trail(
    moderator, source, django_capture_on_commit_callbacks
):
    to_clear, to_close = quarantined(), reported()
    to_hide = reported()
    applicant = factories.applicant()
    application_services.application_create(member=applicant, audition_id=to_hide.id)
    original, duplicate = factories.audition(), reported()

    post_action(moderator, QUEUE, "clear", [to_clear.pk])
    with django_capture_on_commit_callbacks(execute=True):
        post_action(moderator, QUEUE, "hide_as_scam", [to_hide.pk])
    post_action(moderator, QUEUE, "close", [to_close.pk])
    services.audition_report(member=factories.member(), audition_id=original.id, reason="other")
    post_action(moderator, QUEUE, "merge_as_duplicate", [original.pk, duplicate.pk])

    statuses = {a.pk: Audition.objects.get(pk=a.pk).status for a in (to_clear, to_hide, to_close)}
    assert statuses == {to_clear.pk: "open", to_hide.pk: "hidden", to_close.pk: "closed"}
    assert Audition.objects.get(pk=duplicate.pk).duplicate_of_id == original.pk
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    actions = set(
        AuditionEvent.objects.filter(actor__is_staff=True).values_list("action", flat=True)
    )
    assert {"cleared", "scam", "status", "merged"} <= actions
    assert not Report.objects.filter(
        audition__in=[to_hide, to_close, duplicate], resolved_at=None
    ).exists()


def test_blocking_the_poster_from_the_queue_quarantines_its_next_call(moderator, source):
    audition = reported()

    post_action(moderator, QUEUE, "block_poster", [audition.pk])
    result = services.audition_ingest_listing(
        listing=factories.listing(apply_target=audition.apply_target)
    )

    assert Audition.objects.get(pk=audition.pk).status == "quarantined"
    assert Audition.objects.get(pk=result.audition_id).status == "quarantined"
    assert AuditionEvent.objects.filter(audition=audition, action="poster_blocked").exists()


def test_view_only_staff_see_the_queue_but_cannot_decide(source):
    viewer = client_for(
        staff_member("viewer@ohmanager.example", perms=["auditions.view_moderationcase"])
    )
    held = quarantined()

    assert offered_actions(viewer, QUEUE) == set()
    post_action(viewer, QUEUE, "clear", [held.pk])
    post_action(viewer, QUEUE, "block_poster", [held.pk])

    held.refresh_from_db()
    assert held.status == "quarantined" and not held.advertiser.blocked


def test_the_poster_page_shows_its_figures_keys_and_calls(moderator, source):
    audition = factories.audition(apply_target="casting@studio.example")
    for _ in range(5):
        member = factories.applicant()
        application = application_services.application_create(
            member=member, audition_id=audition.id, external=True
        )
        application_services.application_move(
            application_id=application.id, status="no_response", actor=member, by="member"
        )

    listing = moderator.get(POSTERS)
    page = moderator.get(
        reverse("admin:auditions_advertiser_change", args=[audition.advertiser_id])
    )

    assert listing.status_code == page.status_code == 200
    html = page.content.decode()
    assert "casting@studio.example" in html and escape(audition.title) in html
    assert "0%" in listing.content.decode()
    assert offered_actions(moderator, POSTERS) == {"block", "merge_into_earliest"}


def test_posters_are_merged_from_their_page(moderator, source):
    first = factories.audition(apply_target="one@studio.example")
    second = factories.audition(apply_target="two@studio.example")

    post_action(
        moderator, POSTERS, "merge_into_earliest", [first.advertiser_id, second.advertiser_id]
    )

    second.refresh_from_db()
    assert second.advertiser_id == first.advertiser_id
