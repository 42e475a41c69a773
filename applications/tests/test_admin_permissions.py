"""Moving an application in the admin tells the applicant where they stand: it takes
`applications.move_application`, not just the model's view or change permission, in the bulk
actions and in the change form alike (security review #13, point 2)."""

import pytest

from accounts.profiles import services as profile_services
from applications import services
from applications.models import Application
from ohmanager.tests.admin_staff import client_for, offered_actions, post_action, staff_member

pytestmark = pytest.mark.django_db

ADMIN = "/admin/applications/application/"
HISTORY_MANAGEMENT = {
    "history-TOTAL_FORMS": "0",
    "history-INITIAL_FORMS": "0",
    "history-MIN_NUM_FORMS": "0",
    "history-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def application(performer, in_app_audition) -> Application:
    profile_services.profile_update(member=performer, display_name="배우 박")
    return services.application_create(member=performer, audition_id=in_app_audition.id)


def _status(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


@pytest.mark.parametrize(
    "perms",
    [
        ["applications.view_application"],
        ["applications.view_application", "applications.change_application"],
    ],
)
def test_without_move_application_staff_cannot_move_applications(perms, application):
    staff = client_for(staff_member(perms=perms))
    assert not {"mark_viewed", "mark_not_selected"} & offered_actions(staff, ADMIN)

    post_action(staff, ADMIN, "mark_viewed", [application.pk])
    post_action(staff, ADMIN, "mark_not_selected", [application.pk])
    form = staff.post(
        f"{ADMIN}{application.pk}/change/", {"new_status": "shortlisted", **HISTORY_MANAGEMENT}
    )

    assert form.status_code == 403
    assert _status(application) == "applied"
    assert application.history.count() == 1  # the creation only


def test_move_application_moves_them(application):
    staff = client_for(
        staff_member(
            perms=[
                "applications.view_application",
                "applications.change_application",
                "applications.move_application",
            ]
        )
    )

    post_action(staff, ADMIN, "mark_viewed", [application.pk])
    assert _status(application) == "viewed"
    response = staff.post(
        f"{ADMIN}{application.pk}/change/", {"new_status": "shortlisted", **HISTORY_MANAGEMENT}
    )

    assert response.status_code == 302
    assert _status(application) == "shortlisted"
