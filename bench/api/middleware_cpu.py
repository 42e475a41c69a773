"""CPU time per request with our middleware list against Django's stock session, user and
messages classes (ohmanager/browser_middleware.py), alternated request by request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/api/middleware_cpu.py \\
        [--requests 3000] 2>/dev/null

Two WSGI handlers in one process (same settings, same signed-in member), each request of one
next to the same request of the other (ABBA order), timed with `time.process_time()`: this
process's CPU only, so the database's time and the machine's other load stay out of it, and a load
spike lands on both. A gunicorn run (run.py) cannot show a 0.2 ms difference through its noise.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.api.run import BENCH_EMAIL, BENCH_PASSWORD, member, setup_django

STOCK = {
    "ohmanager.browser_middleware.SessionMiddleware": (
        "django.contrib.sessions.middleware.SessionMiddleware"
    ),
    "ohmanager.browser_middleware.AuthenticationMiddleware": (
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    ),
    "ohmanager.browser_middleware.MessageMiddleware": (
        "django.contrib.messages.middleware.MessageMiddleware"
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    from auditions import selectors

    ours = list(settings.MIDDLEWARE)
    stock = [STOCK.get(name, name) for name in ours]

    def handler(middleware: list[str]) -> WSGIHandler:
        settings.MIDDLEWARE = middleware
        try:
            return WSGIHandler()  # reads MIDDLEWARE once, here
        finally:
            settings.MIDDLEWARE = ours

    handlers = {"stock": handler(stock), "ours": handler(ours)}
    factory = RequestFactory(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9")

    def call(wsgi: WSGIHandler, environ: dict) -> bytes:
        status = []
        body = b"".join(wsgi(dict(environ), lambda s, h, *a: status.append(s)))
        assert status[0].startswith("200"), body[:300]
        return body

    member()
    login = factory.post(
        "/api/v1/auth/login",
        json.dumps({"email": BENCH_EMAIL, "password": BENCH_PASSWORD}),
        content_type="application/json",
    )
    bearer = f"Bearer {json.loads(call(handlers['ours'], login.environ))['access']}"
    ordering = selectors.ORDERINGS[selectors.DEFAULT_ORDERING]
    detail = selectors.audition_list().order_by(*ordering)[4].pk
    paths = {"detail": f"/api/v1/auditions/{detail}", "first page": "/api/v1/auditions"}

    print(f"CPU ms per request, median of {args.requests} alternated pairs")
    for name, path in paths.items():
        environ = factory.get(path, HTTP_AUTHORIZATION=bearer).environ
        times: dict[str, list[float]] = {label: [] for label in handlers}
        for _ in range(30):  # warm-up: pool, kept statements, caches
            for wsgi in handlers.values():
                call(wsgi, environ)
        pairs = list(handlers.items())
        for index in range(args.requests):
            # ABBA: whichever goes second may find a cache warm (or a lease to refill)
            for label, wsgi in pairs if index % 2 else pairs[::-1]:
                started = time.process_time()
                call(wsgi, environ)
                times[label].append(time.process_time() - started)
        stock_ms, ours_ms = (statistics.median(times[label]) * 1000 for label in handlers)
        print(
            f"  {name:10}  stock {stock_ms:.3f}  ours {ours_ms:.3f}  "
            f"saved {stock_ms - ours_ms:.3f} ({1 - ours_ms / stock_ms:.0%})"
        )


if __name__ == "__main__":
    main()
