"""One list (or feed) request, end to end, in-process: time, SQL and a cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/api/profile_request.py \\
        [--path /api/v1/auditions] [--requests 300] [--top 40] [--sort tottime]

Same production settings as run.py (DEBUG off, psycopg pool, throttles on Redis), driven
through Django's WSGI handler (the whole middleware stack, as gunicorn calls it) with a real
login's bearer token. Prints the per-request median, the queries of one request (with their
database time) and the cProfile of the timed loop, sorted by cumulative time.
"""

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.api.run import BENCH_EMAIL, BENCH_PASSWORD, member, setup_django


def signed_in_caller() -> tuple[Callable[[dict], tuple[str, bytes]], Callable[[str], dict]]:
    """Django's WSGI handler (the whole middleware stack, as gunicorn calls it) and the bench
    member's bearer from a real login: `call(environ) -> (status, body)` and `get(path)`, the
    environ of a signed-in GET. Needs setup_django() first."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    member()
    handler = WSGIHandler()
    factory = RequestFactory(HTTP_HOST="127.0.0.1")

    def call(environ: dict) -> tuple[str, bytes]:
        status = []
        body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))
        return status[0], body

    login = factory.post(
        "/api/v1/auth/login",
        json.dumps({"email": BENCH_EMAIL, "password": BENCH_PASSWORD}),
        content_type="application/json",
    )
    status, body = call(login.environ)
    assert status.startswith("200"), body
    bearer = f"Bearer {json.loads(body)['access']}"

    def get(path: str) -> dict:
        return factory.get(path, HTTP_AUTHORIZATION=bearer).environ

    return call, get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/api/v1/auditions")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="pstats key, e.g. tottime")
    parser.add_argument("--callers", help="also print who calls functions matching this")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call, get = signed_in_caller()

    def environ() -> dict:
        return get(args.path)

    for _ in range(20):  # warm-up: pool, imports, caches
        status, body = call(environ())
        assert status.startswith("200"), body[:300]

    with CaptureQueriesContext(connection) as queries:
        call(environ())
    print(f"{len(queries)} queries in one request:")
    for query in queries:
        print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:150]}")

    times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        call(environ())
        times.append(time.perf_counter() - started)
    print(f"\nmedian {statistics.median(times) * 1000:.2f} ms over {args.requests} requests")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        call(environ())
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)
    print(out.getvalue())


if __name__ == "__main__":
    main()
