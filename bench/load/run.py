"""The whole stack under a mixed, realistic workload at fixed arrival rates.

    .venv/bin/python -m bench.load.run            # ~6-8 minutes: seed 100k, step the rate up

Starts, on 127.0.0.1 only: a private redis-server (cache, throttles, broker) on a free port,
one Celery worker (queues default,email, as in the Procfile) and gunicorn (bench/api's command:
2 sync workers, production settings via bench/api's `production_env`) against its own database
`ohm_load_bench` on the local PostgreSQL, seeded by bench/seed with 100,000 auditions. It adds
`--members` active performers (bulk-created with one precomputed bcrypt hash, each with an empty
profile and a live session whose tokens are minted in-process), then drives the API with the
open-loop generator in `bench/load/openloop.py` (latency from the intended send time):

    browse/search 70 %   list first page 20, filtered lists 18, Korean 1-3 syllable search 20,
                         next page (a cursor from an earlier answer) 12
    detail        15 %   GET auditions/{id} of a random open audition
    login/refresh  5 %   login 0.5 (bcrypt, the real cost), refresh 4.5 (rotation of a live
                         session; why this split: the comment on MIX)
    apply/status  10 %   POST applications 6 (a fresh member+audition pair each time),
                         POST applications/{id}/status 4 (one step forward, external ones)

Every request carries a member's access token. The accounts abuse limits are switched off
(ACCOUNTS_THROTTLE_ENABLED=false) and DRF's rates raised, as in bench/api: one client IP sends
everything. After a warm-up, each rate of `--rates` runs `--seconds` seconds; stepping stops
once a step is clearly saturated. Then it counts applications in the database against the 201s
returned, stops everything in `finally` blocks and drops the database (`--keep-db` keeps it,
`--reuse-db` skips seeding when the database already holds auditions).

A benchmark, not a test: CI never runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from bench.api.run import GUNICORN, production_env, start, stop  # noqa: E402
from bench.load.openloop import StepResult, new_session, run_step  # noqa: E402

DB_NAME = "ohm_load_bench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PASSWORD = "load-Bench-Password-1234"  # noqa: S105 - throwaway members of a throwaway database
EMAIL_DOMAIN = "load.bench.local"
SLO_P99_MS = 200.0
SEARCH_WORDS = [
    "꿈",
    "봄",
    "비밀",
    "광고",
    "여름",
    "모델",
    "연극",
    "배우",
    "첫사랑",
    "뮤지컬",
    "편의점",
]
FILTERS = [
    {"category": "web_drama", "region": "seoul", "ordering": "deadline"},
    {"category": "commercial", "pay_min": "100000"},
    {"region": "busan"},
    {"gender": "female", "age": "27", "ordering": "-pay"},
    {"category": "film", "region": "gyeonggi"},
    {"category": "model", "ordering": "deadline"},
]
# (operation, weight in percent). Login vs refresh inside the 5 % auth share: an access token
# lives 10 minutes and a session 14 days idle / 60 days at most, so an app refreshes every 10
# minutes of use and logs in again only when a session dies or on a new device. 1 login per 9
# refreshes is still far more logins than those lifetimes give; it is kept that high because
# login is the one deliberately slow request (bcrypt), so the benchmark still sees it.
MIX = [
    ("list", 20),
    ("filter", 18),
    ("search", 20),
    ("next_page", 12),
    ("detail", 15),
    ("login", 0.5),
    ("refresh", 4.5),
    ("apply", 6),
    ("status", 4),
]
FORWARD = [
    "applied",
    "viewed",
    "shortlisted",
    "audition_scheduled",
    "auditioned",
    "callback",
    "cast",
]


# --- Processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_group(process: subprocess.Popen, grace: float = 15) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return process
        time.sleep(0.1)
    stop_group(process)
    raise SystemExit("redis-server did not start")


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [str(ROOT / ".venv/bin/celery"), "-A", "ohmanager", "worker", "--queues", "default,email",
         "--concurrency", "2", "--hostname", "load@%h", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def wait_worker(process: subprocess.Popen) -> None:
    from ohmanager.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the Celery worker exited")
        if app.control.ping(timeout=1):
            return
    raise SystemExit("the Celery worker did not answer a ping within 60 s")


def psql_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as connection:
        connection.execute(sql)


def database_ready_rows(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT count(*) FROM auditions_audition").fetchone()[0]
    except psycopg.Error:
        return 0


@contextlib.contextmanager
def children_write_to(path: Path):
    """Processes started inside inherit stdout/stderr pointing at `path` (gunicorn's one JSON
    request line per request is part of the cost measured, but not something to print)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with path.open("ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


# --- Data -----------------------------------------------------------------------------------


def prepare_members(count: int, login_count: int) -> dict:
    """Bulk-creates active members with profiles and one live session each; returns what the
    workload needs (tokens, login addresses, audition ids)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Member, MemberSession, Profile, new_session_id
    from accounts.services import member_storage_prefix
    from accounts.tokens import token_pair_issue
    from auditions.models import Audition

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE applications_application CASCADE")
    Member.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
    password_hash = make_password(PASSWORD)  # bcrypt once; every member shares it
    now = timezone.now()
    members = [
        Member(email=f"load-{i}@{EMAIL_DOMAIN}", password=password_hash, status="active")
        for i in range(count + login_count)
    ]
    sessions, tokens = [], []
    with transaction.atomic():
        Member.objects.bulk_create(members, batch_size=1000)
        Profile.objects.bulk_create(
            [
                # adults: applying needs a birth date (issue #17)
                Profile(
                    member=m,
                    storage_prefix=member_storage_prefix(member_id=m.id),
                    birth_date=date(1995, 5, 1),
                )
                for m in members
            ],
            batch_size=1000,
        )
        for member in members[:count]:
            session = MemberSession(
                id=new_session_id(), member=member, created_at=now, last_seen_at=now,
                expires_at=now + timedelta(days=30),
            )  # fmt: skip
            pair = token_pair_issue(
                member_id=str(member.id), session_id=session.id, not_after=session.expires_at
            )
            session.refresh_jti = pair.refresh_jti
            sessions.append(session)
            tokens.append({"access": pair.access, "refresh": pair.refresh})
        MemberSession.objects.bulk_create(sessions, batch_size=1000)

    today = timezone.localdate()
    open_ids = list(
        Audition.objects.filter(status="open")
        .exclude(deadline__lt=today + timedelta(days=1))
        .values_list("id", flat=True)
    )
    random.Random(7).shuffle(open_ids)
    split = min(5000, len(open_ids) // 4)
    return {
        "tokens": tokens,
        "member_ids": [str(m.id) for m in members[:count]],
        "logins": [m.email for m in members[count:]],
        "detail_ids": [str(i) for i in open_ids[:split]],
        "apply_ids": [str(i) for i in open_ids[split:]],
    }


def check_writes(workload: Workload) -> str:
    """Every 201 must be a row (no lost write); every other row must be an apply that got no
    answer (the server committed after the client gave up), never a phantom."""
    from django.db.models import Q

    from applications.models import Application, ApplicationEvent

    rows = Application.objects.count()
    acknowledged = Application.objects.filter(pk__in=workload.created_ids).count()
    unanswered = Q(pk__in=[])
    for member, audition in workload.unanswered_pairs:
        unanswered |= Q(member_id=workload.member_ids[member], audition_id=audition)
    committed_unanswered = Application.objects.filter(unanswered).count()
    events = ApplicationEvent.objects.count()
    created, moved = len(workload.created_ids), workload.moved
    lost = created - acknowledged
    phantom = rows - acknowledged - committed_unanswered
    verdict = "OK" if lost == 0 and phantom == 0 else "FAILED"
    return (
        f"writes {verdict}: {created} x 201 from POST applications, {rows} applications in the "
        f"database; {acknowledged} of the 201s found (lost: {lost}); "
        f"{len(workload.unanswered_pairs)} applies got no answer, {committed_unanswered} of them "
        f"committed; unexplained rows: {phantom}. {moved} status moves answered 200; "
        f"{events} events in the database (expected {created + moved} + committed unanswered)"
    )


# --- Workload -------------------------------------------------------------------------------


class Workload:
    """Picks the next operation by the mix; keeps the state that makes each one valid: a refresh
    token is used by one request at a time, each apply takes a new (member, audition) pair, a
    status move takes an application not already being moved."""

    def __init__(self, base: str, data: dict, seed: int = 1) -> None:
        self.base = base + "/api/v1"
        self.rng = random.Random(seed)
        self.tokens = data["tokens"]  # index = member number; mutated by refreshes
        self.idle_sessions = deque(range(len(self.tokens)))
        self.logins = itertools.cycle(data["logins"])
        self.detail_ids = data["detail_ids"]
        self.apply_ids = iter(data["apply_ids"])
        self.apply_member = itertools.cycle(range(len(self.tokens)))
        self.movable: deque[tuple[str, int, int]] = deque()  # (application id, member, stage)
        self.cursors: deque[str] = deque(maxlen=500)
        self.names = [name for name, _ in MIX]
        self.weights = [weight for _, weight in MIX]
        self.created_ids: list[str] = []  # ids of the 201s of POST applications
        self.unanswered_pairs: list[tuple[int, str]] = []  # (member, audition): no answer
        self.moved = 0  # 200s of POST applications/{id}/status
        self.member_ids: list[str] = data["member_ids"]

    def headers(self, member: int | None = None) -> dict[str, str]:
        member = self.rng.randrange(len(self.tokens)) if member is None else member
        return {"Authorization": f"Bearer {self.tokens[member]['access']}"}

    def pick(self):
        name = self.rng.choices(self.names, self.weights)[0]
        if name == "status" and not self.movable:
            name = "apply"
        if name == "next_page" and not self.cursors:
            name = "list"
        if name == "refresh" and not self.idle_sessions:
            name = "detail"
        return name, getattr(self, f"op_{name}")

    async def _get(self, session, url: str, params=None, member=None, keep_cursor=False):
        async with session.get(url, params=params, headers=self.headers(member)) as response:
            body = await response.read()
            if response.status == 200 and keep_cursor:
                following = orjson.loads(body).get("next")
                if following:
                    self.cursors.append(following)
            return response.status, response.status == 200

    async def op_list(self, session):
        return await self._get(session, f"{self.base}/auditions", keep_cursor=True)

    async def op_filter(self, session):
        params = self.rng.choice(FILTERS)
        return await self._get(session, f"{self.base}/auditions", params, keep_cursor=True)

    async def op_search(self, session):
        params = {"q": self.rng.choice(SEARCH_WORDS)}
        return await self._get(session, f"{self.base}/auditions", params, keep_cursor=True)

    async def op_next_page(self, session):
        url = self.cursors[self.rng.randrange(len(self.cursors))]
        return await self._get(session, url, keep_cursor=True)

    async def op_detail(self, session):
        audition = self.rng.choice(self.detail_ids)
        return await self._get(session, f"{self.base}/auditions/{audition}")

    async def op_login(self, session):
        body = {"email": next(self.logins), "password": PASSWORD}
        async with session.post(f"{self.base}/auth/login", json=body) as response:
            await response.read()
            return response.status, response.status == 200

    async def op_refresh(self, session):
        member = self.idle_sessions.popleft()
        body = {"refresh": self.tokens[member]["refresh"]}
        try:
            async with session.post(f"{self.base}/auth/refresh", json=body) as response:
                payload = await response.json(content_type=None)
                if response.status == 200:
                    self.tokens[member] = {
                        "access": payload["access"],
                        "refresh": payload["refresh"],
                    }
                return response.status, response.status == 200
        finally:
            self.idle_sessions.append(member)  # unanswered: its token may be spent; reuse is 401

    async def op_apply(self, session):
        member, audition = next(self.apply_member), next(self.apply_ids)
        url, body = f"{self.base}/applications", {"audition": audition}
        try:
            async with session.post(url, json=body, headers=self.headers(member)) as response:
                payload = await response.json(content_type=None)
        except BaseException:
            self.unanswered_pairs.append((member, audition))
            raise
        if response.status == 201:
            self.created_ids.append(payload["id"])
            if payload.get("kind") == "external":
                self.movable.append((payload["id"], member, 0))
        return response.status, response.status == 201

    async def op_status(self, session):
        application, member, stage = self.movable.popleft()
        url = f"{self.base}/applications/{application}/status"
        body = {"status": FORWARD[stage + 1], "note": "load"}
        async with session.post(url, json=body, headers=self.headers(member)) as response:
            await response.read()
        if response.status == 200:
            self.moved += 1
            if stage + 2 < len(FORWARD):
                self.movable.append((application, member, stage + 1))
        return response.status, response.status == 200


# --- Report ---------------------------------------------------------------------------------


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def print_step(step: StepResult, load: str) -> None:
    print(
        f"{step.rate:>6.0f} {step.achieved_rate:>7.1f} {len(step.outcomes):>6} "
        f"{step.latency(0.50):>8.1f} {step.latency(0.95):>8.1f} {step.latency(0.99):>8.1f} "
        f"{step.service(0.99):>9.1f} {100 * step.error_rate:>6.2f} "
        f"{step.lag_ms(0.99):>7.1f} {step.max_lag_ms():>7.1f}   {load}",
        flush=True,
    )
    if step.errors:
        print(f"       errors: {dict(step.error_kinds().most_common(6))}", flush=True)


def held(step: StepResult) -> bool:
    return step.errors == 0 and step.latency(0.99) < SLO_P99_MS


async def drive(base: str, data: dict, args) -> tuple[list[StepResult], Workload]:
    workload = Workload(base, data)
    results = []
    async with new_session(args.timeout) as session:
        # Serial first: the first requests of each worker pay imports, the pool, caches.
        async with new_session(60) as patient:
            for _ in range(3 * len(MIX)):
                await run_step(patient, workload.pick, 1000, 0.001)
        warm = await run_step(session, workload.pick, args.rates[0], args.warmup)
        print(
            f"warm-up: {args.warmup:.0f} s at {args.rates[0]:g} rps, {len(warm.outcomes)} requests,"
            f" {warm.errors} errors {dict(warm.error_kinds())}",
            flush=True,
        )
        print(
            f"\n{'rps':>6} {'sent/s':>7} {'reqs':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'svc p99':>9} {'err %':>6} {'lag99':>7} {'lagmax':>7}   load avg (1 5 15 min)"
        )
        for rate in args.rates:
            step = await run_step(session, workload.pick, rate, args.seconds)
            results.append(step)
            print_step(step, load_average())
            if step.latency(0.99) > args.stop_p99 or step.error_rate > 0.05:
                print(f"       saturated (p99 > {args.stop_p99:.0f} ms or > 5 % errors): stop")
                break
            await asyncio.sleep(2)  # let the queues drain before the next rate
    return results, workload


def highest_rate_held(results: list[StepResult]) -> float | None:
    """The highest step below which no step missed: a miss at 80 rps is not hidden by 90 holding."""
    best = None
    for step in sorted(results, key=lambda step: step.rate):
        if not held(step):
            break
        best = step.rate
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description="Mixed workload at fixed arrival rates")
    parser.add_argument("--rows", type=int, default=100_000, help="auditions to seed")
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--rates", type=lambda s: [float(x) for x in s.split(",")],
                        default=[5, 10, 15, 20, 30, 40, 60, 80, 100, 150])  # fmt: skip
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--timeout", type=float, default=10, help="per request, seconds")
    parser.add_argument("--stop-p99", type=float, default=1000, help="stop stepping above, ms")
    parser.add_argument("--db", default=DB_NAME, help="database name (dropped at the end)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument(
        "--worker-class", default="gthread",
        help="gunicorn's: sync, gthread, or uvicorn.workers.UvicornWorker (pip install uvicorn)",
    )  # fmt: skip
    parser.add_argument(
        "--threads", type=int,
        help="per worker: 4 for gthread as in the Procfile, else 1 (gunicorn turns sync with "
        "more than one thread into gthread)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.threads is None:
        args.threads = 4 if args.worker_class == "gthread" else 1

    started = time.monotonic()
    db_name = args.db
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", db_name):
        parser.error("--db: lower-case letters, digits and underscores")
    url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db_name}"
    redis_port, web_port = free_port(), free_port()
    processes: list[subprocess.Popen] = []
    web = None
    print(f"load average at start: {load_average()} ({os.cpu_count()} CPUs)", flush=True)
    try:
        redis = start_redis(redis_port)
        processes.append(redis)
        env = production_env()
        env.update(
            DATABASE_URL=url,
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            ACCOUNTS_THROTTLE_ENABLED="false",
            PYTHONWARNINGS="ignore:No directory at",  # whitenoise: static files not collected
        )
        if not (args.reuse_db and database_ready_rows(url) >= args.rows):
            psql_admin(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
            psql_admin(f"CREATE DATABASE {db_name}")
            seed_env = {**env, "DJANGO_SETTINGS_MODULE": "ohmanager.settings.local"}
            print(f"seeding {args.rows} auditions (bench/seed) ...", flush=True)
            subprocess.run(  # noqa: S603 - our own seed script
                [sys.executable, str(ROOT / "bench/seed/seed.py"), "--rows", str(args.rows)],
                cwd=ROOT, env=seed_env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        print(f"database ready after {time.monotonic() - started:.0f} s", flush=True)

        os.environ.update(env)
        import django

        django.setup()
        data = prepare_members(args.members, login_count=200)
        from django.db import connection

        connection.close()
        print(
            f"{args.members} members with live sessions + 200 for logins; "
            f"{len(data['apply_ids'])} open auditions to apply to",
            flush=True,
        )
        log = ROOT / "var/load/servers.log"
        log.unlink(missing_ok=True)
        with children_write_to(log):
            worker = start_worker(env)
            processes.append(worker)
            wait_worker(worker)
            worker = ["--worker-class", args.worker_class, "--threads", str(args.threads)]
            # An async worker (uvicorn's, for the comparison; not in requirements) serves ASGI.
            asgi = "uvicorn" in args.worker_class.lower()
            app = "ohmanager.asgi:application" if asgi else "ohmanager.wsgi:application"
            web = start(app, web_port, env, worker=worker)
        print(
            f"stack up: gunicorn {' '.join(GUNICORN[1:3])} {' '.join(worker)}, "
            "1 Celery worker (2 processes), "
            f"private redis :{redis_port}, PostgreSQL {db_name}; ACCOUNTS_THROTTLE_ENABLED=false; "
            f"their output in {log.relative_to(ROOT)}",
            flush=True,
        )
        results, workload = asyncio.run(drive(f"http://127.0.0.1:{web_port}", data, args))

        writes = check_writes(workload)
        connection.close()
        best = highest_rate_held(results)
        print(f"\nhighest rate held (it and every lower step) with p99 < {SLO_P99_MS:.0f} ms "
              f"and no errors: {f'{best:g} rps' if best else 'none'}")  # fmt: skip
        shown = next((s for s in results if s.rate == best), results[0] if results else None)
        if shown is not None:
            parts = ", ".join(
                f"{op} {shown.latency(0.99, op):.0f}" for op, _ in MIX if shown.ops()[op]
            )
            print(f"  p99 per operation at {shown.rate:g} rps (ms): {parts}")
        print(writes)
        print(f"load average at end: {load_average()}; total {time.monotonic() - started:.0f} s")
    finally:
        if web is not None:
            stop(web)
        for process in reversed(processes):
            stop_group(process)
        if not args.keep_db:
            with contextlib.suppress(Exception):
                from django.db import connection

                connection.close()
            psql_admin(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
            print(f"dropped {db_name}")


if __name__ == "__main__":
    main()
