"""Platform views: probes and the JSON answers for errors raised outside DRF views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from django.views import defaults

from ohmanager import readiness
from ohmanager.exception_handler import SERVER_ERROR_MESSAGE, UNAVAILABLE_MESSAGE, error_body


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Checks nothing else, so a dead database never kills pods."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 only when the database, the cache and the task broker all answer."""
    results = readiness.check_all()
    failed = sorted(name for name, result in results.items() if not result.ok)
    body = {
        "status": "ok" if not failed else "unavailable",
        "checks": {name: result.as_dict() for name, result in results.items()},
    }
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception):
    if _is_api(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest):
    # Django calls this inside its `except` block, so the exception is at hand. A database
    # that is down (restart, failover) fails before any DRF view runs when ATOMIC_REQUESTS
    # opens the request's transaction: answer it as the API's handler does, 503 + Retry-After.
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        response = JsonResponse(error_body("service_unavailable", UNAVAILABLE_MESSAGE), status=503)
        response["Retry-After"] = "5"
        return response
    if _is_api(request):
        return JsonResponse(error_body("server_error", SERVER_ERROR_MESSAGE), status=500)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception):
    if _is_api(request):
        return JsonResponse(error_body("bad_request", "Bad request."), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception):
    if _is_api(request):
        message = "You are not allowed to do this."
        return JsonResponse(error_body("permission_denied", message), status=403)
    return defaults.permission_denied(request, exception)
