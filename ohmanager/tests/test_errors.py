"""Every kind of error reaches the client in the one envelope of the API contract."""

import pytest
from django.core.cache import cache

from ohmanager.tests.support import SECRET_DETAIL

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ohmanager.tests.support")]


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_validation_error_names_each_field(api_client):
    response = api_client.post("/api/v1/test/echo", {"name": "much too long", "age": -1})

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"name", "age"}
    assert all(isinstance(message, str) for message in error["fields"]["age"])


def test_malformed_json_is_a_parse_error(api_client):
    response = api_client.post(
        "/api/v1/test/echo", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_django_validation_error_becomes_field_errors(api_client):
    response = api_client.get("/api/v1/test/django-validation")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"height_cm": ["Must be between 50 and 250."]}


def test_application_error_keeps_its_status_and_code(api_client):
    response = api_client.get("/api/v1/test/conflict")

    assert response.status_code == 409
    error = error_of(response)
    assert error == {"code": "already_taken", "message": "That is already taken."}


def test_unauthenticated_is_401_with_challenge(api_client):
    response = api_client.get("/api/v1/test/protected")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_api_path_is_404_envelope(api_client):
    response = api_client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_405_envelope(api_client):
    response = api_client.delete("/api/v1/test/echo")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_throttled_is_429_with_retry_after(api_client):
    cache.clear()
    assert api_client.get("/api/v1/test/throttled").status_code == 200

    response = api_client.get("/api/v1/test/throttled")

    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("path", ["/api/v1/test/boom", "/api/v1/test/plain-boom"])
def test_unexpected_error_is_500_without_internals(path, client):
    client.raise_request_exception = False

    response = client.get(path)

    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    text = response.content.decode()
    for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, "hunter2", ".py"):
        assert leak not in text


def test_pages_outside_the_api_keep_html_errors(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert "application/json" not in response.headers["Content-Type"]
