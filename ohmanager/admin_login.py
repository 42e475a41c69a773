"""The back office login with brute-force limits.

Django's admin login has none. This wraps `admin.site.login`: failed attempts are counted per
client (20 per 15 minutes; an IPv4 address or an IPv6 /64) and per username (5 per 15 minutes)
with the accounts throttle's atomic cache counters (accounts/throttle.py, scope `admin_login`);
once either is used up, every POST is refused with 429 and `Retry-After` before the password is
even checked. The username is counted as Django's login form reads it (NFKC, and case-folded as
the member manager's lookup ignores case), so `\uff42oss@…` (a full-width b) or `BOSS@…` spends
the same five tries as `boss@…`. Successful logins count nothing, so staff who type their
password right are never held up. Like the API's limits it fails open (with a warning) when the
cache is down.

Why not django-axes: it would add models, a middleware and an authentication backend for what
two cache counters already do here, with the same fail-open and proxy (NUM_PROXIES) rules as the
API's login limits.
"""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.throttle import client_ip, throttle_blocked, throttle_check
from ohmanager.exceptions import Throttled

SCOPE = "admin_login"


def _refused(retry_after: int) -> HttpResponse:
    message = _("Too many failed login attempts. Try again in %(minutes)d minutes.") % {
        "minutes": max(1, round(retry_after / 60))
    }
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    ip = client_ip(request)
    username = (request.POST.get("username") or "").strip() or None
    wait = throttle_blocked(scope=SCOPE, ip=ip, address=username)
    if wait is not None:
        return _refused(wait)
    response = admin.site.login(request, extra_context)
    # The login form redirects on success and shows itself again (200) on failure.
    if response.status_code == 200 and not request.user.is_authenticated:
        try:
            throttle_check(scope=SCOPE, ip=ip, address=username)
        except Throttled as error:
            return _refused(error.retry_after)
    return response
