from functools import lru_cache

from django.http import QueryDict
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from auditions import selectors, services
from auditions.api import lean
from auditions.api.serializers import (
    AuditionSerializer,
    ReportInput,
    ReportOutput,
    reader_language,
)
from auditions.filters import AuditionFilter
from auditions.models import Audition
from auditions.pagination import KeysetCursorPage
from ohmanager.exceptions import NotFound
from ohmanager.throttling import UserRateThrottle
from ohmanager.transactions import ReadsOutsideTransaction


class ReportThrottle(UserRateThrottle):
    """Reports per member (`audition_report` rate, 10/hour by default): each one may hide a call
    pending review, so one member may not file them by the hundred. Refused ones count too."""

    scope = "audition_report"


UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


def _validated_filters(request: Request) -> AuditionFilter | None:
    """The list's filter parameters, validated (400 otherwise); None when the request names
    none (the first page, a next page's cursor): a FilterSet deep-copies its filters and
    builds its form's fields, which showed in the profile, and every filter of an empty form
    is a no-op anyway."""
    params = request.query_params
    named = tuple(sorted((name, tuple(params.getlist(name))) for name in params if name in _NAMES))
    if not named:
        return None
    return _filterset(named)


_NAMES = frozenset(AuditionFilter.base_filters)


@lru_cache(maxsize=512)
def _filterset(named: tuple[tuple[str, tuple[str, ...]], ...]) -> AuditionFilter:
    """A validated FilterSet for these filter parameters, kept: building and validating one
    was a fifth of a filtered list request (profiled), and the app sends the same few
    combinations over and over. Validation depends only on the parameters; the FilterSet is
    only read afterwards (cleaned_data, filter_queryset on the selector's queryset). An
    invalid set raises each time (exceptions are not kept)."""
    data = QueryDict(mutable=True)
    for name, values in named:
        data.setlist(name, list(values))
    filterset = AuditionFilter(data, queryset=Audition.objects.none())
    if not filterset.is_valid():
        raise serializers.ValidationError(filterset.errors)
    return filterset


@extend_schema_view(
    list=extend_schema(summary="Open auditions (filters, ordering, Korean search)"),
    retrieve=extend_schema(summary="One audition"),
)
class AuditionViewSet(ReadsOutsideTransaction, viewsets.GenericViewSet):
    serializer_class = AuditionSerializer
    queryset = Audition.objects.none()  # for the schema; list() and retrieve() call selectors
    pagination_class = KeysetCursorPage
    # For the schema's filter parameters; list() validates them itself (_validated_filters).
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditionFilter
    lookup_value_regex = UUID_PATTERN

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    # list() and retrieve() shape plain rows (auditions/api/lean.py): the serializer class
    # documents the shape for the schema; test_lean_equivalence pins the two together.
    def list(self, request: Request) -> Response:
        filters = _validated_filters(request)
        cursor = self.paginator.request_cursor(request)
        page = selectors.audition_page(
            member=request.user,
            filters=filters,
            cursor=cursor,
            ordering=(filters.form.cleaned_data.get("ordering") or None) if filters else None,
            page_size=self.paginator.page_size,
            as_rows=True,
        )
        return self.paginator.page_response(
            page, lean.audition_items(page.rows, timezone.localdate(), reader_language(request))
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        row = selectors.audition_get_row(audition_id=pk, member=request.user)
        if row is None:
            raise NotFound("No such audition.", code="audition_not_found")
        return Response(lean.audition_item(row, timezone.localdate(), reader_language(request)))

    def get_throttles(self):  # DRF hook: the report limit is on top of the per-member one
        throttles = super().get_throttles()
        if self.action == "report":
            throttles.append(ReportThrottle())
        return throttles

    @extend_schema(
        summary="Report an audition (scam, fee asked, fake, ...) to staff",
        description="One report per member and audition. Reports by members who applied weigh "
        "more; enough weight hides the audition at once pending staff review.",
        request=ReportInput,
        responses={
            201: ReportOutput,
            400: OpenApiResponse(description="Validation error (envelope with `fields`)."),
            404: OpenApiResponse(description="`audition_not_found`."),
            409: OpenApiResponse(description="`already_reported`: one report per member."),
            429: OpenApiResponse(description="Too many reports (`Retry-After`)."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="report",
        filter_backends=[],
        pagination_class=None,
    )
    def report(self, request: Request, pk: str) -> Response:
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.audition_report(
            member=request.user,
            audition_id=pk,
            reason=data.validated_data["reason"],
            text=data.validated_data.get("text", ""),
        )
        return Response(ReportOutput(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Bookmark (PUT) or un-bookmark (DELETE) an audition",
        request=None,
        responses={204: OpenApiResponse(description="Done (idempotent).")},
    )
    @action(
        detail=True,
        methods=["put", "delete"],
        url_path="bookmark",
        filter_backends=[],
        pagination_class=None,
    )
    def bookmark(self, request: Request, pk: str) -> Response:
        if request.method == "PUT":
            services.bookmark_add(member=request.user, audition_id=pk)
        else:
            services.bookmark_remove(member=request.user, audition_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(summary="My bookmarked auditions, newest first"))
class BookmarkViewSet(ReadsOutsideTransaction, viewsets.GenericViewSet):
    serializer_class = AuditionSerializer
    pagination_class = KeysetCursorPage
    ordering = ("-bookmarked_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return Audition.objects.none()
        return selectors.bookmarked_auditions(member=self.request.user)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    # The lean read path too (auditions/api/lean.py): plain rows, shaped without a serializer.
    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(selectors.audition_rows(self.get_queryset()))
        selectors.audition_rows_attach_related(rows)
        return self.get_paginated_response(
            lean.audition_items(rows, timezone.localdate(), reader_language(request))
        )
