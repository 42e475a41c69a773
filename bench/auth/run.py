"""What does authenticating a request cost? The same tiny DRF endpoint, called N times through
Django's full middleware stack, three ways in one run:

  anonymous   no authentication at all (the baseline)
  select-1    no authentication, but the view runs one bare `SELECT 1`: what any database
              round trip costs inside ATOMIC_REQUESTS (BEGIN/COMMIT included)
  jwt-only    simplejwt's stateless check: signature and expiry, no database
  session     ours: the JWT check plus the server-side session (one PK query joined to the member)

Run from the repository root:

    .venv/bin/python -m bench.auth.run                 # SQLite in memory (the test settings)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_accounts \\
        .venv/bin/python -m bench.auth.run --requests 2000   # PostgreSQL (creates test_<name>)

Rounds are interleaved so drift hits every variant alike; each figure is the median over rounds.
Times are printed, never asserted.
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ohmanager.settings.test")
os.environ.setdefault("OHMANAGER_IGNORE_DOTENV", "1")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.permissions import AllowAny, IsAuthenticated  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication  # noqa: E402

from accounts.authentication import SessionJWTAuthentication  # noqa: E402


class Anonymous(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request):
        return Response({"ok": True})


class SelectOne(Anonymous):
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return Response({"ok": True})


class JwtOnly(Anonymous):
    authentication_classes = [JWTStatelessUserAuthentication]
    permission_classes = [IsAuthenticated]


class Session(Anonymous):
    authentication_classes = [SessionJWTAuthentication]
    permission_classes = [IsAuthenticated]


urlpatterns = [
    path("anonymous", Anonymous.as_view()),
    path("select-1", SelectOne.as_view()),
    path("jwt-only", JwtOnly.as_view()),
    path("session", Session.as_view()),
]


PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway test database


def _time(client: Client, url: str, headers: dict, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        response = client.get(url, **headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content
    return elapsed / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from accounts import services
        from accounts.models import Member

        Member.objects.create_user("bench@example.kr", PASSWORD, status="active")
        login = services.session_login(
            email="bench@example.kr", password=PASSWORD, user_agent="bench", ip=None
        )
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {login.tokens.access}"}
        variants = [
            ("anonymous", {}),
            ("select-1", {}),
            ("jwt-only", bearer),
            ("session", bearer),
        ]

        with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
            client = Client()
            for name, headers in variants:  # warm up imports, caches, the connection
                _time(client, f"/{name}", headers, 50)
            with CaptureQueriesContext(connection) as captured:
                client.get("/session", **bearer)
            selects = [q for q in captured.captured_queries if q["sql"].startswith("SELECT")]

            samples: dict[str, list[float]] = {name: [] for name, _ in variants}
            for _ in range(args.rounds):
                for name, headers in variants:
                    samples[name].append(_time(client, f"/{name}", headers, args.requests))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    base = statistics.median(samples["anonymous"])
    print(
        f"database: {connection.vendor}; {args.rounds} rounds x {args.requests} requests; "
        f"session check: {len(selects)} SELECT per request"
    )
    print(f"{'variant':<10} {'us/request':>11} {'vs anonymous':>13} {'added us':>9}")
    for name, _ in variants:
        median = statistics.median(samples[name])
        print(
            f"{name:<10} {median * 1e6:>11.1f} {median / base:>12.2f}x "
            f"{(median - base) * 1e6:>9.1f}"
        )


if __name__ == "__main__":
    main()
