"""The PDF's HTTP answers, for plain Django views (the card route is not a DRF view) and DRF
ones alike: the document itself, or 503 `pdf_unavailable` in the API's one error envelope."""

from django.http import HttpResponse, JsonResponse
from django.utils.http import content_disposition_header

from ohmanager.exceptions import ApplicationError


class PdfUnavailable(ApplicationError):
    """Raised by html_to_pdf where it cannot render; DRF views answer it through the one
    exception handler, plain views with pdf_unavailable_response()."""

    status_code = 503
    code = "pdf_unavailable"
    default_message = "The PDF cannot be made on this server right now; the card page works."


def pdf_unavailable_response(error: PdfUnavailable | None = None) -> JsonResponse:
    """503 with the same envelope the API's exception handler writes. No Retry-After: a
    missing system library does not come back by itself."""
    # Imported here: the handler pulls in DRF, which needs the app registry; ohmanager.pdf is
    # imported from AppConfig.ready and before django.setup() (bench, scripts).
    from ohmanager.exception_handler import error_body

    error = error or PdfUnavailable()
    return JsonResponse(error_body(error.code, error.message), status=error.status_code)


def pdf_response(pdf: bytes, *, filename: str, attachment: bool = False) -> HttpResponse:
    """The PDF, named for the browser (Korean names are RFC 5987-encoded by Django)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["X-Robots-Tag"] = "noindex"
    return response
