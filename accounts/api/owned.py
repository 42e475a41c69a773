"""The shape of `me/filmography` and `me/media`: the signed-in member's own objects, listed in
cursor pages, read, created, changed (PUT or PATCH) and deleted. A subclass names its
serializers and its three services; every lookup stays within the member's own objects, so
another member's id is a 404."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

# A UUID, hyphens optional: anything else is not an object id and answers 404, not 400.
UUID_REGEX = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
NOT_FOUND = OpenApiResponse(description="Not found, or not yours.")
INVALID = OpenApiResponse(description="Validation error (envelope with `fields`).")


def owned_object_schema(
    input_class: type[Serializer], output_class: type[Serializer], *, invalid: Any = INVALID
) -> Callable[[type], type]:
    """The schema of an OwnedObjectViewSet subclass's writes, with its own serializers."""
    change = extend_schema(
        request=input_class, responses={200: output_class, 400: invalid, 404: NOT_FOUND}
    )
    return extend_schema_view(
        create=extend_schema(request=input_class, responses={201: output_class, 400: invalid}),
        update=change,
        partial_update=change,
        destroy=extend_schema(responses={204: None, 404: NOT_FOUND}),
    )


class OwnedObjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_regex = UUID_REGEX
    filter_backends: list[Any] = []
    input_class: type[Serializer]

    # The services, each given the signed-in member; `pk` is the object's id.
    def create_own(self, member: Any, **fields: Any) -> Any:
        raise NotImplementedError

    def update_own(self, member: Any, pk: str, **fields: Any) -> Any:
        raise NotImplementedError

    def delete_own(self, member: Any, pk: str) -> None:
        raise NotImplementedError

    def _output(self, obj: Any) -> dict[str, Any]:
        return self.get_serializer_class()(obj).data

    def create(self, request: Request) -> Response:
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        obj = self.create_own(request.user, **data.validated_data)
        return Response(self._output(obj), status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=False)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: str, *, partial: bool) -> Response:
        data = self.input_class(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return Response(self._output(self.update_own(request.user, pk, **data.validated_data)))

    def destroy(self, request: Request, pk: str) -> Response:
        self.delete_own(request.user, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
