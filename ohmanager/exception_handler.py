"""The one place that turns an exception into the API's error envelope:

    {"error": {"code": "...", "message": "...", "fields": {...}}}

`fields` appears only for validation errors. Every error response also marks the request's
transaction for rollback (ATOMIC_REQUESTS), so a failed request leaves the database as it was.
"""

import contextlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from ohmanager.exceptions import ApplicationError

logger = logging.getLogger("ohmanager.errors")

SERVER_ERROR_MESSAGE = "Something went wrong on our side. It has been logged; please try again."
UNAVAILABLE_MESSAGE = "The service is temporarily unavailable. Try again shortly."


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten_fields(detail: Any) -> dict[str, Any]:
    """DRF validation details as {field: [messages]}; nested serializers keep their nesting."""
    if isinstance(detail, dict):
        return {
            key: [str(item) for item in value]
            if isinstance(value, list) and all(not isinstance(item, (dict, list)) for item in value)
            else _flatten_nested(value)
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(item) for item in detail]}


def _flatten_nested(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _flatten_nested(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_flatten_nested(item) for item in value]
    return str(value)


def _first_message(fields: dict[str, Any]) -> str:
    for key, value in fields.items():
        while isinstance(value, (list, dict)) and value:
            value = value[0] if isinstance(value, list) else next(iter(value.values()))
        if value:
            return str(value) if key == "non_field_errors" else f"{key}: {value}"
    return "Some fields are invalid."


def _drf_code(exc: drf.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    headers: dict[str, str] = {}

    if isinstance(exc, ApplicationError):
        status, code, message = exc.status_code, exc.code, exc.message
        fields = exc.fields
        headers.update(exc.headers)
    elif isinstance(exc, DjangoValidationError):
        status, code = 400, "validation_error"
        fields = _flatten_fields(as_serializer_error(exc))
        message = _first_message(fields)
    elif isinstance(exc, drf.ValidationError):
        status, code = 400, "validation_error"
        fields = _flatten_fields(exc.detail)
        message = _first_message(fields)
    elif isinstance(exc, (Http404, drf.NotFound)):
        status, code, message, fields = 404, "not_found", "Not found.", None
    elif isinstance(exc, (DjangoPermissionDenied, drf.PermissionDenied)):
        status, code, fields = 403, "permission_denied", None
        message = "You are not allowed to do this."
    elif isinstance(exc, drf.APIException):
        status, code, message, fields = exc.status_code, _drf_code(exc), str(exc.detail), None
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(max(1, int(exc.wait)))
    elif isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable (restart, failover): a clean, retryable answer.
        logger.error("database unavailable: %s", exc)
        status, code, fields = 503, "service_unavailable", None
        message = UNAVAILABLE_MESSAGE
        headers["Retry-After"] = "5"
    else:
        # Unexpected: log everything, tell the client nothing about internals.
        request = context.get("request")
        logger.exception(
            "unhandled error on %s %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=exc,
        )
        status, code, message, fields = 500, "server_error", SERVER_ERROR_MESSAGE, None

    if isinstance(exc, DatabaseError):
        # A broken connection cannot run the rollback; Django discards it at request end.
        with contextlib.suppress(DatabaseError):
            set_rollback()
    else:
        set_rollback()
    return Response(error_body(code, message, fields), status=status, headers=headers)
