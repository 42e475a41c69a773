"""Helpers of the card tests: a filled-in profile and the token inside a card URL."""

from datetime import date

from django.http import HttpResponse
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Member
from accounts.profiles import services as profile_services

CARD = "/api/v1/me/card"
# A person on a phone (Django's test client sends no User-Agent, which is a script's).
PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


def fill_profile(member: Member, **overrides) -> None:
    fields = {
        "display_name": "김서연",
        "birth_date": date(1998, 3, 14),
        "gender": "female",
        "height_cm": 165,
        "weight_kg": 50,
        "bio": "연극과 영상 모두 합니다.",
        "skills": ["현대무용", "경상도 사투리"],
        "languages": ["영어"],
        "representation": "agency",
        "agency_name": "하늘 엔터테인먼트",
        "phone": "010-1234-5678",
        "contact_visibility": "applications",
    }
    fields.update(overrides)
    profile_services.profile_update(member=member, **fields)


def card_path(url: str) -> str:
    """`/c/<token>` from the absolute URL the API hands out."""
    path = "/c/" + url.rsplit("/c/", 1)[1]
    assert "/" not in path[3:]
    return path


def issue(client: APIClient, expires_in_days: int | None = None) -> dict:
    response = client.post(CARD, {"expires_in_days": expires_in_days}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def open_card(path: str, *, user_agent: str = PHONE_UA, **headers) -> HttpResponse:
    """The card page as a fresh visitor's browser asks for it."""
    return Client().get(path, HTTP_USER_AGENT=user_agent, **headers)
