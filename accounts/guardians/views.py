"""`/g/<token>`: the page where a guardian reads what we collect about the child and why, and
consents with the e-mailed code; `/g/<token>/revoke`: where she revokes (or declines), from the
link in every e-mail she gets; `/g/<token>/renew`: consent again within the grace after a
revocation. Server-rendered like the card page (accounts.cards.views): no script, inline CSS
allowed by its hash, forms only to this site (CSRF-protected), `noindex`, not cached, and the
token never leaves in a Referer to another site. Unknown tokens get one plain 404.
"""

from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.cards.views import card_css
from accounts.models import GuardianConsent
from accounts.services.guardians import GUARDIAN_REVOCATION_GRACE, guardian_renewal_open
from accounts.throttle import client_ip, guess_limited, throttle_check
from ohmanager.exceptions import ApplicationError

LANGUAGES = ("ko", "en")


def _csp() -> str:
    return "; ".join(
        (
            "default-src 'none'",
            f"style-src {card_css()[1]}",
            "img-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def _protected(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = _csp()
    response["X-Robots-Tag"] = "noindex, nofollow"
    # same-origin, not no-referrer: a form POST under no-referrer carries `Origin: null`, which
    # Django's CSRF check refuses; no other site ever sees the URL.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def _not_found() -> HttpResponse:
    body = render_to_string("cards/not_found.html", {"css": card_css()[0]})
    return _protected(HttpResponse(body, status=404))


def _language(request: HttpRequest, record: GuardianConsent) -> str:
    asked = request.GET.get("lang")
    return asked if asked in LANGUAGES else record.member.language


def _page(
    request: HttpRequest,
    record: GuardianConsent,
    *,
    template: str = "consent",
    error: str = "",
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    language = _language(request, record)
    erase_on = (
        timezone.localtime(record.revoked_at + GUARDIAN_REVOCATION_GRACE)
        if record.revoked_at
        else None
    )
    context = {
        "css": card_css()[0],
        "lang": language,
        "record": record,
        "child_email": record.member.email,
        "open": record.status == GuardianConsent.Status.REQUESTED and not record.superseded_at,
        "renewal_open": guardian_renewal_open(record),
        "erase_on": erase_on,
        "grace_days": GUARDIAN_REVOCATION_GRACE // timedelta(days=1),
        "error": error,
        "done": done,
        "request": request,
    }
    body = render_to_string(f"guardians/{template}.{language}.html", context, request=request)
    return _protected(HttpResponse(body, status=status))


def _error_key(error: ApplicationError) -> str:
    # The page's own words for the service's codes (the templates hold both languages).
    return {
        "invalid_code": "invalid_code",
        "validation_error": "invalid_code",
        "code_expired": "code_expired",
        "too_many_attempts": "too_many",
        "throttled": "too_many",
        "consent_closed": "closed",
    }.get(error.code, "closed")


@transaction.non_atomic_requests  # a wrong code is counted although the answer is an error
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def consent_page(request: HttpRequest, token: str) -> HttpResponse:
    record = selectors.guardian_consent_by_token(token=token)
    if record is None:
        return _not_found()
    if request.method != "POST":
        return _page(request, record)
    code = (request.POST.get("code") or "").strip()
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return _page(request, record, error="invalid_code", status=400)
    try:
        with guess_limited(scope="guardian_consent", ip=client_ip(request), address=str(record.pk)):
            services.guardian_consent_give(
                token=token,
                code=code,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
    except ApplicationError as error:
        record.refresh_from_db()
        return _page(request, record, error=_error_key(error), status=error.status_code)
    record.refresh_from_db()
    return _page(request, record, done="given")


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def revoke_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (a mail scanner following links must not revoke); POST revokes."""
    record = selectors.guardian_consent_by_token(token=token)
    if record is None:
        return _not_found()
    if request.method != "POST":
        return _page(request, record, template="revoke")
    record = services.guardian_consent_revoke(
        token=token, ip=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    return _page(request, record, template="revoke", done="revoked")


@csrf_protect
@require_http_methods(["POST"])
def renew_page(request: HttpRequest, token: str) -> HttpResponse:
    record = selectors.guardian_consent_by_token(token=token)
    if record is None:
        return _not_found()
    try:
        throttle_check(scope="guardian_renew", ip=client_ip(request), address=str(record.pk))
        services.guardian_consent_renew(token=token)
    except ApplicationError as error:
        return _page(request, record, error=_error_key(error), status=error.status_code)
    return _page(request, record, done="renewed")
