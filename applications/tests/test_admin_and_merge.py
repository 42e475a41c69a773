"""Staff in the admin: in-app applications per audition with the snapshot, status moves through
the service; and the audition merge keeping one application per member."""

import pytest

from accounts.profiles import services as profile_services
from applications import services
from applications.models import Application, ApplicationEvent
from auditions import services as audition_services

ADMIN = "/admin/applications/application/"


def _inline_management() -> dict[str, str]:
    return {
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
        "history-MIN_NUM_FORMS": "0",
        "history-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def in_app_application(performer, in_app_audition) -> Application:
    profile_services.profile_update(member=performer, display_name="배우 박")
    return services.application_create(
        member=performer, audition_id=in_app_audition.id, message="잘 부탁드립니다"
    )


def test_staff_see_in_app_applications_per_audition_with_the_snapshot(
    admin_client, in_app_application, performer, external_audition
):
    services.application_create(member=performer, audition_id=external_audition.id)

    listing = admin_client.get(ADMIN)
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1  # the external one is the member's own
    per_audition = admin_client.get(ADMIN, {"audition": str(in_app_application.audition_id)})
    assert per_audition.context["cl"].result_count == 1

    page = admin_client.get(f"{ADMIN}{in_app_application.pk}/change/")
    assert page.status_code == 200
    assert "배우 박" in page.content.decode()
    assert "잘 부탁드립니다" in page.content.decode()


def test_staff_move_the_status_through_the_lifecycle(admin_client, admin_user, in_app_application):
    url = f"{ADMIN}{in_app_application.pk}/change/"
    response = admin_client.post(
        url, {"new_status": "shortlisted", "note": "서류 합격", **_inline_management()}
    )
    assert response.status_code == 302

    in_app_application.refresh_from_db()
    assert in_app_application.status == "shortlisted"
    event = in_app_application.history.last()
    assert (event.status, event.actor_kind, event.actor, event.note) == (
        "shortlisted",
        "staff",
        admin_user,
        "서류 합격",
    )

    # Backwards is not offered, and a forged choice is a form error: nothing changes.
    backwards = admin_client.post(url, {"new_status": "viewed", **_inline_management()})
    assert backwards.status_code == 200
    assert "new_status" in backwards.context["adminform"].form.errors
    in_app_application.refresh_from_db()
    assert in_app_application.status == "shortlisted"


def test_staff_cannot_add_or_delete_applications(admin_client, in_app_application):
    assert admin_client.get(f"{ADMIN}add/").status_code == 403
    assert admin_client.get(f"{ADMIN}{in_app_application.pk}/delete/").status_code == 403


def test_staff_bulk_action_skips_what_the_lifecycle_forbids(
    admin_client, in_app_application, make_member, in_app_audition
):
    other = make_member()
    finished = services.application_create(member=other, audition_id=in_app_audition.id)
    services.application_withdraw(application_id=finished.id, member=other)

    admin_client.post(
        ADMIN,
        {
            "action": "mark_viewed",
            "_selected_action": [str(in_app_application.pk), str(finished.pk)],
        },
    )

    assert Application.objects.get(pk=in_app_application.pk).status == "viewed"
    assert Application.objects.get(pk=finished.pk).status == "withdrawn"


# --- Merge ----------------------------------------------------------------------------------


def test_a_merge_keeps_the_more_advanced_application_and_records_it(
    performer, make_member, make_audition, admin_user
):
    duplicate, kept = make_audition(), make_audition()
    other = make_member()
    behind = services.application_create(member=performer, audition_id=kept.id)
    ahead = services.application_create(member=performer, audition_id=duplicate.id)
    services.application_move(
        application_id=ahead.id, status="callback", actor=performer, by="member"
    )
    moved_alone = services.application_create(member=other, audition_id=duplicate.id)

    audition_services.audition_merge(duplicate=duplicate, into=kept, actor=admin_user)

    assert not Application.objects.filter(pk=behind.pk).exists()
    assert set(Application.objects.filter(audition=kept).values_list("pk", flat=True)) == {
        ahead.pk,
        moved_alone.pk,
    }
    note = ApplicationEvent.objects.filter(application_id=ahead.pk).last()
    assert note.actor_kind == "staff" and note.status == "callback"
    assert "kept this application (callback)" in note.note
    assert "applied" in note.note
    assert not Application.objects.filter(audition=duplicate).exists()


def test_a_live_application_beats_a_finished_one_on_merge(performer, make_audition):
    duplicate, kept = make_audition(), make_audition()
    finished = services.application_create(member=performer, audition_id=kept.id)
    services.application_withdraw(application_id=finished.id, member=performer)
    live = services.application_create(member=performer, audition_id=duplicate.id)

    audition_services.audition_merge(duplicate=duplicate, into=kept, actor=None)

    assert list(Application.objects.filter(member=performer).values_list("pk", "status")) == [
        (live.pk, "applied")
    ]
    assert ApplicationEvent.objects.filter(application=live).last().actor_kind == "system"
