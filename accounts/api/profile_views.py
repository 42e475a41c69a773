"""`me/profile`, `me/photos`, `me/filmography`: validate, call one service, answer with an
output serializer. Every object is looked up within the signed-in member's own: another
member's id is a 404."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import profile_serializers as s
from accounts.api.owned import (
    INVALID,
    NOT_FOUND,
    UUID_REGEX,
    OwnedObjectViewSet,
    owned_object_schema,
)
from accounts.models import Credit
from accounts.profiles import images, selectors, services
from ohmanager.pagination import CursorPage
from ohmanager.throttling import UserRateThrottle

# Multipart framing around the file (boundaries, part headers): generous, still far below 1 MB.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class PhotoUploadThrottle(UserRateThrottle):
    """Uploads per member (`photo_upload` rate, 30/hour by default): each one decodes an image
    (up to ~0.9 s of CPU and ~150 MB), so a member may not hold the web workers with them. Every
    attempt counts, refused ones too: a bad file costs the decoder as much as a good one."""

    scope = "photo_upload"


def _profile_response(member_id: object) -> Response:
    profile = selectors.profile_get_for_member(member_id=member_id)
    return Response(s.ProfileOutput(profile).data)


class ProfileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["me"], responses={200: s.ProfileOutput})
    def get(self, request: Request) -> Response:
        return _profile_response(request.user.pk)

    @extend_schema(
        tags=["me"], request=s.ProfileUpdateInput, responses={200: s.ProfileOutput, 400: INVALID}
    )
    def patch(self, request: Request) -> Response:
        data = s.ProfileUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.profile_update(member=request.user, **data.service_kwargs())
        return _profile_response(request.user.pk)


@extend_schema(tags=["me"])
class PhotoViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.PhotoOutput
    lookup_value_regex = UUID_REGEX
    parser_classes = [MultiPartParser]
    filter_backends: list[Any] = []
    pagination_class = None

    def get_throttles(self):  # DRF hook: the upload limit is on top of the per-member one
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(PhotoUploadThrottle())
        return throttles

    @extend_schema(
        request={"multipart/form-data": s.PhotoUploadInput},
        responses={
            201: s.PhotoOutput,
            400: INVALID,
            413: OpenApiResponse(description="The upload is larger than 10 MB."),
            429: OpenApiResponse(description="Over the member's upload limit; see Retry-After."),
        },
    )
    def create(self, request: Request) -> Response:
        # Refuse a body that declares itself too large before reading any of it.
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > (
            images.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES
        ):
            images.photo_check_size(size=int(declared))
        data = s.PhotoUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.photo_upload(member=request.user, upload=data.validated_data["image"])
        return Response(s.PhotoOutput(photo).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, 404: NOT_FOUND})
    def destroy(self, request: Request, pk: str) -> Response:
        services.photo_delete_own(member=request.user, photo_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: s.PhotoOutput, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="primary", parser_classes=[])
    def primary(self, request: Request, pk: str) -> Response:
        """Makes this photo the primary one (the previous primary stays, as a normal photo)."""
        photo = services.photo_set_primary(member=request.user, photo_id=pk)
        return Response(s.PhotoOutput(photo).data)


class CreditPage(CursorPage):
    # Newest first; the id breaks ties so a cursor never skips or repeats a credit.
    ordering = ("-year", "-created_at", "-id")


@extend_schema(tags=["me"])
@owned_object_schema(s.CreditInput, s.CreditOutput)
class FilmographyViewSet(OwnedObjectViewSet):
    serializer_class = s.CreditOutput
    input_class = s.CreditInput
    pagination_class = CreditPage

    def get_queryset(self):  # DRF hook
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return Credit.objects.none()
        return selectors.credit_list_own(member_id=self.request.user.pk)

    def create_own(self, member: Any, **fields: Any) -> Credit:
        return services.credit_create(member=member, **fields)

    def update_own(self, member: Any, pk: str, **fields: Any) -> Credit:
        return services.credit_update(member=member, credit_id=pk, **fields)

    def delete_own(self, member: Any, pk: str) -> None:
        services.credit_delete(member=member, credit_id=pk)
