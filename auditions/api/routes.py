"""This app's API endpoints, registered on the project's one router (ohmanager/api_router.py)."""

from django.urls import URLPattern
from rest_framework.routers import SimpleRouter

from auditions.api.views import AuditionViewSet, BookmarkViewSet


def register(router: SimpleRouter) -> list[URLPattern]:
    """Registers this app's viewsets; returns any plain paths that are not viewsets."""
    router.register("auditions", AuditionViewSet, basename="audition")
    router.register("me/bookmarks", BookmarkViewSet, basename="me-bookmark")
    return []
