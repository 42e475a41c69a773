"""`applications`, `applications/{id}`, `.../status`, `.../withdraw`, `applications/summary`,
`me/calendar` and the public `calendar/{token}.ics`. Each validates, calls one service or
selector, and answers with an output serializer. Another member's application is a 404."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status as http
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import lifecycle, selectors, services
from applications.api import serializers as s
from applications.calendar import calendar_render
from applications.filters import ApplicationFilter
from applications.models import Application, ApplicationEvent
from auditions.pagination import KeysetCursorPage
from ohmanager.exceptions import NotFound

UUID_REGEX = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
NOT_FOUND = OpenApiResponse(description="Not found, or not yours.")
INVALID = OpenApiResponse(description="Validation error (envelope with `fields`).")
INVALID_TRANSITION = OpenApiResponse(
    description="`invalid_transition`: the lifecycle does not allow this move."
)


def _detail(request: Request, application_id: Any, code: int = http.HTTP_200_OK) -> Response:
    application = selectors.application_get_own(member=request.user, application_id=application_id)
    return Response(s.ApplicationDetailOutput(application).data, status=code)


@extend_schema_view(
    list=extend_schema(
        summary="My applications, most recent activity first (filter `status`)",
        responses={200: s.ApplicationOutput(many=True)},
    ),
    retrieve=extend_schema(
        summary="One of my applications, with its history",
        responses={200: s.ApplicationDetailOutput, 404: NOT_FOUND},
    ),
)
class ApplicationViewSet(viewsets.GenericViewSet):
    serializer_class = s.ApplicationOutput
    filterset_class = ApplicationFilter
    pagination_class = KeysetCursorPage
    lookup_value_regex = UUID_REGEX
    ordering = selectors.LIST_ORDERING

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return Application.objects.none()
        return selectors.application_list(member=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.ApplicationOutput(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return _detail(request, pk)

    @extend_schema(
        summary="Apply in the app, record an application made elsewhere, or have the app "
        "e-mail it to the poster (`send`)",
        request=s.ApplicationCreateInput,
        responses={
            201: s.ApplicationDetailOutput,
            400: OpenApiResponse(
                description="Validation error; `not_an_email_application` (send: the audition "
                "is not applied to by e-mail); `profile_incomplete` (send: no display name)."
            ),
            403: OpenApiResponse(
                description="`sending_paused`: staff paused e-mail applications on the account."
            ),
            404: OpenApiResponse(description="No such audition."),
            409: OpenApiResponse(
                description="`already_applied`; `direct_application_required` (send: the post "
                "refuses third-party submissions; recording it stays possible)."
            ),
            410: OpenApiResponse(description="`audition_closed`: closed or past its deadline."),
            429: OpenApiResponse(
                description="`daily_send_limit` (20 e-mail applications a day) or "
                "`recipient_send_limit` (3 a week to one poster), with `Retry-After`."
            ),
        },
    )
    def create(self, request: Request) -> Response:
        data = s.ApplicationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_create(
            member=request.user,
            audition_id=data.validated_data["audition"],
            role_id=data.validated_data.get("role"),
            message=data.validated_data["message"],
            external=data.validated_data["external"],
            send=data.validated_data["send"],
            photo_ids=data.validated_data.get("photos"),
            media_ids=data.validated_data.get("media"),
        )
        return _detail(request, application.pk, http.HTTP_201_CREATED)

    @extend_schema(
        summary="Move my application to another status",
        request=s.ApplicationStatusInput,
        responses={
            200: s.ApplicationDetailOutput,
            400: INVALID,
            403: OpenApiResponse(
                description="`status_set_by_casting`: casting sets in-app applications' status."
            ),
            404: NOT_FOUND,
            409: INVALID_TRANSITION,
        },
    )
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def set_status(self, request: Request, pk: str) -> Response:
        data = s.ApplicationStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_move(
            application_id=pk,
            status=data.validated_data["status"],
            actor=request.user,
            by=ApplicationEvent.Actor.MEMBER,
            note=data.validated_data["note"],
            audition_at=data.validated_data["audition_at"],
        )
        return _detail(request, pk)

    @extend_schema(
        summary="Withdraw my application (from any status that is not final)",
        request=s.ApplicationWithdrawInput,
        responses={200: s.ApplicationDetailOutput, 404: NOT_FOUND, 409: INVALID_TRANSITION},
    )
    @action(detail=True, methods=["post"], url_path="withdraw", filter_backends=[])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = s.ApplicationWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_withdraw(
            application_id=pk, member=request.user, note=data.validated_data["note"]
        )
        return _detail(request, pk)

    @extend_schema(
        summary="How many of my applications are in each status (the dashboard)",
        responses={200: s.StatusCountsOutput},
    )
    @action(detail=False, methods=["get"], url_path="summary", filter_backends=[])
    def summary(self, request: Request) -> Response:
        counts = selectors.application_status_counts(member=request.user)
        body = {
            "counts": counts,
            "total": sum(counts.values()),
            "active": sum(n for st, n in counts.items() if not lifecycle.is_final(st)),
        }
        return Response(s.StatusCountsOutput(body).data)


def _feed_body(request: Request, feed: Any, token: str | None = None) -> dict[str, Any]:
    """The feed's URL exists only with the plain token, i.e. in the answer that issued it: the
    database keeps the token's hash alone (security review #13.8)."""
    if feed is None:
        return {"url": None, "active": False, "created_at": None}
    url = None
    if token is not None:
        url = request.build_absolute_uri(reverse("api:calendar-feed", kwargs={"token": token}))
    return {"url": url, "active": True, "created_at": feed.created_at}


class CalendarFeedView(APIView):
    """The secret URL of my calendar: POST creates or rotates it and is the only answer that
    shows it (it is stored hashed); GET says whether one is live and since when; DELETE
    revokes it (the old URL is a 404 at once)."""

    @extend_schema(tags=["me"], responses={200: s.CalendarFeedOutput})
    def get(self, request: Request) -> Response:
        feed = selectors.calendar_feed_get(member=request.user)
        return Response(s.CalendarFeedOutput(_feed_body(request, feed)).data)

    @extend_schema(tags=["me"], request=None, responses={201: s.CalendarFeedOutput})
    def post(self, request: Request) -> Response:
        issued = services.calendar_feed_rotate(member=request.user)
        return Response(
            s.CalendarFeedOutput(_feed_body(request, issued.feed, issued.token)).data,
            status=http.HTTP_201_CREATED,
        )

    @extend_schema(tags=["me"], request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        services.calendar_feed_revoke(member=request.user)
        return Response(status=http.HTTP_204_NO_CONTENT)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The public feed: calendar apps cannot send a bearer token, so the secret is the URL.
    A plain Django view (no JWT, no content negotiation); an unknown token is the API's 404."""
    try:
        member = selectors.calendar_feed_member(token=token)
    except NotFound as error:
        raise Http404 from error  # the project's 404 handler writes the envelope
    response = HttpResponse(
        calendar_render(member=member), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="ohmanager.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
