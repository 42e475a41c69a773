"""Security review #13.8: the calendar feed token is its only credential, so the database keeps
its hash alone, the member sees it only in the answer that issued it, and no log line carries
it (the request log and every handler settings.LOGGING configures)."""

import hashlib

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from applications.models import CalendarFeed
from ohmanager.redaction import redact

FEED_PREFIX = "http://testserver/api/v1/calendar/"


def _issue(client) -> str:
    """A new feed URL's token, from the one answer that shows it."""
    created = client.post("/api/v1/me/calendar")
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.startswith(FEED_PREFIX) and url.endswith(".ics")
    return url.removeprefix(FEED_PREFIX).removesuffix(".ics")


def test_the_row_holds_the_tokens_hash_and_not_the_token(client, performer):
    token = _issue(client)

    row = CalendarFeed.objects.filter(member=performer).values().get()
    assert token not in repr(row)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert APIClient().get(f"/api/v1/calendar/{token}.ics").status_code == 200


def test_the_url_is_shown_only_when_issued(client):
    assert client.get("/api/v1/me/calendar").json() == {
        "url": None,
        "active": False,
        "created_at": None,
    }
    created = client.post("/api/v1/me/calendar").json()

    shown = client.get("/api/v1/me/calendar").json()
    assert shown == {"url": None, "active": True, "created_at": created["created_at"]}
    assert created["active"] is True


def test_the_token_reaches_no_log_line(client, configured_log):
    old = _issue(client)
    token = _issue(client)  # rotated: `old` is now a 404

    assert APIClient().get(f"/api/v1/calendar/{token}.ics").status_code == 200
    assert APIClient().get(f"/api/v1/calendar/{old}.ics").status_code == 404
    assert APIClient().get(f"/api/v1/calendar/{token}.ics?x=1").status_code == 200

    log = configured_log.getvalue()
    assert '"path": "/api/v1/calendar/[redacted].ics"' in log  # the request log wrote them
    assert log.count("calendar/[redacted]") >= 3
    assert [line for line in log.splitlines() if token in line or old in line] == []


def test_every_configured_handler_redacts():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact_secrets" in handler.get("filters", []), name


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /api/v1/calendar/Ab-9_x.ics 200", "GET /api/v1/calendar/[redacted].ics 200"),
        ("GET /v1/calendar%2FAb-9_x.ics HTTP/1.1", "GET /v1/calendar%2F[redacted].ics HTTP/1.1"),
        ('"/api/v1/Calendar/Ab9?x=1"', '"/api/v1/Calendar/[redacted]?x=1"'),
        ("GET /api/v1/me/calendar 200", "GET /api/v1/me/calendar 200"),
    ],
)
def test_redact(line, expected):
    assert redact(line) == expected


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_tokens_so_their_urls_keep_working(make_member):
    # given: a feed with a plain token, as stored before the migration. The member is made
    # first, with today's models: going back to applications 0001 also unapplies the accounts
    # migrations that depend on it (the outbox's move, the card), so today's Profile has no table
    # shape to be saved into until the end.
    member = make_member()
    executor = MigrationExecutor(connection)
    executor.migrate([("applications", "0001_initial")])
    old_apps = executor.loader.project_state([("applications", "0001_initial")]).apps
    old_apps.get_model("applications", "CalendarFeed").objects.create(
        member_id=member.pk, token="plain-token-handed-out-before"
    )

    # when
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then
    row = CalendarFeed.objects.filter(member=member).values().get()
    assert "plain-token-handed-out-before" not in repr(row)
    response = APIClient().get("/api/v1/calendar/plain-token-handed-out-before.ics")
    assert response.status_code == 200
