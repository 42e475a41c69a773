"""Django's cookie-session middlewares, run for the back office and the HTML pages only.

The REST API (`/api/v1/`) authenticates by bearer token and sets no cookie: a member's
session is `accounts.MemberSession`, read by `accounts.authentication`, never Django's
session. Yet Django's session, authentication and messages middlewares each did their work on
every API request (a session store with its signer, a lazy user, a message storage with two
cookie signers) for nothing: 7-8 % of a catalogue detail request's CPU time, 4 % of a list
page's (bench/api/middleware_cpu.py; bench/api/README.md, run E). These subclasses pass API
requests straight through and behave exactly as Django's classes everywhere else; being
subclasses, the admin's system checks (admin.E408-E410) still find them.

What stays on for the API: CsrfViewMiddleware (Django's own class, so `check --deploy` sees
it; DRF's views are CSRF-exempt and token requests carry no cookie, so it only reads the
absent cookie), the security headers, locale (Accept-Language decides the language of
anonymous answers) and the request log. DRF sets `request.user` itself once the token is
checked, so code that reads it after the view (the request log) still finds the member.
"""

from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/v1/"


def is_token_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class _NotForTheTokenAPI:
    get_response: object

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_token_api(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_NotForTheTokenAPI, sessions_middleware.SessionMiddleware):
    pass


class AuthenticationMiddleware(_NotForTheTokenAPI, auth_middleware.AuthenticationMiddleware):
    pass


class MessageMiddleware(_NotForTheTokenAPI, messages_middleware.MessageMiddleware):
    pass
