"""Request limits for every view, DRF's included: the URL and headers (414 / 431) and the body
(413), each refused with the error envelope before any view reads the request.

URL and headers: gunicorn refuses a request line or header past its own limits with an HTML
page no client or schema expects. gunicorn.conf.py sets those limits well above the ones here,
so every over-long URL or header that gunicorn can read at all is answered by the app, in the
envelope, logged by the request log (and what gunicorn still refuses gets the envelope from
ohmanager.gunicorn_hooks). The limits hold under any server (runserver, the test client).

Body:

Django enforces DATA_UPLOAD_MAX_MEMORY_SIZE only when `request.body` is read; DRF's JSONParser
reads the request stream directly, so without this a JSON body of any size would be read and
parsed into memory. A body that declares more than the limit is refused with 413 and the
envelope before anything reads it. (Without Content-Length, Django reads no body at all.)
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ohmanager.exception_handler import error_body

# The URL as sent (path + "?" + query, percent-encoded). Browsers and proxies commonly stop near
# 8 KB; the API's longest honest URL (a 200-character Korean `q` plus every filter) is under
# 2 KB. gunicorn.conf.py's limit_request_line (8190) stays above this plus method and protocol.
MAX_URL_BYTES = 4096
# One header line ("Name: value"), and all of them together. gunicorn.conf.py's
# limit_request_field_size (16380) stays above the first.
MAX_HEADER_FIELD_BYTES = 8190
MAX_HEADERS_BYTES = 32768


def _url_bytes(request: HttpRequest) -> int:
    # gunicorn hands the request target as it came (RAW_URI); other servers do not, and
    # get_full_path() re-encodes the decoded path, which gives the same length.
    raw = request.META.get("RAW_URI") or request.get_full_path()
    return len(raw.encode("utf-8", "surrogateescape"))


def _header_sizes(request: HttpRequest) -> list[int]:
    sizes = []
    for key, value in request.META.items():
        if key.startswith("HTTP_"):
            name_length = len(key) - 5
        elif key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
            name_length = len(key)
        else:
            continue
        # WSGI gives header values as latin-1 text: one character per byte on the wire.
        sizes.append(name_length + 2 + len(str(value)))
    return sizes


class RequestLineLimitMiddleware:
    """414 `uri_too_long` for a URL over MAX_URL_BYTES; 431 `headers_too_large` for a header
    line over MAX_HEADER_FIELD_BYTES or headers over MAX_HEADERS_BYTES in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _url_bytes(request) > MAX_URL_BYTES:
            return JsonResponse(
                error_body(
                    "uri_too_long", f"The request URL is longer than {MAX_URL_BYTES} bytes."
                ),
                status=414,
            )
        sizes = _header_sizes(request)
        if (sizes and max(sizes) > MAX_HEADER_FIELD_BYTES) or sum(sizes) > MAX_HEADERS_BYTES:
            return JsonResponse(
                error_body(
                    "headers_too_large",
                    f"A request header is longer than {MAX_HEADER_FIELD_BYTES} bytes, or all "
                    f"of them together longer than {MAX_HEADERS_BYTES}.",
                ),
                status=431,
            )
        return self.get_response(request)


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
