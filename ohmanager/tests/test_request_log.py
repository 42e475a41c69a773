import json
import logging

import pytest

from ohmanager.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_request_id_is_made_and_echoed(client):
    response = client.get("/healthz")

    assert len(response.headers["X-Request-ID"]) == 32


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="mobile-app.4f2a9c1e")

    assert response.headers["X-Request-ID"] == "mobile-app.4f2a9c1e"


def test_an_unsafe_incoming_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="evil\nlog-line injected")

    assert response.headers["X-Request-ID"] != "evil\nlog-line injected"
    assert len(response.headers["X-Request-ID"]) == 32


def test_one_json_line_per_request_with_its_fields(client, caplog):
    with caplog.at_level(logging.INFO, logger="ohmanager.request"):
        response = client.get("/healthz")

    [record] = [r for r in caplog.records if r.name == "ohmanager.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response.headers["X-Request-ID"]
