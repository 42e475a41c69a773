"""A small open-loop HTTP load generator (asyncio + aiohttp) with coordinated-omission correction.

Request i of a step is *intended* at `start + i / rate`, whatever happened to the requests before
it: the scheduler never waits for a response, so a slow server cannot slow the arrivals down (the
"coordinated omission" of closed-loop tools such as wrk or ab). Latency is measured from the
intended time to the end of the response body, so the time a request would have spent waiting
behind a stalled server counts; the plain service time (actual send to end) is kept beside it.

The generator checks itself: `dispatch lag` is how late the scheduler launched a request and
`start lag` how late the request's coroutine actually began (event loop congestion). Both should
stay at a few milliseconds; if they do not, the figures measure the generator, not the server.
"""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp


@dataclass
class Outcome:
    op: str
    ok: bool
    status: int  # 0 = no answer (timeout, connection error: see `failure`)
    latency: float  # seconds from the intended send time (corrected)
    service: float  # seconds from the actual send time (uncorrected)
    start_lag: float
    failure: str = ""


# `pick()` names the next operation and returns it; the operation gets the client session and
# returns (HTTP status, ok?).
Operation = tuple[str, Callable[[aiohttp.ClientSession], Awaitable[tuple[int, bool]]]]


@dataclass
class StepResult:
    rate: float
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    dispatch_lags: list[float] = field(default_factory=list)
    achieved_rate: float = 0.0

    def quantile(self, values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]

    def latency(self, q: float, op: str | None = None) -> float:
        values = [o.latency for o in self.outcomes if op is None or o.op == op]
        return self.quantile(values, q) * 1000

    def service(self, q: float) -> float:
        return self.quantile([o.service for o in self.outcomes], q) * 1000

    @property
    def errors(self) -> int:
        return sum(not o.ok for o in self.outcomes)

    @property
    def error_rate(self) -> float:
        return self.errors / len(self.outcomes) if self.outcomes else 0.0

    def error_kinds(self) -> Counter:
        return Counter(f"{o.op}:{o.status or o.failure}" for o in self.outcomes if not o.ok)

    def ops(self) -> Counter:
        return Counter(o.op for o in self.outcomes)

    def lag_ms(self, q: float) -> float:
        lags = self.dispatch_lags + [o.start_lag for o in self.outcomes]
        return self.quantile(lags, q) * 1000

    def max_lag_ms(self) -> float:
        return max(self.dispatch_lags + [o.start_lag for o in self.outcomes], default=0) * 1000


async def _one(
    session: aiohttp.ClientSession, pick: Callable[[], Operation], intended: float
) -> Outcome:
    loop = asyncio.get_running_loop()
    began = loop.time()
    op, operation = pick()
    failure = ""
    try:
        status, ok = await operation(session)
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        status, ok, failure = 0, False, type(error).__name__
    ended = loop.time()
    return Outcome(
        op, ok, status, ended - intended, ended - began, max(0.0, began - intended), failure
    )


async def run_step(
    session: aiohttp.ClientSession,
    pick: Callable[[], Operation],
    rate: float,
    seconds: float,
) -> StepResult:
    """Sends `rate * seconds` requests at a fixed arrival rate and waits for all answers."""
    loop = asyncio.get_running_loop()
    count = max(1, round(rate * seconds))
    result = StepResult(rate=rate, seconds=seconds)
    tasks = []
    start = loop.time() + 0.01
    for i in range(count):
        intended = start + i / rate
        delay = intended - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        result.dispatch_lags.append(max(0.0, loop.time() - intended))
        tasks.append(asyncio.create_task(_one(session, pick, intended)))
    sent_in = loop.time() - start
    result.achieved_rate = count / sent_in if sent_in > 0 else float(count)
    result.outcomes = list(await asyncio.gather(*tasks))
    return result


def new_session(timeout: float) -> aiohttp.ClientSession:
    """Enough connections that the pool never queues a request (limit 0 = unbounded), and one
    connection per request, as gunicorn's sync workers close each one anyway (no stale reuse)."""
    connector = aiohttp.TCPConnector(
        limit=0, limit_per_host=0, ttl_dns_cache=None, force_close=True
    )
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout))
