"""Views and a task that exist only for the platform tests: they exercise the error envelope,
the per-request transaction and on-commit task dispatch through the real middleware stack."""

from celery import shared_task
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import include, path
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from accounts.models import Member
from ohmanager.exceptions import Conflict
from ohmanager.fields import StrictCharField, StrictIntegerField
from ohmanager.urls import urlpatterns as project_urlpatterns

SECRET_DETAIL = "db password is hunter2 at /srv/secret"


@shared_task
def remember(key: str) -> None:
    cache.set(key, "sent", timeout=60)


class EchoInput(serializers.Serializer):
    name = StrictCharField(max_length=5)
    age = StrictIntegerField(min_value=0)


@api_view(["POST"])
@permission_classes([AllowAny])
def echo(request):
    data = EchoInput(data=request.data)
    data.is_valid(raise_exception=True)
    return Response(data.validated_data)


@api_view(["GET"])
@permission_classes([AllowAny])
def boom(request):
    raise RuntimeError(SECRET_DETAIL)


@api_view(["GET"])
@permission_classes([AllowAny])
def conflict(request):
    raise Conflict("That is already taken.", code="already_taken")


@api_view(["GET"])
@permission_classes([AllowAny])
def django_validation(request):
    raise DjangoValidationError({"height_cm": ["Must be between 50 and 250."]})


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def protected(request):
    return Response({"ok": True})


class OncePerMinute(AnonRateThrottle):
    rate = "1/min"
    scope = "test-once"


@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([OncePerMinute])
def throttled(request):
    return Response({"ok": True})


@api_view(["POST"])
@permission_classes([AllowAny])
def write(request):
    Member.objects.create_user(request.data["email"], "a-long-password-1")
    remember.delay_on_commit(request.data["email"])
    if request.data.get("fail"):
        raise Conflict("Failing after the write, on purpose.")
    return Response({"ok": True}, status=201)


def plain_django_boom(request):
    raise RuntimeError(SECRET_DETAIL)


def plain_page(request):
    return HttpResponse("ok")


test_api = [
    path("echo", echo),
    path("boom", boom),
    path("conflict", conflict),
    path("django-validation", django_validation),
    path("protected", protected),
    path("throttled", throttled),
    path("write", write),
    path("plain-boom", plain_django_boom),
]

urlpatterns = [
    path("api/v1/test/", include(test_api)),
    path("plain", plain_page),
    *project_urlpatterns,
]
handler404 = "ohmanager.views.page_not_found"
handler500 = "ohmanager.views.server_error"
