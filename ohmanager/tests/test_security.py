"""The defences SECURITY.md lists, each proven here: object-level authorisation (another
member's anything is a 404 and stays untouched), mass assignment, JSON types, list and body
limits, the admin login's brute-force limits and CSRF, and no secrets in the repository."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import Credit, Member, MemberSession, Photo
from accounts.profiles import services as profile_services
from accounts.tests.factories import ADULT_BIRTH_DATE, PASSWORD, MemberFactory
from accounts.tests.images import image_bytes, upload
from applications import services as application_services
from applications.models import Application
from auditions import services as audition_services
from auditions.models import SavedSearch
from auditions.tests import factories as audition_factories

pytestmark = pytest.mark.django_db

REPO = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _member() -> Member:
    member = MemberFactory()
    account_services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    return member


def _client(member: Member) -> APIClient:
    login = account_services.session_login(
        email=member.email, password=PASSWORD, user_agent="pytest", ip="127.0.0.1"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.tokens.access}")
    return client


@pytest.fixture
def victim_data():
    """A member who owns one of everything a member can own through the API."""
    victim = _member()
    audition_factories.source()
    audition = audition_factories.audition(apply_method="in_app", apply_target="")
    application = application_services.application_create(
        member=victim, audition_id=audition.pk, message="hello", external=True
    )
    credit = profile_services.credit_create(member=victim, title="Summer", year=2022, kind="film")
    photo = profile_services.photo_upload(member=victim, upload=upload(image_bytes()))
    search = audition_services.saved_search_create(
        member=victim, name="Seoul", filters={}, frequency="daily"
    )
    session = account_services.session_login(
        email=victim.email, password=PASSWORD, user_agent="victim", ip="127.0.0.1"
    ).session
    return {
        "application": application,
        "credit": credit,
        "photo": photo,
        "search": search,
        "session": session,
    }


# Every route that takes the id of something a member owns, with a body that would be valid.
OWNED_ROUTES = [
    ("get", "/api/v1/applications/{application}", None),
    ("post", "/api/v1/applications/{application}/status", {"status": "viewed"}),
    ("post", "/api/v1/applications/{application}/withdraw", {}),
    ("get", "/api/v1/me/filmography/{credit}", None),
    ("put", "/api/v1/me/filmography/{credit}", {"title": "X", "year": 2020, "kind": "film"}),
    ("patch", "/api/v1/me/filmography/{credit}", {"title": "X"}),
    ("delete", "/api/v1/me/filmography/{credit}", None),
    ("delete", "/api/v1/me/photos/{photo}", None),
    ("post", "/api/v1/me/photos/{photo}/primary", None),
    ("get", "/api/v1/me/saved-searches/{search}", None),
    ("put", "/api/v1/me/saved-searches/{search}", {"name": "X", "filters": {}}),
    ("patch", "/api/v1/me/saved-searches/{search}", {"name": "X"}),
    ("delete", "/api/v1/me/saved-searches/{search}", None),
    ("delete", "/api/v1/auth/sessions/{session}", None),
]


@pytest.mark.parametrize(("method", "template", "body"), OWNED_ROUTES)
def test_another_members_object_is_404_and_untouched(victim_data, method, template, body):
    # given: an attacker with a valid session of their own, and the victim's ids
    ids = {name: str(obj.pk) for name, obj in victim_data.items()}
    attacker = _client(_member())
    before = _snapshot(victim_data)

    # when
    response = getattr(attacker, method)(template.format(**ids), body, format="json")

    # then: indistinguishable from an id that does not exist, and nothing changed
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"].endswith("not_found")
    assert _snapshot(victim_data) == before


def _snapshot(data: dict) -> dict:
    return {
        "application": Application.objects.filter(pk=data["application"].pk).values().get(),
        "credit": Credit.objects.filter(pk=data["credit"].pk).values().first(),
        "photo": Photo.objects.filter(pk=data["photo"].pk).values().first(),
        "search": SavedSearch.objects.filter(pk=data["search"].pk).values().first(),
        "session": MemberSession.objects.filter(pk=data["session"].pk).values().get(),
    }


def test_lists_show_only_the_members_own(victim_data):
    attacker = _client(_member())

    for path in (
        "/api/v1/applications",
        "/api/v1/me/filmography",
        "/api/v1/me/saved-searches",
        "/api/v1/me/bookmarks",
    ):
        assert attacker.get(path).json()["results"] == [], path
    sessions = attacker.get("/api/v1/auth/sessions").json()["results"]
    assert [s["user_agent"] for s in sessions] == ["pytest"]


def test_member_fields_outside_the_allowlist_are_never_assigned():
    member = _member()
    client = _client(member)

    response = client.patch(
        "/api/v1/me",
        {"is_staff": True, "is_superuser": True, "status": "suspended", "email": "x@evil.kr"},
        format="json",
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.is_staff, member.is_superuser, member.status) == (False, False, "active")
    assert member.email != "x@evil.kr"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 5, "filters": {}}, "name"),  # a number where the contract says string
        ({"name": "ok", "filters": {"source": 5}}, "filters.source"),
        ({"name": "ok", "frequency": True}, "frequency"),
    ],
)
def test_json_bodies_carry_json_types(body, field):
    client = _client(_member())

    response = client.post("/api/v1/me/saved-searches", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_query_strings_keep_their_text_parsing():
    client = _client(_member())

    response = client.get("/api/v1/auditions/recommended", {"near_misses": "true"})

    assert response.status_code == 200


def test_bodies_are_json_only_except_the_photo_upload():
    client = _client(_member())

    response = client.post("/api/v1/me/saved-searches", {"name": "form post"}, format="multipart")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("page_size", ["0", "101", "abc", "-1", "1e3", "٣"])
def test_page_size_out_of_range_is_refused(page_size):
    client = _client(_member())

    response = client.get("/api/v1/me/filmography", {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


def test_page_size_within_range_pages():
    member = _member()
    for year in (2020, 2021, 2022):
        profile_services.credit_create(member=member, title=f"T{year}", year=year, kind="film")

    body = _client(member).get("/api/v1/me/filmography", {"page_size": "2"}).json()

    assert len(body["results"]) == 2
    assert body["next"]


def test_request_bodies_and_form_fields_are_bounded():
    # The largest body Django reads into memory (the 10 MB photo plus multipart framing),
    # uploads spill to disk past 2.5 MB, and a form has at most 1,000 fields.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 12 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10


def test_a_json_body_over_the_limit_is_refused_unread():
    client = _client(_member())
    huge = b'{"name": "' + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'

    response = client.generic(
        "POST", "/api/v1/me/saved-searches", huge, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    assert not SavedSearch.objects.exists()


# --- The back office login -------------------------------------------------------------------


def _staff() -> Member:
    return Member.objects.create_user(
        "boss@ohmanager.kr", "staff-password-123", status="active", is_staff=True
    )


def _admin_login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_admin_login_works_and_successes_are_not_counted():
    _staff()

    for _ in range(8):
        client = Client()
        response = _admin_login(client, "boss@ohmanager.kr", "staff-password-123")
        assert response.status_code == 302
        assert response["Location"] == "/admin/"


def test_admin_login_locks_a_username_after_five_failures():
    _staff()
    client = Client()

    statuses = [
        _admin_login(client, "boss@ohmanager.kr", f"guess-{n}", ip=f"10.0.0.{n}").status_code
        for n in range(1, 6)
    ]
    # then: the sixth try, from yet another address, is refused before the password is checked,
    # even with the right password
    locked = _admin_login(client, "boss@ohmanager.kr", "staff-password-123", ip="10.0.0.99")

    assert statuses == [200] * 5  # the form again, with its error
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_admin_login_limits_one_address_guessing_many_usernames():
    client = Client()

    statuses = [
        _admin_login(client, f"user{n}@ohmanager.kr", "guess", ip="10.9.9.9").status_code
        for n in range(21)
    ]

    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429]
    # another address is not affected
    assert _admin_login(client, "user0@ohmanager.kr", "guess", ip="10.9.9.8").status_code == 200


def test_admin_login_requires_a_csrf_token():
    _staff()
    client = Client(enforce_csrf_checks=True)

    response = _admin_login(client, "boss@ohmanager.kr", "staff-password-123")

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_admin_pages_need_a_staff_login():
    member = _member()
    client = Client()
    client.force_login(member)  # an ordinary member, even with a session, is not staff

    response = client.get("/admin/auditions/audition/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Headers -----------------------------------------------------------------------------------


def test_security_headers_on_every_response(client, settings):
    # Production's values (ohmanager/settings/production.py); HSTS is sent on HTTPS only.
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get("/healthz", secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


# --- Secrets -----------------------------------------------------------------------------------

SECRET_PATTERNS = [
    r"AKIA[0-9A-Z]{16}",  # AWS access key id
    r"-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----",
    r"ghp_[A-Za-z0-9]{36}",  # GitHub token
    r"xox[baprs]-[A-Za-z0-9-]{10,}",  # Slack token
    r"sk_live_[A-Za-z0-9]{20,}",  # Stripe live key
]


def test_no_secrets_in_the_repository():
    git = shutil.which("git")
    assert git, "git is needed to list the tracked files"
    tracked = subprocess.run(  # noqa: S603 - git from PATH, fixed arguments
        [git, "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    names = [name.decode() for name in tracked if name]
    assert ".env" not in names, ".env must never be committed"
    pattern = re.compile("|".join(SECRET_PATTERNS))
    found = []
    for name in names:
        path = REPO / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        found += [f"{name}: {m.group(0)[:12]}…" for m in pattern.finditer(text)]
    assert found == []
