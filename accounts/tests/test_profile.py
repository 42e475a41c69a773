"""`me/profile` through HTTP: fields, validation in the envelope, completeness, the flat query
count; and `me/filmography` CRUD."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import Credit, Member, Profile
from accounts.profiles import services as profile_services
from accounts.tests.factories import MemberFactory
from accounts.tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/me/profile"
FILMOGRAPHY = "/api/v1/me/filmography"

FULL = {
    "display_name": "김하늘",
    "birth_date": "1998-04-12",
    "gender": "female",
    "height_cm": 165,
    "weight_kg": 50,
    "bio": "연극영화과 졸업, 단편영화 다수 출연.",
    "skills": ["경상도 사투리", "재즈댄스", "피아노"],
    "languages": ["한국어", "English"],
    "interests": ["film", "web_drama", "commercial"],
    "regions": ["seoul", "gyeonggi"],
}


@pytest.fixture
def performer(db) -> Member:
    member = MemberFactory()
    account_services.profile_prepare(member=member)
    return member


@pytest.fixture
def client(performer) -> APIClient:
    client = APIClient()
    client.force_authenticate(performer)
    return client


# --- profile --------------------------------------------------------------------------------


def test_a_new_profile_is_empty_and_zero_percent_complete(client):
    response = client.get(PROFILE)

    assert response.status_code == 200
    body = response.json()
    assert body["gender"] is None and body["birth_date"] is None and body["photos"] == []
    assert body["representation"] == "freelance"
    assert body["contact_visibility"] == "applications"
    assert body["email_language"] == "ko"
    assert body["notifications"] == {
        "deadline_reminders": True,
        "shoot_reminders": True,
        "stale_applications": True,
        "saved_search_alerts": True,
        "recommendations": True,
        "card_viewed": True,
    }
    assert body["completeness"]["percent"] == 0
    assert "photos" in body["completeness"]["missing"]


def test_patch_sets_the_fields_and_completeness_names_what_is_left(client, performer):
    response = client.patch(PROFILE, FULL)

    assert response.status_code == 200, response.json()
    body = response.json()
    for name, value in FULL.items():
        assert body[name] == value
    # everything but photos (20) and filmography (10)
    assert body["completeness"] == {"percent": 70, "missing": ["photos", "filmography"]}
    profile = Profile.objects.get(member=performer)
    assert profile.height_cm == 165 and profile.regions == ["seoul", "gyeonggi"]

    profile_services.photo_upload(member=performer, upload=upload(image_bytes()))
    client.post(FILMOGRAPHY, {"title": "겨울밤", "year": 2023, "kind": "film"})
    assert client.get(PROFILE).json()["completeness"] == {"percent": 100, "missing": []}


def test_patch_is_partial_and_null_clears(client):
    client.patch(PROFILE, FULL)

    response = client.patch(PROFILE, {"height_cm": None, "gender": None})

    body = response.json()
    assert body["height_cm"] is None and body["gender"] is None
    assert body["display_name"] == FULL["display_name"]
    assert "height_cm" in body["completeness"]["missing"]


def test_lists_are_trimmed_and_deduplicated(client):
    response = client.patch(PROFILE, {"skills": ["  탭  댄스 ", "탭 댄스", "Guitar", "guitar"]})

    assert response.json()["skills"] == ["탭 댄스", "Guitar"]


def test_agency_settings_email_language_and_notifications(client, performer):
    response = client.patch(
        PROFILE,
        {
            "representation": "agency",
            "agency_name": " 별빛 엔터 ",
            "contact_visibility": "hidden",
            "email_language": "en",
            "notifications": {"stale_applications": False, "saved_search_alerts": False},
        },
    )

    body = response.json()
    assert body["representation"] == "agency" and body["agency_name"] == "별빛 엔터"
    assert body["contact_visibility"] == "hidden"
    assert body["notifications"]["stale_applications"] is False
    assert body["notifications"]["saved_search_alerts"] is False
    assert body["notifications"]["deadline_reminders"] is True  # untouched
    # the email language is the member's language (what `me` shows as `language`)
    assert Member.objects.get(pk=performer.pk).language == "en"
    profile = Profile.objects.get(member=performer)
    assert not profile.notify_stale_applications and profile.notify_shoot_reminders
    # back to freelance: the agency name goes with it
    assert client.patch(PROFILE, {"representation": "freelance"}).json()["agency_name"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"height_cm": 49}, "height_cm"),
        ({"height_cm": 251}, "height_cm"),
        ({"weight_kg": 9}, "weight_kg"),
        ({"weight_kg": 301}, "weight_kg"),
        ({"birth_date": (date.today() + timedelta(days=2)).isoformat()}, "birth_date"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"gender": "robot"}, "gender"),
        ({"interests": ["film", "cooking"]}, "interests"),
        ({"regions": ["mars"]}, "regions"),
        ({"skills": [f"skill {n}" for n in range(31)]}, "skills"),
        ({"skills": ["x" * 41]}, "skills"),
        ({"languages": [f"lang {n}" for n in range(11)]}, "languages"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"phone": "call me maybe"}, "phone"),
        ({"notifications": {"deadline_reminders": "sometimes"}}, "notifications"),
    ],
)
def test_invalid_values_are_field_errors_and_change_nothing(client, performer, body, field):
    before = client.get(PROFILE).json()

    response = client.patch(PROFILE, body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"], error
    assert client.get(PROFILE).json() == before


def test_birth_date_must_be_in_the_past(client):
    today = timezone.localdate().isoformat()
    assert client.patch(PROFILE, {"birth_date": today}).status_code == 400


def test_storage_prefix_and_member_cannot_be_set(client, performer):
    other = MemberFactory()

    client.patch(PROFILE, {"storage_prefix": "members/other/", "member": str(other.pk)})

    profile = Profile.objects.get(member=performer)
    assert profile.storage_prefix == f"members/{performer.id}/"


def test_profile_needs_a_token(api_client):
    assert api_client.get(PROFILE).status_code == 401
    assert api_client.patch(PROFILE, {"bio": "x"}).status_code == 401


def _select_count(client: APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len([q for q in captured.captured_queries if q["sql"].startswith("SELECT")])


def test_reading_the_profile_costs_the_same_queries_for_1_or_10_photos_and_credits(
    client, performer
):
    def add(count: int) -> None:
        for n in range(count):
            profile_services.photo_upload(
                member=performer, upload=upload(image_bytes(size=(32, 32)))
            )
            profile_services.credit_create(
                member=performer, title=f"작품 {n}", year=2020, kind="film"
            )

    add(1)
    few = {path: _select_count(client, path) for path in (PROFILE, "/api/v1/me")}
    add(9)
    many = {path: _select_count(client, path) for path in (PROFILE, "/api/v1/me")}

    assert len(client.get(PROFILE).json()["photos"]) == 10
    assert len(client.get(PROFILE).json()["filmography"]) == 10
    assert many == few
    assert few[PROFILE] <= 3  # profile+member, photos, credits


# --- filmography ----------------------------------------------------------------------------


def test_filmography_crud_newest_first(client, performer):
    old = client.post(FILMOGRAPHY, {"title": "첫 단편", "year": 2019, "kind": "film"})
    new = client.post(
        FILMOGRAPHY,
        {"title": "  봄의   기록 ", "year": 2024, "kind": "web_drama", "role_name": "수진"},
    )
    same_year_later = client.post(
        FILMOGRAPHY, {"title": "광고", "year": 2024, "kind": "commercial"}
    )

    assert new.status_code == 201, new.json()
    assert new.json()["title"] == "봄의 기록"
    listed = client.get(FILMOGRAPHY).json()
    assert [item["id"] for item in listed["results"]] == [
        same_year_later.json()["id"],
        new.json()["id"],
        old.json()["id"],
    ]
    assert listed["next"] is None

    credit_id = old.json()["id"]
    assert client.get(f"{FILMOGRAPHY}/{credit_id}").json()["title"] == "첫 단편"
    patched = client.patch(f"{FILMOGRAPHY}/{credit_id}", {"role_name": "행인 1", "year": 2025})
    assert patched.status_code == 200
    assert patched.json()["role_name"] == "행인 1" and patched.json()["year"] == 2025
    assert client.get(FILMOGRAPHY).json()["results"][0]["id"] == credit_id
    put = client.put(
        f"{FILMOGRAPHY}/{credit_id}", {"title": "첫 장편", "year": 2021, "kind": "film"}
    )
    assert put.status_code == 200 and put.json()["title"] == "첫 장편"

    assert client.delete(f"{FILMOGRAPHY}/{credit_id}").status_code == 204
    assert not Credit.objects.filter(pk=credit_id).exists()
    assert client.get(f"{FILMOGRAPHY}/{credit_id}").status_code == 404


def test_filmography_pages_with_a_cursor(client, performer):
    for year in range(2000, 2025):
        profile_services.credit_create(
            member=performer, title=f"작품 {year}", year=year, kind="film"
        )

    first = client.get(FILMOGRAPHY, {"page_size": 10}).json()
    second = client.get(first["next"]).json()

    years = [item["year"] for item in first["results"] + second["results"]]
    assert years == list(range(2024, 2004, -1))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "year": 2020, "kind": "film"}, "title"),
        ({"title": "x", "year": 1800, "kind": "film"}, "year"),
        ({"title": "x", "year": timezone.localdate().year + 6, "kind": "film"}, "year"),
        ({"title": "x", "year": 2020, "kind": "cooking_show"}, "kind"),
        ({"year": 2020, "kind": "film"}, "title"),
    ],
)
def test_invalid_credits_are_field_errors(client, performer, body, field):
    response = client.post(FILMOGRAPHY, body)

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Credit.objects.filter(profile__member=performer).exists()


def test_another_members_credit_is_a_404(client):
    other = MemberFactory()
    account_services.profile_prepare(member=other)
    theirs = profile_services.credit_create(member=other, title="남의 작품", year=2020, kind="film")

    assert client.get(f"{FILMOGRAPHY}/{theirs.pk}").status_code == 404
    assert client.patch(f"{FILMOGRAPHY}/{theirs.pk}", {"title": "mine"}).status_code == 404
    assert client.delete(f"{FILMOGRAPHY}/{theirs.pk}").status_code == 404
    assert client.get(FILMOGRAPHY).json()["results"] == []
    assert Credit.objects.get(pk=theirs.pk).title == "남의 작품"
