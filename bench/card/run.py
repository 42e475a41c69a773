"""What does the profile card cost a poster's phone, next to the app's own profile call? One
member with a full profile and three photos; the same member's data three ways in one run:

  me/profile   GET /api/v1/me/profile with her token: the JSON the app reads (the baseline)
  card         GET /c/<token>: the server-rendered card page (view counting included)
  card.pdf     GET /c/<token>.pdf: the same card as a PDF (WeasyPrint; needs Pango)

Run from the repository root:

    .venv/bin/python -m bench.card.run [--requests 200] [--pdf-requests 10] [--rounds 3]

Rounds are interleaved so drift hits every variant alike; each figure is the p50 over all
requests of a variant. The goal (issue #16): the card page within 2x of me/profile. Times are
printed, never asserted.
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
from rest_framework.test import APIClient  # noqa: E402

PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway test database
PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1"


def _samples(client, url: str, count: int, **headers) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _member_with_card() -> tuple[dict, str]:
    from accounts import services
    from accounts.models import Member
    from accounts.tests.card_support import card_path, fill_profile
    from accounts.tests.images import image_bytes, upload

    member = Member.objects.create_user("card-bench@example.kr", PASSWORD, status="active")
    services.profile_prepare(member=member)
    fill_profile(member)
    login = services.session_login(
        email=member.email, password=PASSWORD, user_agent="bench", ip=None
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {login.tokens.access}"}
    api = APIClient()
    for size in ((1536, 2048), (2048, 1536), (1536, 2048)):
        photo = upload(image_bytes(size=size), "me.jpg")
        response = api.post("/api/v1/me/photos", {"image": photo}, format="multipart", **bearer)
        assert response.status_code == 201, response.content
    response = api.post("/api/v1/me/card", {"expires_in_days": None}, format="json", **bearer)
    assert response.status_code == 201, response.content
    return bearer, card_path(response.json()["url"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per round")
    parser.add_argument("--pdf-requests", type=int, default=10, help="PDF requests per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from ohmanager import pdf

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    samples: dict[str, list[float]] = {"me/profile": [], "card": [], "card.pdf": []}
    try:
        with override_settings(DEBUG=False):
            bearer, card = _member_with_card()
            client = Client(HTTP_USER_AGENT=PHONE_UA)
            with_pdf = pdf.pdf_available()
            _samples(client, "/api/v1/me/profile", 20, **bearer)  # warm up
            _samples(client, card, 20)
            if with_pdf:
                _samples(client, f"{card}.pdf", 2)
            for _ in range(args.rounds):
                samples["me/profile"] += _samples(
                    client, "/api/v1/me/profile", args.requests, **bearer
                )
                samples["card"] += _samples(client, card, args.requests)
                if with_pdf:
                    samples["card.pdf"] += _samples(client, f"{card}.pdf", args.pdf_requests)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    base = statistics.median(samples["me/profile"])
    print(f"database: {connection.vendor}; {args.rounds} rounds; one member, three photos")
    print(f"{'variant':<11} {'requests':>8} {'p50 ms':>8} {'vs me/profile':>14}")
    for name, times in samples.items():
        if not times:
            print(f"{name:<11} {'-':>8} {'-':>8} {'(no Pango here)':>14}")
            continue
        p50 = statistics.median(times)
        print(f"{name:<11} {len(times):>8} {p50 * 1e3:>8.2f} {p50 / base:>13.2f}x")


if __name__ == "__main__":
    main()
