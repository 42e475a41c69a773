"""The app behind a real gunicorn, started with the Dockerfile's own command line (its access log
to stdout included) on a free loopback port, on a throwaway SQLite database: no external
service, so it runs in `make test`.

- Security review #13.11: a URL or header too long is answered with the JSON error envelope
  (414 / 431), by the app below gunicorn's limits and by gunicorn itself past them, never with
  gunicorn's HTML page.
- Security review #13.8: a calendar feed token in the URL reaches neither gunicorn's access or
  error log nor the app's request log.
"""

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Server:
    port: int
    log: Path

    def raw(self, request: bytes, timeout: float = 10) -> Answer:
        """Sends `request` as is and reads the answer up to the connection's close."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(request)
            chunks = []
            with contextlib.suppress(ConnectionResetError):
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
        head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = _unchunk(body)
        return Answer(int(status_line.split()[1]), headers, body)

    def get(self, target: str, **headers: str) -> Answer:
        lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
        return self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def _unchunk(data: bytes) -> bytes:
    out = b""
    while True:
        size, _, rest = data.partition(b"\r\n")
        length = int(size.split(b";")[0], 16)
        if length == 0:
            return out
        out, data = out + rest[:length], rest[length + 2 :]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dockerfile_command(port: int) -> list[str]:
    """The Dockerfile's CMD, bound to `port` on loopback with one worker."""
    cmd_line = next(
        line for line in (BASE_DIR / "Dockerfile").read_text().splitlines()
        if line.startswith("CMD ")
    )  # fmt: skip
    command = json.loads(cmd_line.removeprefix("CMD "))
    assert command[0] == "gunicorn"
    command[0] = str(VENV_BIN / "gunicorn")
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    return command


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("gunicorn")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ohmanager.settings.test",
        OHMANAGER_IGNORE_DOTENV="1",
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        XDG_RUNTIME_DIR=str(directory),  # its own control socket, not ~/.gunicorn/gunicorn.ctl
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = _free_port()
    log = directory / "gunicorn.log"
    process = subprocess.Popen(  # noqa: S603
        dockerfile_command(port),
        cwd=BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    running = Server(port, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            with contextlib.suppress(OSError, IndexError, ValueError):
                if running.get("/healthz").status == 200:
                    break
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _envelope(answer: Answer, status: int, code: str) -> dict:
    assert answer.status == status, answer.body[:300]
    assert answer.headers["content-type"] == "application/json"
    assert b"<html" not in answer.body.lower()
    body = answer.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body


def test_a_url_too_long_for_the_app_is_414_in_the_envelope(server):
    answer = server.get("/api/v1/auditions?q=" + "x" * 6000)
    _envelope(answer, 414, "uri_too_long")
    assert "x-request-id" in answer.headers  # the app answered, not gunicorn


def test_a_url_too_long_for_gunicorn_is_414_in_the_envelope_too(server):
    _envelope(server.get("/api/v1/auditions?q=" + "x" * 9000), 414, "uri_too_long")


def test_a_header_too_long_is_431_in_the_envelope(server):
    answer = server.get("/healthz", X_Padding="x" * 10_000)
    _envelope(answer, 431, "headers_too_large")
    assert "x-request-id" in answer.headers
    _envelope(server.get("/healthz", X_Padding="x" * 20_000), 431, "headers_too_large")


def test_a_malformed_request_gets_the_envelope(server):
    answer = server.raw(b"GET /healthz HTTP/1.1 trailing\r\nHost: 127.0.0.1\r\n\r\n")
    _envelope(answer, 400, "bad_request")


def _log_once_written(server, access_line: str) -> list[str]:
    """The server's log lines, once the access line matching `access_line` is in (gunicorn
    writes it after the answer, so wait up to 10 s)."""

    def lines() -> list[str]:
        return server.log.read_text(errors="replace").splitlines()

    access = re.compile(access_line)
    deadline = time.monotonic() + 10
    while not any(access.search(line) for line in lines()):
        assert time.monotonic() < deadline, "\n".join(lines()[-20:])
        time.sleep(0.1)
    return lines()


def test_a_feed_token_reaches_no_line_of_gunicorn_or_the_app(server):
    token = secrets.token_urlsafe(32)
    feed = f"/api/v1/calendar/{token}.ics"

    assert server.get(feed).status == 404  # access log, request log
    assert server.get(f"{feed}?pad={'x' * 5000}").status == 414  # refused by the app
    assert server.get("/healthz", Referer=f"http://127.0.0.1{feed}").status == 200
    # no protocol: gunicorn's "Invalid request" warning quotes the whole request line
    assert server.raw(f"GET {feed}\r\n\r\n".encode()).status == 400

    written = _log_once_written(server, r'"GET /api/v1/calendar/\[redacted\]\.ics HTTP/1\.1" 404 ')
    assert any('"path": "/api/v1/calendar/[redacted].ics"' in line for line in written)
    assert any("Invalid request" in line and "[redacted]" in line for line in written)
    assert [line for line in written if token in line] == []


def test_a_card_token_reaches_no_line_of_gunicorn_or_the_app(server):
    token = secrets.token_urlsafe(32)
    card = f"/c/{token}"

    assert server.get(card).status == 404  # access log, request log (an unknown card)
    assert server.get("/healthz", Referer=f"http://127.0.0.1{card}").status == 200
    assert server.raw(f"GET {card}\r\n\r\n".encode()).status == 400  # "Invalid request"

    written = _log_once_written(server, r'"GET /c/\[redacted\] HTTP/1\.1" 404 ')
    assert any('"path": "/c/[redacted]"' in line for line in written)
    assert [line for line in written if token in line] == []


def test_the_worker_freezes_its_start_up_objects(server):
    """gunicorn_hooks.freeze_startup_objects ran in the worker once the app was loaded: the
    loaded app's objects are out of the collector's full passes."""
    frozen = re.findall(r"froze (\d+) start-up objects", server.log.read_text())
    assert len(frozen) == 1  # the one worker
    assert int(frozen[0]) > 50_000  # Django, DRF and the app's modules, not a handful
