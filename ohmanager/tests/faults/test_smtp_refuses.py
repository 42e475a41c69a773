"""The SMTP server refuses for a while (451, then 421): the task retries with backoff on a real
worker and the message arrives once."""

import re
import time

import pytest

from emails.models import EmailMessage
from emails.services import email_enqueue
from ohmanager.tests.faults.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_refused_email_is_retried_with_backoff_and_arrives(
    on_private_redis, start_worker, smtp_server
):
    # given: a relay that says "try later" twice before accepting
    attempts: list[float] = []
    deliver = smtp_server.handle_DATA
    refusals = ["451 4.7.1 Greylisted, try again later", "421 4.3.2 Service shutting down"]

    async def refusing(server, session, envelope):
        attempts.append(time.monotonic())
        if len(attempts) <= len(refusals):
            return refusals[len(attempts) - 1]
        return await deliver(server, session, envelope)

    smtp_server.handle_DATA = refusing
    worker = start_worker(
        on_private_redis.url(0),
        queues="email",
        EMAIL_HOST=smtp_server.host,
        EMAIL_PORT=str(smtp_server.port),
    )

    # when
    message = email_enqueue(
        to_email="later@example.kr", template="password_changed", context={"email": "x"}
    )

    # then: it arrives on the third try, once; the outbox row waited in `queued` meanwhile
    delivered = smtp_server.wait_for(lambda m: m["To"] == "later@example.kr", timeout=40)
    assert delivered["X-Ohmanager-Message-Id"] == str(message.id)
    wait_until(
        lambda: EmailMessage.objects.get(pk=message.pk).status == EmailMessage.Status.SENT,
        timeout=10,
    )
    assert len(attempts) == 3
    assert len(smtp_server.messages) == 1
    log = worker.output()
    # Celery's autoretry logged each refusal as a retry with its countdown (backoff 1 s, 2 s,
    # full jitter), and the refusals came from the server, not from a mock.
    retries = [line for line in log.splitlines() if "retry: Retry in" in line]
    assert len(retries) == 2, log[-3000:]
    assert "451" in log and "421" in log
    countdowns = [int(re.search(r"Retry in (\d+)s", line).group(1)) for line in retries]
    assert countdowns[0] <= 1 and countdowns[1] <= 2, countdowns  # 2 ** try, full jitter
    # The wall clock only bounds it loosely: a busy machine adds seconds per round trip.
    assert attempts[-1] - attempts[0] < 15
