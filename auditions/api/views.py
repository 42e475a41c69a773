from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from auditions import selectors, services
from auditions.api.serializers import AuditionSerializer
from auditions.filters import AuditionFilter
from auditions.models import Audition
from auditions.pagination import KeysetCursorPage
from ohmanager.exceptions import NotFound

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


@extend_schema_view(
    list=extend_schema(summary="Open auditions (filters, ordering, Korean search)"),
    retrieve=extend_schema(summary="One audition"),
)
class AuditionViewSet(viewsets.GenericViewSet):
    serializer_class = AuditionSerializer
    pagination_class = KeysetCursorPage
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditionFilter
    lookup_value_regex = UUID_PATTERN
    ordering = selectors.ORDERINGS[selectors.DEFAULT_ORDERING]

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _params(self) -> dict:
        # Validate once up front: status, q and ordering shape the base query and the order.
        filterset = AuditionFilter(self.request.query_params, queryset=None)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return filterset.form.cleaned_data

    def get_queryset(self):
        params = self._params()
        return selectors.audition_list(
            member=self.request.user, status=params.get("status"), query=params.get("q") or ""
        )

    def get_page_ordering(self, request: Request) -> tuple[str, ...]:
        params = self._params()
        if params.get("ordering"):
            return selectors.ORDERINGS[params["ordering"]]
        if params.get("q"):
            return selectors.SEARCH_ORDERING
        return self.ordering

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        audition = selectors.audition_get(audition_id=pk, member=request.user)
        if audition is None:
            raise NotFound("No such audition.", code="audition_not_found")
        return Response(self.get_serializer(audition).data)

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
class BookmarkViewSet(viewsets.GenericViewSet):
    serializer_class = AuditionSerializer
    pagination_class = KeysetCursorPage
    ordering = ("-bookmarked_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return Audition.objects.none()
        return selectors.bookmarked_auditions(member=self.request.user)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
