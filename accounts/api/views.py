"""Thin views: throttle, validate, call one service, answer with an output serializer.

The anonymous endpoints carry no authentication classes, so a stale access token in the header
(mobile apps send it everywhere) cannot fail a login or a refresh.
"""

from typing import Any

from django.db import transaction
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api import serializers as s
from accounts.models import MemberSession
from accounts.throttle import client_ip, guess_limited, throttle_check

extend_schema_field(s.ProfileOutput(allow_null=True))(s.MemberOutput.get_profile)

ACCEPTED = OpenApiResponse(description="Accepted; an email is sent if the account exists.")
TOO_MANY = OpenApiResponse(description="Throttled; see Retry-After.")


def _current_session_id(request: Request) -> str | None:
    return request.auth.pk if isinstance(request.auth, MemberSession) else None


class AnonymousView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


class SignupView(AnonymousView):
    @extend_schema(
        tags=["auth"],
        request=s.SignupInput,
        responses={201: s.SignupOutput, 400: OpenApiResponse(), 429: TOO_MANY},
    )
    def post(self, request: Request) -> Response:
        data = s.SignupInput(data=request.data)
        data.is_valid(raise_exception=True)
        throttle_check(scope="signup", ip=client_ip(request), address=data.validated_data["email"])
        language = data.validated_data.get("language") or getattr(request, "LANGUAGE_CODE", None)
        result = services.member_signup(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            birth_date=data.validated_data["birth_date"],
            language=language,
        )
        return Response(s.SignupOutput(result).data, status=status.HTTP_201_CREATED)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class VerifyView(AnonymousView):
    @extend_schema(
        tags=["auth"],
        request=s.CodeInput,
        responses={
            200: s.MemberOutput,
            400: OpenApiResponse(),
            410: OpenApiResponse(),
            429: TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        data = s.CodeInput(data=request.data)
        data.is_valid(raise_exception=True)
        with guess_limited(
            scope="verify", ip=client_ip(request), address=data.validated_data["email"]
        ):
            member = services.member_verify(**data.validated_data)
        member = selectors.member_get_with_profile(member_id=member.pk)
        return Response(s.MemberOutput(member).data)


class VerifyResendView(AnonymousView):
    @extend_schema(tags=["auth"], request=s.EmailInput, responses={202: ACCEPTED, 429: TOO_MANY})
    def post(self, request: Request) -> Response:
        data = s.EmailInput(data=request.data)
        data.is_valid(raise_exception=True)
        throttle_check(scope="resend", ip=client_ip(request), address=data.validated_data["email"])
        services.verification_resend(email=data.validated_data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


class LoginView(AnonymousView):
    @extend_schema(
        tags=["auth"],
        request=s.LoginInput,
        responses={
            200: s.LoginOutput,
            401: OpenApiResponse(),
            403: OpenApiResponse(),
            429: TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        data = s.LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        ip = client_ip(request)
        # Only wrong passwords count against the address, and only this client's block it.
        with guess_limited(scope="login", ip=ip, address=data.validated_data["email"]):
            result = services.session_login(
                email=data.validated_data["email"],
                password=data.validated_data["password"],
                user_agent=request.headers.get("User-Agent", ""),
                ip=ip,
            )
        body = {
            "access": result.tokens.access,
            "refresh": result.tokens.refresh,
            "session": {"id": result.session.id, "expires_at": result.session.expires_at},
        }
        return Response(s.LoginOutput(body).data)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class RefreshView(AnonymousView):
    @extend_schema(
        tags=["auth"],
        request=s.RefreshInput,
        responses={200: s.RefreshOutput, 401: OpenApiResponse()},
    )
    def post(self, request: Request) -> Response:
        data = s.RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        tokens = services.session_refresh(refresh_token=data.validated_data["refresh"])
        return Response(s.RefreshOutput({"access": tokens.access, "refresh": tokens.refresh}).data)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]
    open_while_pending_guardian = frozenset({"POST"})

    @extend_schema(tags=["auth"], request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        session_id = _current_session_id(request)
        if session_id:
            services.session_revoke(session_id=session_id, reason="logout")
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class SessionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The member's own live sessions; deleting one revokes it."""

    permission_classes = [IsAuthenticated]
    open_while_pending_guardian = frozenset({"GET", "DELETE"})
    serializer_class = s.SessionOutput
    ordering = ("-created_at", "-id")
    lookup_value_regex = r"[A-Za-z0-9_\-]+"
    filter_backends: list[Any] = []

    def get_queryset(self):  # DRF hook
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return MemberSession.objects.none()
        return selectors.session_list_live(member=self.request.user)

    @extend_schema(responses={204: None, 404: OpenApiResponse()})
    def destroy(self, request: Request, pk: str) -> Response:
        services.session_revoke_own(member=request.user, session_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(AnonymousView):
    @extend_schema(tags=["auth"], request=s.EmailInput, responses={202: ACCEPTED, 429: TOO_MANY})
    def post(self, request: Request) -> Response:
        data = s.EmailInput(data=request.data)
        data.is_valid(raise_exception=True)
        throttle_check(scope="reset", ip=client_ip(request), address=data.validated_data["email"])
        services.password_reset_request(email=data.validated_data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PasswordResetConfirmView(AnonymousView):
    @extend_schema(
        tags=["auth"],
        request=s.PasswordResetConfirmInput,
        responses={
            200: s.MemberOutput,
            400: OpenApiResponse(),
            410: OpenApiResponse(),
            429: TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordResetConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        # Its own scope: reset requests (however many) never use up the owner's confirmation.
        with guess_limited(
            scope="reset_confirm", ip=client_ip(request), address=data.validated_data["email"]
        ):
            member = services.password_reset_confirm(**data.validated_data)
        member = selectors.member_get_with_profile(member_id=member.pk)
        return Response(s.MemberOutput(member).data)


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        request=s.PasswordChangeInput,
        responses={200: s.PasswordChangeOutput, 400: OpenApiResponse(), 429: TOO_MANY},
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        throttle_check(scope="password_check", ip=client_ip(request), address=str(request.user.pk))
        revoked = services.password_change(
            member=request.user,
            keep_session_id=_current_session_id(request),
            **data.validated_data,
        )
        return Response(s.PasswordChangeOutput({"revoked_sessions": revoked}).data)


class MeView(APIView):
    permission_classes = [IsAuthenticated]
    # She sees her state and may withdraw; changing the account waits for the consent.
    open_while_pending_guardian = frozenset({"GET", "DELETE"})

    @extend_schema(tags=["me"], responses={200: s.MemberOutput})
    def get(self, request: Request) -> Response:
        member = selectors.member_get_with_profile(member_id=request.user.pk)
        return Response(s.MemberOutput(member).data)

    @extend_schema(tags=["me"], request=s.MemberUpdateInput, responses={200: s.MemberOutput})
    def patch(self, request: Request) -> Response:
        data = s.MemberUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.member_update(member=request.user, **data.validated_data)
        member = selectors.member_get_with_profile(member_id=request.user.pk)
        return Response(s.MemberOutput(member).data)

    @extend_schema(
        tags=["me"], request=s.WithdrawInput, responses={204: None, 400: OpenApiResponse()}
    )
    def delete(self, request: Request) -> Response:
        data = s.WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        throttle_check(scope="password_check", ip=client_ip(request), address=str(request.user.pk))
        services.member_withdraw(member=request.user, password=data.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)
