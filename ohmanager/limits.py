"""Request body limit for every view, DRF's included.

Django enforces DATA_UPLOAD_MAX_MEMORY_SIZE only when `request.body` is read; DRF's JSONParser
reads the request stream directly, so without this a JSON body of any size would be read and
parsed into memory. A body that declares more than the limit is refused with 413 and the
envelope before anything reads it. (Without Content-Length, Django reads no body at all.)
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ohmanager.exception_handler import error_body


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and declared.isdigit() and int(declared) > limit:
            return JsonResponse(
                error_body(
                    "request_too_large",
                    f"The request body is larger than {limit // (1024 * 1024)} MB.",
                ),
                status=413,
            )
        return self.get_response(request)
