"""`me/guardian`, `me/guardian/resend`: open to a child waiting for her guardian
(accounts.authentication lets these through)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.api import guardian_serializers as s
from accounts.services import guardians
from accounts.throttle import client_ip, throttle_check

TOO_MANY = OpenApiResponse(description="Throttled; see Retry-After.")


def _state(request: Request) -> dict:
    record = selectors.guardian_consent_current(member=request.user)
    return s.GuardianStateOutput(s.guardian_state(record)).data


class GuardianView(APIView):
    permission_classes = [IsAuthenticated]
    open_while_pending_guardian = frozenset({"GET", "POST"})

    @extend_schema(tags=["me"], responses={200: s.GuardianStateOutput})
    def get(self, request: Request) -> Response:
        return Response(_state(request))

    @extend_schema(
        tags=["me"],
        request=s.GuardianInput,
        responses={
            201: s.GuardianStateOutput,
            400: OpenApiResponse(),
            409: OpenApiResponse(description="Not a minor, or a guardian already consented."),
            429: TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        data = s.GuardianInput(data=request.data)
        data.is_valid(raise_exception=True)
        throttle_check(
            scope="guardian_request", ip=client_ip(request), address=str(request.user.pk)
        )
        guardians.guardian_request(member=request.user, **data.validated_data)
        return Response(_state(request), status=status.HTTP_201_CREATED)


class GuardianResendView(APIView):
    permission_classes = [IsAuthenticated]
    open_while_pending_guardian = frozenset({"POST"})

    @extend_schema(
        tags=["me"],
        request=None,
        responses={
            202: OpenApiResponse(description="A new code is mailed."),
            409: OpenApiResponse(description="No consent request is waiting."),
            429: TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        throttle_check(scope="guardian_resend", ip=client_ip(request), address=str(request.user.pk))
        guardians.guardian_request_resend(member=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)
