"""`me/saved-searches`: CRUD of the member's saved searches. Another member's is a 404."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from auditions import selectors, services
from auditions.filters import PUBLIC_STATUS_CHOICES
from auditions.models import Category, Region, SavedSearch
from ohmanager.fields import StrictCharField
from ohmanager.pagination import CursorPage

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
NOT_FOUND = OpenApiResponse(description="Not found, or not yours.")
INVALID = OpenApiResponse(description="Validation error (envelope with `fields`).")


def _or_empty(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}], "nullable": True}


def _number(schema: dict) -> dict:
    # Like the list's query string, a number may also come as its decimal text.
    text = {"type": "string", "pattern": r"^(\d+(\.\d+)?)?$"}
    return {"anyOf": [schema, text], "nullable": True}


# The shape `saved_search_filters_clean` accepts, for the schema: unknown keys are refused;
# null, "" and [] mean "not filtered" and are dropped.
FILTERS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "q": {"nullable": True, "type": "string", "maxLength": 200},
        "status": _or_empty(
            {"type": "string", "enum": [value for value, _ in PUBLIC_STATUS_CHOICES]}
        ),
        "category": {
            "nullable": True,
            "type": "array",
            "items": {"type": "string", "enum": Category.values},
        },
        "region": {
            "nullable": True,
            "type": "array",
            "items": {"type": "string", "enum": Region.values},
        },
        "gender": _or_empty({"type": "string", "enum": ["female", "male", "any"]}),
        "age": _number({"type": "number", "minimum": 0, "maximum": 120}),
        "deadline_before": _or_empty({"type": "string", "format": "date"}),
        "deadline_after": _or_empty({"type": "string", "format": "date"}),
        "pay_min": _number({"type": "number", "minimum": 0}),
        "source": {"nullable": True, "type": "string", "maxLength": 64},
    },
}


@extend_schema_field(FILTERS_SCHEMA)
class FiltersField(serializers.DictField):
    pass


class SavedSearchInput(serializers.Serializer):
    name = StrictCharField(max_length=100)
    filters = FiltersField(
        required=False,
        default=dict,
        help_text="The query parameters of `GET auditions` (q, category, region, gender, age, "
        "deadline_before, deadline_after, pay_min, source, status), validated as the list "
        "validates them. `category` and `region` take a list.",
    )
    frequency = serializers.ChoiceField(
        choices=SavedSearch.Frequency.choices, default=SavedSearch.Frequency.DAILY
    )


class SavedSearchOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = StrictCharField()
    filters = serializers.DictField()
    frequency = serializers.ChoiceField(choices=SavedSearch.Frequency.choices)
    last_notified_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SavedSearchPage(CursorPage):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["me"])
class SavedSearchViewSet(viewsets.GenericViewSet):
    serializer_class = SavedSearchOutput
    pagination_class = SavedSearchPage
    lookup_value_regex = UUID_PATTERN
    filter_backends: list[Any] = []

    def get_queryset(self):  # DRF hook
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return SavedSearch.objects.none()
        return selectors.saved_search_list_own(member=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SavedSearchOutput(page, many=True).data)

    @extend_schema(responses={200: SavedSearchOutput, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: str) -> Response:
        found = selectors.saved_search_get_own(member=request.user, saved_search_id=pk)
        return Response(SavedSearchOutput(found).data)

    @extend_schema(request=SavedSearchInput, responses={201: SavedSearchOutput, 400: INVALID})
    def create(self, request: Request) -> Response:
        data = SavedSearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.saved_search_create(member=request.user, **data.validated_data)
        return Response(SavedSearchOutput(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SavedSearchInput, responses={200: SavedSearchOutput, 400: INVALID, 404: NOT_FOUND}
    )
    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        request=SavedSearchInput, responses={200: SavedSearchOutput, 400: INVALID, 404: NOT_FOUND}
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: str, *, partial: bool) -> Response:
        data = SavedSearchInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        updated = services.saved_search_update(
            member=request.user, saved_search_id=pk, **data.validated_data
        )
        return Response(SavedSearchOutput(updated).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def destroy(self, request: Request, pk: str) -> Response:
        services.saved_search_delete(member=request.user, saved_search_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
