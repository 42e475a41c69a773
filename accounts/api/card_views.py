"""`me/media` (the profile's video links) and `me/card` (the card's general secret link).
Validate, call one service, answer with an output serializer. Another member's media id is a
404."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import card_serializers as s
from accounts.api.profile_views import INVALID, NOT_FOUND, UUID_REGEX
from accounts.cards import selectors, services
from accounts.models import MediaLink
from ohmanager.exceptions import NotFound
from ohmanager.pagination import CursorPage

MEDIA_INVALID = OpenApiResponse(
    description="Validation error: a URL that is not https on a known video host "
    "(`fields.url`), or `media_limit_reached` (20 per profile)."
)
NO_CARD = OpenApiResponse(description="No live card link (none made, expired or revoked).")


class MediaPage(CursorPage):
    ordering = ("created_at", "id")


@extend_schema(tags=["me"])
class MediaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.MediaOutput
    pagination_class = MediaPage
    lookup_value_regex = UUID_REGEX
    filter_backends: list[Any] = []

    def get_queryset(self):  # DRF hook
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return MediaLink.objects.none()
        return selectors.media_list_own(member_id=self.request.user.pk)

    @extend_schema(request=s.MediaInput, responses={201: s.MediaOutput, 400: MEDIA_INVALID})
    def create(self, request: Request) -> Response:
        data = s.MediaInput(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.media_create(member=request.user, **data.validated_data)
        return Response(s.MediaOutput(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MediaInput, responses={200: s.MediaOutput, 400: MEDIA_INVALID, 404: NOT_FOUND}
    )
    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        request=s.MediaInput, responses={200: s.MediaOutput, 400: MEDIA_INVALID, 404: NOT_FOUND}
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: str, *, partial: bool) -> Response:
        data = s.MediaInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        link = services.media_update(member=request.user, media_id=pk, **data.validated_data)
        return Response(s.MediaOutput(link).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def destroy(self, request: Request, pk: str) -> Response:
        services.media_delete(member=request.user, media_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _card_body(link: Any, url: str) -> dict[str, Any]:
    return {
        "url": url,
        "expires_at": link.expires_at,
        "views": link.views,
        "last_viewed_at": link.last_viewed_at,
    }


class CardLinkView(APIView):
    """My card's general secret link: POST makes a new one (the old URL dies at once), with
    an expiry of 7, 30 or 90 days or none; DELETE revokes it; GET shows it and its views."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["me"], responses={200: s.CardLinkOutput, 404: NO_CARD})
    def get(self, request: Request) -> Response:
        link = selectors.card_link_get_general(member=request.user)
        if link is None:
            raise NotFound("No live card link.", code="card_not_found")
        return Response(s.CardLinkOutput(_card_body(link, services.card_link_url(link))).data)

    @extend_schema(
        tags=["me"], request=s.CardLinkInput, responses={201: s.CardLinkOutput, 400: INVALID}
    )
    def post(self, request: Request) -> Response:
        data = s.CardLinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        issued = services.card_link_rotate(
            member=request.user, expires_in_days=data.validated_data.get("expires_in_days")
        )
        body = _card_body(issued.link, issued.url)
        return Response(s.CardLinkOutput(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["me"], request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        services.card_link_revoke(member=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
