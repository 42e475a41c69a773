"""The iCalendar feed: a secret URL outside the JWT auth, parsed back with `icalendar`;
rotating or revoking it makes the old URL a 404."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from rest_framework.test import APIClient

from applications import services
from applications.tests.conftest import login_client
from auditions import services as audition_services

SEOUL = ZoneInfo("Asia/Seoul")


def _feed_path(client) -> str:
    created = client.post("/api/v1/me/calendar")
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.startswith("http://testserver/api/v1/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://testserver")


def _events(path: str) -> dict[str, icalendar.Event]:
    response = APIClient().get(path)  # no credentials: calendar apps have none
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_has_bookmarked_deadlines_scheduled_auditions_and_shoot_dates(
    client, performer, make_audition
):
    today = datetime.now(SEOUL).date()
    bookmarked = make_audition(deadline=today + timedelta(days=4), title="북마크한 오디션")
    applied_bookmark = make_audition(deadline=today + timedelta(days=6))
    scheduled = make_audition(title="Scheduled one")
    shoot = make_audition(
        title="Cast one", shoot_start=today + timedelta(days=9), shoot_end=today + timedelta(10)
    )
    for audition in (bookmarked, applied_bookmark):
        audition_services.bookmark_add(member=performer, audition_id=audition.id)
    services.application_create(member=performer, audition_id=applied_bookmark.id)
    at = datetime.now(SEOUL).replace(microsecond=0, second=0) + timedelta(days=2)
    on_schedule = services.application_create(member=performer, audition_id=scheduled.id)
    services.application_move(
        application_id=on_schedule.id,
        status="audition_scheduled",
        actor=performer,
        by="member",
        audition_at=at,
    )
    cast = services.application_create(member=performer, audition_id=shoot.id)
    services.application_move(application_id=cast.id, status="cast", actor=performer, by="member")

    events = _events(_feed_path(client))

    assert set(events) == {
        f"deadline-{bookmarked.id}@ohmanager",
        f"audition-{on_schedule.id}@ohmanager",
        f"shoot-{cast.id}@ohmanager",
    }
    deadline = events[f"deadline-{bookmarked.id}@ohmanager"]
    assert str(deadline["summary"]) == "[마감] 북마크한 오디션"
    assert deadline.decoded("dtstart") == today + timedelta(days=4)
    assert events[f"audition-{on_schedule.id}@ohmanager"].decoded("dtstart") == at
    shoot_event = events[f"shoot-{cast.id}@ohmanager"]
    assert shoot_event.decoded("dtstart") == today + timedelta(days=9)
    assert shoot_event.decoded("dtend") == today + timedelta(days=11)  # exclusive end


def test_get_shows_the_feed_rotation_replaces_it_and_revocation_kills_it(client):
    assert client.get("/api/v1/me/calendar").json()["active"] is False
    first = _feed_path(client)
    # the URL is shown only by the POST that issued it (test_calendar_secret.py)
    assert client.get("/api/v1/me/calendar").json()["active"] is True
    assert APIClient().get(first).status_code == 200

    second = _feed_path(client)  # rotate
    assert second != first
    assert APIClient().get(first).status_code == 404
    assert APIClient().get(second).status_code == 200

    assert client.delete("/api/v1/me/calendar").status_code == 204
    revoked = APIClient().get(second)
    assert revoked.status_code == 404
    assert revoked.json()["error"]["code"] == "not_found"
    assert APIClient().get("/api/v1/calendar/made-up-token.ics").status_code == 404


def test_each_member_sees_only_their_own_calendar(client, performer, make_member, make_audition):
    other = make_member()
    audition = make_audition()
    audition_services.bookmark_add(member=other, audition_id=audition.id)
    mine = _events(_feed_path(client))
    theirs = _events(_feed_path(login_client(other)))
    assert mine == {}
    assert list(theirs) == [f"deadline-{audition.id}@ohmanager"]


def test_managing_the_url_needs_a_login(db, api_client):
    assert api_client.get("/api/v1/me/calendar").status_code == 401
    assert api_client.post("/api/v1/me/calendar").status_code == 401
