"""`me/media` (the profile's video links) and `me/card` (the card's general secret link).
Validate, call one service, answer with an output serializer. Another member's media id is a
404."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import card_serializers as s
from accounts.api.owned import INVALID, OwnedObjectViewSet, owned_object_schema
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
@owned_object_schema(s.MediaInput, s.MediaOutput, invalid=MEDIA_INVALID)
class MediaViewSet(OwnedObjectViewSet):
    serializer_class = s.MediaOutput
    input_class = s.MediaInput
    pagination_class = MediaPage

    def get_queryset(self):  # DRF hook
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return MediaLink.objects.none()
        return selectors.media_list_own(member_id=self.request.user.pk)

    def create_own(self, member: Any, **fields: Any) -> MediaLink:
        return services.media_create(member=member, **fields)

    def update_own(self, member: Any, pk: str, **fields: Any) -> MediaLink:
        return services.media_update(member=member, media_id=pk, **fields)

    def delete_own(self, member: Any, pk: str) -> None:
        services.media_delete(member=member, media_id=pk)


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
        url = services.card_link_url(link) if link is not None else None
        if link is None or url is None:
            # (A link sealed under a retired key still opens; the member makes a new one.)
            raise NotFound("No live card link.", code="card_not_found")
        return Response(s.CardLinkOutput(_card_body(link, url)).data)

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
