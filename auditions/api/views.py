from types import MappingProxyType, SimpleNamespace

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
from ohmanager.transactions import ReadsOutsideTransaction

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


# What `_filterset` answers for a request with no filter parameters: an empty, validated form
# and a filter that leaves the queryset as it is.
_NO_FILTERS = SimpleNamespace(
    form=SimpleNamespace(cleaned_data=MappingProxyType({})),
    filter_queryset=lambda queryset: queryset,
)


@extend_schema_view(
    list=extend_schema(summary="Open auditions (filters, ordering, Korean search)"),
    retrieve=extend_schema(summary="One audition"),
)
class AuditionViewSet(ReadsOutsideTransaction, viewsets.GenericViewSet):
    serializer_class = AuditionSerializer
    pagination_class = KeysetCursorPage
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditionFilter
    lookup_value_regex = UUID_PATTERN
    ordering = selectors.ORDERINGS[selectors.DEFAULT_ORDERING]
    boolean_leads = ("title_hit",)  # KeysetCursorPage pages title matches, then the rest

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _filterset(self) -> AuditionFilter:
        # Built and validated once per request: a FilterSet deep-copies its filters, which
        # showed in the profile when the backend, the queryset and the ordering each built one.
        # A request without filter parameters (the first page, a next page's cursor) gets an
        # empty one: every filter of an empty form is a no-op, so the form need not be built.
        if not hasattr(self, "_validated_filterset") and not any(
            name in AuditionFilter.base_filters for name in self.request.query_params
        ):
            self._validated_filterset = _NO_FILTERS
        if not hasattr(self, "_validated_filterset"):
            filterset = AuditionFilter(self.request.query_params, queryset=Audition.objects.none())
            if not filterset.is_valid():
                raise serializers.ValidationError(filterset.errors)
            self._validated_filterset = filterset
        return self._validated_filterset

    def get_queryset(self, *, title_only: bool = False, search: bool = True):
        params = self._filterset().form.cleaned_data
        return selectors.audition_list(
            member=self.request.user,
            status=params.get("status"),
            query=(params.get("q") or "") if search else "",
            title_only=title_only,
        )

    def boolean_partition(self, lead: str, value: bool):
        """KeysetCursorPage's title-matches partition, built with the title condition alone
        (selectors.audition_search says why); None: filter the page's queryset as usual."""
        if lead == "title_hit" and value:
            return self.filter_queryset(self.get_queryset(title_only=True))
        return None

    def partition_rows(self, lead: str, value: bool, part, order, limit: int, start) -> list:
        """KeysetCursorPage's reader: the body-only partition of a search is read with a
        bounded walk (selectors.audition_search_tail says why); the title matches as is."""
        if lead != "title_hit" or value:
            return list(part[:limit])
        scope = self.filter_queryset(self.get_queryset(search=False))
        return selectors.audition_search_tail(part, scope, order, limit, start)

    def filter_queryset(self, queryset):
        return self._filterset().filter_queryset(queryset)

    def get_page_ordering(self, request: Request) -> tuple[str, ...]:
        params = self._filterset().form.cleaned_data
        if params.get("ordering"):
            return selectors.ORDERINGS[params["ordering"]]
        if params.get("q"):
            return selectors.SEARCH_ORDERING
        return self.ordering

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = selectors.audition_attach_related(self.paginate_queryset(queryset))
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

    def list(self, request: Request) -> Response:
        page = selectors.audition_attach_related(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
