"""Applications over HTTP: apply, track, withdraw, the lifecycle table, 404 for others'
applications, the snapshot, counts, and the audition detail's `applied` flag."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.profiles import services as profile_services
from accounts.tests.images import image_bytes, upload
from applications import lifecycle
from applications.models import Application, ApplicationEvent, Status
from applications.tests.conftest import login_client
from auditions import services as audition_services

LIST = "/api/v1/applications"


def _apply(client, audition, **body):
    return client.post(LIST, {"audition": str(audition.id), **body})


def _error(response) -> str:
    return response.json()["error"]["code"]


# --- Apply ----------------------------------------------------------------------------------


def test_recording_an_external_application_then_tracking_it_to_cast(client, external_audition):
    role = external_audition.roles.get()

    created = _apply(client, external_audition, role=str(role.id), external=True)

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "applied"
    assert body["kind"] == "external" and body["external"] is True
    assert body["role"] == {"id": str(role.id), "name": role.name}
    assert body["audition"]["id"] == str(external_audition.id)
    assert body["snapshot"] is None
    assert [(h["status"], h["by"]) for h in body["history"]] == [("applied", "member")]
    app_id = body["id"]

    for step, note in (("viewed", ""), ("audition_scheduled", "Tue 3pm"), ("cast", "yes!")):
        moved = client.post(f"{LIST}/{app_id}/status", {"status": step, "note": note})
        assert moved.status_code == 200, moved.json()
        assert moved.json()["status"] == step

    detail = client.get(f"{LIST}/{app_id}").json()
    assert [h["status"] for h in detail["history"]] == [
        "applied",
        "viewed",
        "audition_scheduled",
        "cast",
    ]
    assert detail["history"][2]["note"] == "Tue 3pm"
    assert detail["history"][3]["from_status"] == "audition_scheduled"
    assert all(h["by"] == "member" for h in detail["history"])
    assert detail["next_statuses"] == ["not_selected", "withdrawn", "no_response"]


def test_an_email_audition_is_tracked_as_external_even_without_the_flag(client, external_audition):
    response = _apply(client, external_audition, message="sent my tape")
    assert response.status_code == 201
    assert response.json()["kind"] == "external"


def test_applying_twice_is_409_already_applied(client, external_audition):
    assert _apply(client, external_audition).status_code == 201
    again = _apply(client, external_audition)
    assert again.status_code == 409
    assert _error(again) == "already_applied"
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "deadline_days"),
    [("closed", 5), ("expired", -1), ("open", -1)],  # open but past its deadline (Seoul)
)
def test_closed_expired_or_past_deadline_auditions_are_410(
    client, make_audition, status, deadline_days
):
    audition = make_audition(
        status=status, deadline=timezone.localdate() + timedelta(days=deadline_days)
    )
    response = _apply(client, audition)
    assert response.status_code == 410
    assert _error(response) == "audition_closed"
    assert not Application.objects.exists()


def test_an_audition_closing_today_still_takes_applications(client, make_audition):
    assert _apply(client, make_audition(deadline=timezone.localdate())).status_code == 201


def test_a_rolling_audition_takes_applications(client, make_audition):
    assert _apply(client, make_audition(deadline=None)).status_code == 201


@pytest.mark.parametrize("status", ["hidden", "draft", "merged"])
def test_auditions_performers_cannot_see_are_404(client, make_audition, status):
    response = _apply(client, make_audition(status=status))
    assert response.status_code == 404
    assert _error(response) == "audition_not_found"


def test_a_role_of_another_audition_is_a_field_error(client, make_audition):
    audition, other = make_audition(), make_audition()
    response = _apply(client, audition, role=str(other.roles.get().id))
    assert response.status_code == 400
    assert "role" in response.json()["error"]["fields"]
    assert not Application.objects.exists()


def test_bad_bodies_are_400_in_the_envelope(client, external_audition):
    assert client.post(LIST, {}).status_code == 400
    assert client.post(LIST, {"audition": "nope"}).status_code == 400
    too_long = _apply(client, external_audition, message="x" * 2001)
    assert too_long.status_code == 400
    assert "message" in too_long.json()["error"]["fields"]


def test_anonymous_requests_are_401(api_client, external_audition):
    assert api_client.get(LIST).status_code == 401
    assert _apply(api_client, external_audition).status_code == 401


# --- The lifecycle, every pair --------------------------------------------------------------

ALL_PAIRS = [(a, b) for a in Status.values for b in Status.values]
PROGRESSION = [
    "applied",
    "viewed",
    "shortlisted",
    "audition_scheduled",
    "auditioned",
    "callback",
    "cast",
]
ENDS = {"not_selected", "withdrawn", "no_response"}


def _expected(source: str, target: str) -> bool:
    """The contract restated independently: forward (skips allowed) or to an end; ends final."""
    if source in ENDS or source == target:
        return False
    return target in ENDS or PROGRESSION.index(target) > PROGRESSION.index(source)


def test_the_table_matches_the_contract():
    # 7 live statuses: 21 forward pairs + 7 * 3 to an end = 42 allowed moves of 100.
    allowed = [pair for pair in ALL_PAIRS if _expected(*pair)]
    assert len(allowed) == 42
    assert all(lifecycle.can_move(*pair) == _expected(*pair) for pair in ALL_PAIRS)


@pytest.mark.parametrize(("start", "target"), ALL_PAIRS)
def test_every_transition_over_http(client, performer, external_audition, start, target):
    app_id = _apply(client, external_audition).json()["id"]
    # Reach `start` by a legal route: straight there (or stay at applied).
    if start != "applied":
        assert client.post(f"{LIST}/{app_id}/status", {"status": start}).status_code == 200

    response = client.post(f"{LIST}/{app_id}/status", {"status": target, "note": "n"})

    if _expected(start, target):
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == target
        assert response.json()["history"][-1] | {"at": None} == {
            "status": target,
            "from_status": start,
            "at": None,
            "note": "n",
            "by": "member",
        }
    else:
        assert response.status_code == 409, response.json()
        assert _error(response) == "invalid_transition"
        assert Application.objects.get(pk=app_id).status == start
        assert ApplicationEvent.objects.filter(application_id=app_id).count() == (
            1 if start == "applied" else 2
        )


@pytest.mark.parametrize("start", Status.values)
def test_withdraw_from_any_status_that_is_not_final(client, external_audition, start):
    app_id = _apply(client, external_audition).json()["id"]
    if start != "applied":
        client.post(f"{LIST}/{app_id}/status", {"status": start})

    response = client.post(f"{LIST}/{app_id}/withdraw", {"note": "conflict with a shoot"})

    if start in ENDS:
        assert response.status_code == 409
        assert _error(response) == "invalid_transition"
    else:
        assert response.status_code == 200
        assert response.json()["status"] == "withdrawn"
        assert response.json()["history"][-1]["note"] == "conflict with a shoot"


def test_an_unknown_status_is_400(client, external_audition):
    app_id = _apply(client, external_audition).json()["id"]
    response = client.post(f"{LIST}/{app_id}/status", {"status": "hired"})
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_the_member_cannot_set_an_in_app_applications_status_but_can_withdraw(
    client, in_app_audition
):
    app_id = _apply(client, in_app_audition).json()["id"]
    response = client.post(f"{LIST}/{app_id}/status", {"status": "cast"})
    assert response.status_code == 403
    assert _error(response) == "status_set_by_casting"
    assert client.post(f"{LIST}/{app_id}/status", {"status": "withdrawn"}).status_code == 200


# --- Not yours: 404 -------------------------------------------------------------------------


def test_another_members_application_is_404_for_get_status_and_withdraw(
    client, make_member, external_audition
):
    mine = _apply(client, external_audition).json()["id"]
    intruder = login_client(make_member())

    for response in (
        intruder.get(f"{LIST}/{mine}"),
        intruder.post(f"{LIST}/{mine}/status", {"status": "viewed"}),
        intruder.post(f"{LIST}/{mine}/withdraw", {}),
    ):
        assert response.status_code == 404
        assert _error(response) == "application_not_found"
    assert intruder.get(LIST).json()["results"] == []
    assert Application.objects.get(pk=mine).status == "applied"
    # A made-up id looks exactly the same.
    made_up = "00000000-0000-4000-8000-000000000000"
    assert intruder.get(f"{LIST}/{made_up}").json() == intruder.get(f"{LIST}/{mine}").json()


# --- List, filter, counts -------------------------------------------------------------------


def test_the_list_is_own_filtered_by_status_and_ordered_by_last_activity(
    client, make_member, make_audition
):
    first, second, third = (_apply(client, make_audition()).json()["id"] for _ in range(3))
    client.post(f"{LIST}/{first}/status", {"status": "shortlisted"})  # most recent activity
    client.post(f"{LIST}/{third}/status", {"status": "no_response"})
    _apply(login_client(make_member()), make_audition())  # someone else's

    listed = [item["id"] for item in client.get(LIST).json()["results"]]
    assert listed == [third, first, second]
    only = client.get(LIST, {"status": "shortlisted"}).json()["results"]
    assert [item["id"] for item in only] == [first]
    several = client.get(f"{LIST}?status=applied&status=no_response").json()["results"]
    assert {item["id"] for item in several} == {second, third}
    assert client.get(LIST, {"status": "bogus"}).status_code == 400

    page = client.get(LIST, {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = client.get(page["next"]).json()["results"]
    assert [item["id"] for item in page["results"] + rest] == listed


def test_summary_counts_every_status(client, make_audition):
    ids = [_apply(client, make_audition()).json()["id"] for _ in range(3)]
    client.post(f"{LIST}/{ids[0]}/status", {"status": "cast"})
    client.post(f"{LIST}/{ids[1]}/withdraw", {})

    body = client.get(f"{LIST}/summary").json()

    assert body["counts"] == {
        **dict.fromkeys(Status.values, 0),
        "applied": 1,
        "cast": 1,
        "withdrawn": 1,
    }
    assert body["total"] == 3
    assert body["active"] == 2


def test_list_query_count_is_flat_in_the_number_of_applications(client, make_audition):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    _apply(client, make_audition())
    with_one = queries()
    for _ in range(6):
        app_id = _apply(client, make_audition()).json()["id"]
        client.post(f"{LIST}/{app_id}/status", {"status": "viewed"})
    assert queries() == with_one


# --- Snapshot -------------------------------------------------------------------------------


def test_an_in_app_application_keeps_the_profile_as_sent(client, performer, in_app_audition):
    profile_services.profile_update(
        member=performer, display_name="김하늘", height_cm=168, skills=["경상도 사투리"]
    )
    profile_services.photo_upload(member=performer, upload=upload(image_bytes()))
    created = _apply(client, in_app_audition, message="안녕하세요")
    assert created.status_code == 201
    app_id = created.json()["id"]
    sent = created.json()["snapshot"]
    assert sent["display_name"] == "김하늘"
    assert sent["height_cm"] == 168
    assert sent["skills"] == ["경상도 사투리"]
    assert sent["email"] == performer.email
    assert "notifications" not in sent
    assert len(sent["photos"]) == 1

    # The member changes everything, and deletes the photo.
    profile_services.profile_update(
        member=performer, display_name="Sky Kim", height_cm=170, skills=[]
    )
    profile = performer.profile
    for photo in profile.photos.all():
        profile_services.photo_delete(photo=photo)

    after = client.get(f"{LIST}/{app_id}").json()["snapshot"]
    assert (after["display_name"], after["height_cm"], after["skills"]) == (
        "김하늘",
        168,
        ["경상도 사투리"],
    )
    assert len(after["photos"]) == 1
    assert client.get("/api/v1/me/profile").json()["display_name"] == "Sky Kim"
    # The snapshot's photo is a copy of its own, still in storage.
    from django.core.files.storage import default_storage

    stored = Application.objects.get(pk=app_id).snapshot["photos"][0]
    assert default_storage.exists(stored["image"])
    assert default_storage.exists(stored["thumbnail"])


def test_hidden_contact_details_are_not_sent(client, performer, in_app_audition):
    profile_services.profile_update(
        member=performer, phone="010-1234-5678", contact_visibility="hidden"
    )
    sent = _apply(client, in_app_audition).json()["snapshot"]
    assert sent["phone"] == "" and sent["email"] is None


# --- The audition detail's `applied` --------------------------------------------------------


def test_audition_detail_shows_applied_with_the_id(client, make_member, external_audition):
    url = f"/api/v1/auditions/{external_audition.id}"
    assert client.get(url).json()["applied"] is False
    app_id = _apply(client, external_audition).json()["id"]

    body = client.get(url).json()
    assert (body["applied"], body["application_id"]) == (True, app_id)
    listed = client.get("/api/v1/auditions").json()["results"]
    assert [(i["applied"], i["application_id"]) for i in listed] == [(True, app_id)]
    # Someone else's view of the same audition.
    other = login_client(make_member()).get(url).json()
    assert (other["applied"], other["application_id"]) == (False, None)


def test_applied_follows_an_application_across_a_merge(client, performer, make_audition):
    duplicate, kept = make_audition(), make_audition()
    app_id = _apply(client, duplicate).json()["id"]

    audition_services.audition_merge(duplicate=duplicate, into=kept, actor=None)

    body = client.get(f"/api/v1/auditions/{kept.id}").json()
    assert (body["applied"], body["application_id"]) == (True, app_id)
    assert client.get(f"{LIST}/{app_id}").json()["audition"]["id"] == str(kept.id)
