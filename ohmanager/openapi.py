"""The error envelope in the OpenAPI schema, for every operation, in one place.

Every API error is `{"error": {"code", "message", "fields"?}}` (ohmanager/exception_handler.py).
Views document the errors that are theirs (409 `already_applied`, 410 `audition_closed`, ...)
with a description; this drf-spectacular postprocessing hook then

- gives every 4xx/5xx response the `ErrorEnvelope` body, so clients and the fuzzer (schemathesis,
  ohmanager/tests/test_api_fuzz.py) can check error bodies too, and
- adds the errors that come from the platform rather than the view, where they apply:
  400 for an operation that takes input, 401 for one that needs a token, 404 for one with an
  id in its path or a `cursor` (DRF answers an unreadable cursor with 404), 415 for one with a
  body, and for all: 414 and 431 (a URL or headers past ohmanager.limits, refused before any
  view, or past gunicorn's limits: ohmanager.gunicorn_hooks), 429 (DRF's per-client throttles)
  and 503 (database unreachable).

Registered in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] after drf-spectacular's own enum hook.
"""

from typing import Any

ENVELOPE_COMPONENT = "ErrorEnvelope"
ENVELOPE_REF = {"$ref": f"#/components/schemas/{ENVELOPE_COMPONENT}"}

ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer of the API.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable machine code, e.g. validation_error, "
                    "not_authenticated, not_found, already_applied, throttled.",
                },
                "message": {"type": "string", "description": "Human text."},
                "fields": {
                    "type": "object",
                    "description": "Validation errors only: field name to messages "
                    "(nested serializers keep their nesting).",
                    "additionalProperties": {},
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    "400": "Validation error (`validation_error`, with `fields`).",
    "401": "Not authenticated: no token, or a bad, expired or revoked one.",
    "403": "Not allowed.",
    "404": "Not found, or not yours (also an unreadable `cursor`).",
    "413": "The body is too large.",
    "414": "The URL is too long (`uri_too_long`).",
    "415": "Unsupported content type.",
    "429": "Throttled (`throttled`); `Retry-After` says when to try again.",
    "431": "The request headers are too large (`headers_too_large`).",
    "503": "The service is temporarily unavailable (`service_unavailable`); retry later.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _needs_token(operation: dict[str, Any], default_security: list[dict[str, Any]]) -> bool:
    security = operation.get("security", default_security)
    # `{}` among the requirements means "no authentication is also fine".
    return bool(security) and all(requirement for requirement in security)


def platform_error_statuses(path: str, operation: dict[str, Any], *, secured: bool) -> set[str]:
    """The error statuses the platform itself may answer for this operation."""
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p.get("in") == "query"}
    has_body = "requestBody" in operation
    statuses = {"414", "429", "431", "503"}
    if has_body or query:
        statuses.add("400")
    if secured:
        statuses.add("401")
    if "{" in path or "cursor" in query:
        statuses.add("404")
    if has_body:
        statuses.add("415")
    return statuses


def _allow_empty_query_values(operation: dict[str, Any]) -> None:
    """`?status=` is no filter at all (django-filter's rule; `cursor=` and `page_size=` mean the
    first page and the default size): say so, except for booleans and lists, where "" is an
    error."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query" or parameter.get("required"):
            continue
        if parameter.get("schema", {}).get("type") in {"boolean", "array"}:
            continue
        parameter["allowEmptyValue"] = True


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (signature fixed by drf-spectacular)."""
    result.setdefault("components", {}).setdefault("schemas", {})[ENVELOPE_COMPONENT] = (
        ENVELOPE_SCHEMA
    )
    default_security = result.get("security", [])
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            secured = _needs_token(operation, default_security)
            _allow_empty_query_values(operation)
            for status in platform_error_statuses(path, operation, secured=secured):
                responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if status[:1] not in {"4", "5"}:
                    continue
                if not response.get("description"):
                    response["description"] = DESCRIPTIONS.get(status, "Error.")
                response["content"] = {"application/json": {"schema": ENVELOPE_REF}}
                if status in {"429", "503"}:
                    response.setdefault("headers", {}).update(RETRY_AFTER)
            operation["responses"] = dict(sorted(responses.items()))
    return result
