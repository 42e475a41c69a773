"""The recommended feed for one member repeated, and for many members in turn, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_bench19 \\
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/api/feed_members.py \\
        [--members 48] [--rounds 12]

bench/api/run.py's feed rows repeat one member, so whatever a connection keeps for that member
(a prepared statement, its plan) is always warm there. Production serves many members. Rows,
each request signed in (a live session, a minted token) through Django's WSGI handler with
run.py's production settings, one thread (one pooled connection, as a sync worker):

- `one member`: the same member every time (what run.py measures);
- `one shape`: `--members` members in turn with one interest, one region, an age and a height
  each, all different values (the feed's branch reads then have one text: one prepared
  statement each, shared);
- `six shapes`: as many members with one to three interests and one or two regions.

The rows alternate in chunks of one pass over the members, so load spikes land on all three.
Prints each row's median and p90 in ms.
"""

import argparse
import itertools
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from bench.api.run import setup_django

EMAIL = "bench-feed-{shape}-{n}@ohmanager.local"
CATEGORIES = ["film", "drama", "web_drama", "commercial", "musical", "theater", "model", "idol"]
REGIONS = ["seoul", "gyeonggi", "busan", "incheon", "daegu", "jeju"]
FEED = "/api/v1/auditions/recommended"


def facts(shape: str, n: int) -> dict:
    """Profile facts of member `n`: other values for every member, as many of each per shape."""
    interests_count, regions_count = (1, 1) if shape == "one" else divmod(n % 6, 2)
    if shape != "one":
        interests_count, regions_count = interests_count + 1, regions_count + 1
    today = date.today()
    return {
        "birth_date": date(today.year - (20 + n % 25), 1, 1),
        "gender": ("female", "male")[n % 2],
        "height_cm": 155 + n % 30,
        "interests": [CATEGORIES[(n + k) % len(CATEGORIES)] for k in range(interests_count)],
        "regions": [REGIONS[(n + k) % len(REGIONS)] for k in range(regions_count)],
    }


def bearers(shape: str, count: int) -> list[str]:
    """`count` members of `shape` (made on first use), each with a live session's token."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Member, MemberSession, new_session_id
    from accounts.profiles.services import profile_update
    from accounts.services import profile_prepare
    from accounts.tokens import token_pair_issue

    password = make_password(None)  # unusable: these members never log in
    found = []
    for n in range(count):
        email = EMAIL.format(shape=shape, n=n)
        member = Member.objects.filter(email=email).first()
        member = member or Member.objects.create(email=email, password=password, status="active")
        profile_prepare(member=member)
        profile_update(member=member, **facts(shape, n))
        now = timezone.now()
        session = MemberSession.objects.create(
            id=new_session_id(),
            member=member,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=1),
        )
        pair = token_pair_issue(
            member_id=str(member.id), session_id=session.id, not_after=session.expires_at
        )
        MemberSession.objects.filter(pk=session.pk).update(refresh_jti=pair.refresh_jti)
        found.append(f"Bearer {pair.access}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    setup_django()
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    handler, factory = WSGIHandler(), RequestFactory(HTTP_HOST="127.0.0.1")
    one_shape, six_shapes = bearers("one", args.members), bearers("six", args.members)
    rows = {
        "one member": [one_shape[0]] * args.members,
        "one shape": one_shape,
        "six shapes": six_shapes,
    }
    times: dict[str, list[float]] = {name: [] for name in rows}

    def get(bearer: str) -> float:
        environ = factory.get(FEED, HTTP_AUTHORIZATION=bearer).environ
        status = []
        start = time.perf_counter()
        body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))
        elapsed = time.perf_counter() - start
        assert status[0].startswith("200"), body[:300]
        return elapsed

    for bearer in itertools.chain(*rows.values()):  # each member's first request: warm-up
        get(bearer)
    for _ in range(args.rounds):
        for name, members in rows.items():
            times[name] += [get(bearer) for bearer in members]
    print(f"{args.members} members per row, {args.rounds} rounds, one thread")
    for name, found in times.items():
        found.sort()
        p90 = found[int(len(found) * 0.9)]
        print(f"{name:12} median {statistics.median(found) * 1000:6.2f} ms  p90 {p90 * 1000:6.2f}")


if __name__ == "__main__":
    main()
