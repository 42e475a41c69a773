"""The garbage collector's pauses in a fresh worker, with and without gunicorn_hooks'
start-up freeze: the app loaded as a worker loads it (and one login), a short warm-up, then
mixed catalogue requests through Django's WSGI handler; prints the request times and every
collection's length by generation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ohm_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/api/gc_pauses.py \\
        [--freeze] [--rounds 250]

Run it once each way: each run is a fresh process, as a fresh worker is.
"""

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.api.profile_request import signed_in_caller
from bench.api.run import setup_django

PATHS = (
    "/api/v1/auditions",
    "/api/v1/auditions?category=film&ordering=deadline",
    "/api/v1/auditions/recommended",
    "/api/v1/auditions?q=광고",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--freeze", action="store_true", help="as gunicorn.conf.py does")
    parser.add_argument("--rounds", type=int, default=250, help="each round asks every path")
    args = parser.parse_args()
    setup_django()
    from ohmanager.gunicorn_hooks import freeze_startup_objects

    call, get = signed_in_caller()
    if args.freeze:
        print(f"froze {freeze_startup_objects()} start-up objects")

    def ask(path: str) -> None:
        status, body = call(get(path))
        assert status.startswith("200"), body[:300]

    for _ in range(3):  # bench/api's warm-up, about
        for path in PATHS:
            ask(path)

    started: dict[int, float] = {}
    pauses: dict[int, list[float]] = {}

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[info["generation"]] = time.perf_counter()
        else:
            took = time.perf_counter() - started[info["generation"]]
            pauses.setdefault(info["generation"], []).append(took * 1000)

    gc.callbacks.append(timed)
    times = []
    for _ in range(args.rounds):
        for path in PATHS:
            begun = time.perf_counter()
            ask(path)
            times.append((time.perf_counter() - begun) * 1000)
    gc.callbacks.remove(timed)
    times.sort()
    print(
        f"{len(times)} requests: p50 {times[len(times) // 2]:.2f}  "
        f"p99 {times[int(len(times) * 0.99)]:.2f}  max {times[-1]:.2f} ms"
    )
    for generation, took in sorted(pauses.items()):
        print(
            f"  generation {generation}: {len(took)} collections, longest {max(took):.2f} ms, "
            f"in all {sum(took):.1f} ms"
        )


if __name__ == "__main__":
    main()
