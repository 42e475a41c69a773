"""The list endpoint against its practical limit, in one run, under the same gunicorn settings.

    # once: 100k auditions (bench/seed)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_bench \\
        .venv/bin/python bench/seed/seed.py --rows 100000
    # then
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/api/run.py [--requests 300]

R1: bench/api/bare_app.py runs the SQL our endpoint issued (captured from a real request of
each scenario) via psycopg and encodes with orjson. R3: the real `GET /api/v1/auditions`,
authenticated with a token from the real `POST /api/v1/auth/login`, on production settings
(DEBUG off, psycopg pool, throttles on Redis). Both: gunicorn, 2 sync workers, both running
for the whole run; each row alternates between them in chunks of 50 requests, so a load spike
on the shared machine lands on both sides of the ratio.

Prints requests/s, p50/p95/p99 for each scenario and server, R3/R1 (p50 and throughput), and
the deep page against the first page. Ratios, not times: both servers run here, now.

Feed rows (R3 only): `GET /api/v1/auditions/recommended` for two members, each interleaved with
the plain list's first page (goal: feed/list <= 3). The bench member (female, 27, 165 cm,
interests film/web_drama/commercial, regions seoul/gyeonggi) fits about half the open
catalogue: first page, near misses, and a page 1,000 items deep. The narrow member (idol, jeju)
has branches with almost no rows, the feed's worst case: such a branch walks its whole index
range to find nothing. Nothing is kept between requests: every request ranks in SQL. The
feed reads the `audition_feed_rank` and `role_fit` covering indexes index-only, which needs a
vacuumed table (autovacuum does it in production; after seeding, `VACUUM ANALYZE`).
`--feed-only` skips the R1/R3 list rows.
"""

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

GUNICORN = [
    str(ROOT / ".venv/bin/gunicorn"),
    "--workers",
    "2",
    "--worker-class",
    "sync",
    "--timeout",
    "30",
    "--access-logfile",
    "/dev/null",
    "--log-level",
    "warning",
]
BENCH_EMAIL = "bench-member@ohmanager.local"
BENCH_PASSWORD = "bench-Password-1234"  # noqa: S105 - a throwaway member of the bench database


def production_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ohmanager.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        OHMANAGER_IGNORE_DOTENV="1",
        THROTTLE_USER="1000000/min",
        THROTTLE_ANON="1000000/min",
        LOG_LEVEL="WARNING",
    )
    return env


def setup_django() -> None:
    os.environ.update(production_env())
    import django

    django.setup()


LIST_PATH = "/api/v1/auditions"


def scenarios() -> dict[str, tuple[str, dict[str, str]]]:
    """Path and query string of each row; the deep page starts after the 5,000th open
    audition; the detail is the first page's fifth audition."""
    from auditions import selectors
    from auditions.pagination import KeysetCursorPage

    ordering = selectors.ORDERINGS[selectors.DEFAULT_ORDERING]
    row = selectors.audition_list().order_by(*ordering)[4999]
    deep = KeysetCursorPage().position_cursor(ordering, row)
    detail = selectors.audition_list().order_by(*ordering)[4]
    return {
        "first_page": (LIST_PATH, {}),
        "filtered": (
            LIST_PATH,
            {"category": "web_drama", "region": "seoul", "ordering": "deadline"},
        ),
        "search_1_syllable": (LIST_PATH, {"q": "춤"}),  # in descriptions, in no title
        "search_2_syllables": (LIST_PATH, {"q": "광고"}),
        "search_3_syllables": (LIST_PATH, {"q": "오디션"}),
        "deep_page_5000": (LIST_PATH, {"cursor": deep}),
        "detail": (f"{LIST_PATH}/{detail.pk}", {}),
        "feed_first_page": (f"{LIST_PATH}/recommended", {}),
    }


NARROW_EMAIL = "bench-narrow@ohmanager.local"
PROFILES = {
    BENCH_EMAIL: {
        "interests": ["film", "web_drama", "commercial"],
        "regions": ["seoul", "gyeonggi"],
    },
    NARROW_EMAIL: {"interests": ["idol"], "regions": ["jeju"]},
}


def feed_rows() -> dict[str, tuple[str, dict]]:
    """Feed row name -> (member email, query)."""
    from accounts.models import Member
    from auditions import recommendations
    from auditions.pagination import KeysetCursorPage

    feed = recommendations.feed_context(member=Member.objects.get(email=BENCH_EMAIL))
    rows = recommendations.RankedFeed(feed).keyset_rows(
        recommendations.ORDERING, recommendations.ORDERING, None, after=True, limit=1000
    )
    deep = KeysetCursorPage().position_cursor(recommendations.ORDERING, rows[-1])
    return {
        "recommended": (BENCH_EMAIL, {}),
        "recommended_near_misses": (BENCH_EMAIL, {"near_misses": "true"}),
        "recommended_1000_deep": (BENCH_EMAIL, {"cursor": deep}),
        "recommended_narrow": (NARROW_EMAIL, {}),
    }


def member(email: str = BENCH_EMAIL):
    from datetime import date

    from accounts.models import Member
    from accounts.profiles.services import profile_update
    from accounts.services import profile_prepare

    found = Member.objects.filter(email=email).first()
    found = found or Member.objects.create_user(email, BENCH_PASSWORD, status="active")
    profile_prepare(member=found)
    today = date.today()
    profile_update(
        member=found,
        birth_date=date(today.year - 27, 1, 1),
        gender="female",
        height_cm=165,
        **PROFILES[email],
    )
    return found


def _composed_into(sent: list[str]) -> Callable:
    """An execute wrapper keeping each statement with its values written in (psycopg's own
    quoting): server-bound statements (ohmanager/statements.py) reach the log with `$n`."""
    from django.db import connection

    def wrapper(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        sent.append(sql if params is None else connection.ops.compose_sql(sql, params))
        return execute(sql, params, many, context)

    return wrapper


def capture_sql(requests: dict[str, tuple[str, dict]]) -> dict[str, dict]:
    """Runs each scenario once through the real app, signed in with a real token, and keeps
    every statement it read with (the session check, the page, a search's partitions, the
    posters' figures, the feed's steps), as PostgreSQL received them: R1 replays them all, so
    it is the request's own SQL served bare. A request's last_seen_at touch (at most once a
    minute per session) is a write, left out. Each row's roles and sources come as JSON in the
    page's own statement (selectors.audition_rows)."""
    from django.db import connection
    from rest_framework.test import APIClient

    member()
    client = APIClient(HTTP_HOST="127.0.0.1")
    signed_in = client.post(
        "/api/v1/auth/login", {"email": BENCH_EMAIL, "password": BENCH_PASSWORD}, format="json"
    )
    assert signed_in.status_code == 200, signed_in.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in.json()['access']}")
    captured = {}
    for name, (path, params) in requests.items():
        for _ in range(2):  # the second sighting: what a repeated request runs (prepared.py)
            sent: list[str] = []
            with connection.execute_wrapper(_composed_into(sent)):
                response = client.get(path, params)
        assert response.status_code == 200, response.content
        statements = [sql for sql in sent if sql.lstrip().upper().startswith(("SELECT", "SET"))]
        body = response.json()
        captured[name] = {
            "statements": statements,
            "page_size": 20,
            "single": "results" not in body,
            "items": len(body["results"]) if "results" in body else 1,
        }
    return captured


def start(
    app: str, port: int, env: dict[str, str], cwd: Path = ROOT, worker: list[str] | None = None
) -> subprocess.Popen:
    """gunicorn with GUNICORN's settings; `worker` replaces `--worker-class sync` (e.g.
    `["--worker-class", "gthread", "--threads", "4"]`)."""
    command = [*GUNICORN, "--bind", f"127.0.0.1:{port}", app]
    command[0] = str(cwd / ".venv/bin/gunicorn")
    if worker:
        at = command.index("--worker-class")
        command[at : at + 2] = worker
    process = subprocess.Popen(command, cwd=cwd, env=env)  # noqa: S603 - our gunicorn, fixed args
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app} did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def request(port: int, path: str, headers: dict[str, str]) -> tuple[int, float, bytes]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, time.perf_counter() - started, body


def warm(port: int, path: str, headers: dict) -> None:
    for _ in range(10):  # warm-up: workers, pool, caches
        status, _, body = request(port, path, headers)
        assert status == 200, (status, body[:300])


def burst(
    port: int, path: str, headers: dict, count: int, concurrency: int
) -> tuple[list[float], float]:
    """`count` requests from `concurrency` clients: their latencies and the wall time."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [count]

    def worker() -> None:
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            status, seconds, body = request(port, path, headers)
            assert status == 200, (status, body[:300])
            with lock:
                latencies.append(seconds)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def interleaved(
    targets: list[tuple[int, str, dict]], count: int, concurrency: int, chunk: int = 50
) -> list[dict[str, float]]:
    """Each target `count` times, in alternating chunks: the machine is shared, and a load
    spike during one server's turn would otherwise land on one side of the ratio only."""
    for port, path, headers in targets:
        warm(port, path, headers)
    runs: list[tuple[list[float], float]] = [([], 0.0) for _ in targets]
    done = 0
    while done < count:
        size = min(chunk, count - done)
        for index, (port, path, headers) in enumerate(targets):
            latencies, elapsed = burst(port, path, headers, size, concurrency)
            runs[index] = (runs[index][0] + latencies, runs[index][1] + elapsed)
        done += size
    return [summary(latencies, elapsed) for latencies, elapsed in runs]


def summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    count = len(latencies)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": count / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
    }


def login(port: int, email: str = BENCH_EMAIL) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"email": email, "password": BENCH_PASSWORD})
    connection.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    payload = json.loads(response.read())
    assert response.status == 200, payload
    return payload["access"]


def main() -> None:
    parser = argparse.ArgumentParser(description="R1 (bare) vs R3 (real) list endpoint")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--feed-only", action="store_true", help="only the feed rows (and their list baseline)"
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="a checkout of the code to compare with (e.g. a worktree of main, with .venv): "
        "served as a third server (R3 before), interleaved in every row",
    )
    args = parser.parse_args()
    load_before = f"{os.getloadavg()[0]:.2f}"
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL=postgres://... to the seeded database.")
    params = scenarios()
    captured = capture_sql(params)
    for email in PROFILES:
        member(email)
    feeds = feed_rows()
    sql_file = Path(tempfile.mkstemp(suffix=".json")[1])
    sql_file.write_text(json.dumps(captured, ensure_ascii=False))
    settings_dict = connection.settings_dict
    dsn = (
        f"host={settings_dict['HOST']} port={settings_dict['PORT'] or 5432} "
        f"dbname={settings_dict['NAME']} user={settings_dict['USER']} "
        f"password={settings_dict['PASSWORD']}"
    )
    connection.close()

    env = production_env()
    r1_env = {
        **env,
        "BENCH_SQL_FILE": str(sql_file),
        "BENCH_DSN": dsn,
        "PYTHONPATH": str(ROOT / "bench/api"),
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    # All servers up at once (an idle one costs nothing); each row alternates between them.
    servers = [start("bare_app:application", 8701, r1_env)]
    try:
        servers.append(start("ohmanager.wsgi:application", 8702, env))
        if args.before:
            servers.append(start("ohmanager.wsgi:application", 8703, env, cwd=args.before))
        # One login per run (the login endpoint limits attempts); tokens live 10 min.
        headers = {"Authorization": f"Bearer {login(8702)}"}
        for name, (path, query) in params.items() if not args.feed_only else ():
            path = path + (f"?{urlencode(query)}" if query else "")
            targets = [(8701, f"/{name}", {}), (8702, path, headers)]
            if args.before:
                targets.append((8703, path, headers))
            found = interleaved(targets, args.requests, args.concurrency)
            results[name] = dict(zip(("R1", "R3", "R3 before"), found, strict=False))
        tokens = {email: {"Authorization": f"Bearer {login(8702, email)}"} for email in PROFILES}
        for name, (email, query) in feeds.items():
            path = "/api/v1/auditions/recommended" + (f"?{urlencode(query)}" if query else "")
            targets = [(8702, path, tokens[email]), (8702, LIST_PATH, headers)]
            if args.before:
                targets.append((8703, path, tokens[email]))
            found = interleaved(targets, args.requests, args.concurrency)
            results[name] = dict(zip(("R3", "list", "R3 before"), found, strict=False))
    finally:
        for server in reversed(servers):
            stop(server)
    sql_file.unlink()

    from auditions.models import Audition

    print(
        f"\n{Audition.objects.count()} auditions; {args.requests} requests per row, "
        f"concurrency {args.concurrency}; gunicorn {' '.join(GUNICORN[1:5])}; "
        f"load average at start {load_before}, at end {os.getloadavg()[0]:.2f}\n"
    )
    before = bool(args.before)
    header = (
        f"{'scenario':<20} {'items':>5} | {'R1 rps':>7} {'p50':>6} {'p99':>6} | "
        f"{'R3 rps':>7} {'p50':>6} {'p95':>6} {'p99':>6} | {'R3/R1 p50':>9} {'R1/R3 rps':>9}"
        + (f" | {'before p50':>10} {'p95':>6} {'before/R1':>9}" if before else "")
    )
    print(header)
    print("-" * len(header))
    for name, row in results.items():
        if name in feeds:
            continue
        one, three = row["R1"], row["R3"]
        line = (
            f"{name:<20} {captured[name]['items']:>5} | {one['rps']:>7.1f} {one['p50']:>6.1f} "
            f"{one['p99']:>6.1f} | {three['rps']:>7.1f} {three['p50']:>6.1f} {three['p95']:>6.1f} "
            f"{three['p99']:>6.1f} | {three['p50'] / one['p50']:>9.2f} "
            f"{one['rps'] / three['rps']:>9.2f}"
        )
        if before:
            old = row["R3 before"]
            line += f" | {old['p50']:>10.1f} {old['p95']:>6.1f} {old['p50'] / one['p50']:>9.2f}"
        print(line)
    if not args.feed_only:
        deep, first = results["deep_page_5000"]["R3"], results["first_page"]["R3"]
        print(f"\nR3 deep page (5,000 in) / first page, p50: {deep['p50'] / first['p50']:.2f}")
        for row in ("search_1_syllable", "search_2_syllables", "search_3_syllables"):
            print(f"R3 {row} p95: {results[row]['R3']['p95']:.1f} ms (goal < 30 ms)")
        print("(milliseconds; goals: R3/R1 <= 2 on every row, deep/first <= 2)")
    print("\nRecommended feed (R3) against the plain list's first page (R3), interleaved:")
    for name in feeds:
        feed, plain = results[name]["R3"], results[name]["list"]
        line = (
            f"{name:<24} rps {feed['rps']:>6.1f}  p50 {feed['p50']:>6.1f}  p95 "
            f"{feed['p95']:>6.1f}  p99 {feed['p99']:>6.1f} | list p50 {plain['p50']:>5.1f} | "
            f"feed/list p50 {feed['p50'] / plain['p50']:.2f}  "
            f"list/feed rps {plain['rps'] / feed['rps']:.2f}"
        )
        if "R3 before" in results[name]:
            old = results[name]["R3 before"]
            line += f" | before p50 {old['p50']:>6.1f} p95 {old['p95']:>6.1f}"
        print(line)
    print("(goal: feed/list <= 3)")


if __name__ == "__main__":
    main()
