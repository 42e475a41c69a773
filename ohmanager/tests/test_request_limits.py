"""Security review #13.11: an over-long URL or header is answered by the app in the error
envelope (414 `uri_too_long`, 431 `headers_too_large`), and the schema lists both for every
operation. Through a real gunicorn: ohmanager/tests/test_gunicorn.py."""

import pytest
from django.test import Client

from ohmanager.limits import MAX_HEADER_FIELD_BYTES, MAX_HEADERS_BYTES, MAX_URL_BYTES

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert response.has_header("X-Request-ID")  # answered inside the app, logged like any


def test_a_url_over_the_limit_is_414_in_the_envelope():
    path = "/api/v1/auditions?q="
    response = Client().get(path + "x" * (MAX_URL_BYTES - len(path) + 1))
    _error(response, 414, "uri_too_long")


def test_a_long_path_counts_as_sent_percent_encoded():
    # 460 Korean characters are 1,380 UTF-8 bytes but 4,140 bytes on the wire (%XX each)
    response = Client().get("/api/v1/auditions/" + "가" * 460)
    _error(response, 414, "uri_too_long")


def test_a_url_at_the_limit_is_served():
    path = "/healthz?pad="
    assert Client().get(path + "x" * (MAX_URL_BYTES - len(path))).status_code == 200


def test_a_header_over_the_limit_is_431_in_the_envelope():
    value = "x" * (MAX_HEADER_FIELD_BYTES - len("X-Padding: ") + 1)
    _error(Client().get("/healthz", HTTP_X_PADDING=value), 431, "headers_too_large")
    assert Client().get("/healthz", HTTP_X_PADDING=value[:-1]).status_code == 200


def test_headers_over_the_total_limit_are_431():
    count = MAX_HEADERS_BYTES // 4000 + 1
    headers = {f"HTTP_X_PAD_{n}": "x" * 4000 for n in range(count)}
    _error(Client().get("/healthz", **headers), 431, "headers_too_large")


def test_the_schema_lists_414_and_431_with_the_envelope_on_every_operation(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) > 20
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, method, operation in operations:
        for status in ("414", "431"):
            response = operation["responses"].get(status)
            assert response is not None, (method, path, status)
            assert response["content"]["application/json"]["schema"] == envelope
