"""Security review #13.1: no code reaches a log. A real gunicorn and a real Celery worker, both
logging at DEBUG, serve a sign-up, its verification and a password reset; the codes arrive by
real SMTP, and neither process's log holds either code."""

import re

import pytest

from ohmanager.tests.faults.conftest import http, service_environment

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"\b(\d{6})\b")
# What may carry six digits in a row without being a code: times and ids.
NOT_A_CODE = re.compile(
    r"\d{1,2}:\d\d:\d\d(?:[.,]\d+)?"  # 05:41:23.123456
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # uuid
    r"|\b[0-9a-f]{32,}\b"  # hex ids, digests
    r"|\b\d{7,}\b"  # ports, pids, epoch times and other longer numbers
)


def code_from(message) -> str:
    return CODE.search(message.get_body(("plain",)).get_content()).group(1)


def leaks(log: str, secret: str) -> list[str]:
    """The lines of `log` in which `secret` stands as a token of its own."""
    pattern = re.compile(rf"(?<![0-9A-Za-z]){secret}(?![0-9A-Za-z])")
    return [line for line in log.splitlines() if pattern.search(NOT_A_CODE.sub(" ", line))]


def test_sign_up_and_reset_codes_reach_no_log_of_web_or_worker_at_debug(
    on_private_redis, start_worker, start_gunicorn, smtp_server, tmp_path
):
    broker = on_private_redis.url(0)
    debug = {"LOG_LEVEL": "DEBUG", "DJANGO_LOG_LEVEL": "DEBUG"}
    worker = start_worker(
        broker,
        queues="default,email",
        loglevel="DEBUG",
        EMAIL_HOST=smtp_server.host,
        EMAIL_PORT=str(smtp_server.port),
        **debug,
    )
    database_url = service_environment()["DATABASE_URL"]
    base = start_gunicorn(database_url, workers=1, broker_url=broker, **debug)
    api = f"{base}/api/v1"
    email, password, new_password = "quiet@example.kr", "first-strong-pass-8", "second-pass-x9"

    # sign up, read the code from the real mail, verify
    assert (
        http(
            "POST",
            f"{api}/auth/signup",
            {"email": email, "password": password, "birth_date": "1995-03-14"},
        )[0]
        == 201
    )
    signup_code = code_from(smtp_server.wait_for(lambda m: m["To"] == email, timeout=40))
    assert http("POST", f"{api}/auth/verify", {"email": email, "code": signup_code})[0] == 200

    # reset the password the same way
    assert http("POST", f"{api}/auth/password/reset", {"email": email})[0] == 202
    reset_mail = smtp_server.wait_for(
        lambda m: m["To"] == email and code_from(m) != signup_code, timeout=40
    )
    reset_code = code_from(reset_mail)
    confirmed = http(
        "POST",
        f"{api}/auth/password/reset/confirm",
        {"email": email, "code": reset_code, "new_password": new_password},
    )
    assert confirmed[0] == 200, confirmed

    # the logs were really written (the worker's at DEBUG), and they saw every step
    worker_log = worker.output()
    web_log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("gunicorn-*.log"))
    assert '"level": "DEBUG"' in worker_log
    assert worker_log.count("emails.tasks.email_deliver") >= 4  # received + succeeded
    assert "POST /api/v1/auth/password/reset/confirm 200" in web_log

    # and neither holds a code
    for secret in (signup_code, reset_code):
        assert leaks(worker_log, secret) == []
        assert leaks(web_log, secret) == []
