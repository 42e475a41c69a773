"""This app's API endpoints, registered on the project's one router (ohmanager/api_router.py)."""

from django.urls import URLPattern
from rest_framework.routers import SimpleRouter

from auditions.api.recommendations import DismissalViewSet, RecommendedViewSet
from auditions.api.saved_searches import SavedSearchViewSet
from auditions.api.views import AuditionViewSet, BookmarkViewSet


def register(router: SimpleRouter) -> list[URLPattern]:
    """Registers this app's viewsets; returns any plain paths that are not viewsets."""
    # Before "auditions": a literal path first (the catalogue's detail route takes UUIDs only,
    # so they could not collide anyway).
    router.register("auditions/recommended", RecommendedViewSet, basename="audition-recommended")
    router.register("auditions", AuditionViewSet, basename="audition")
    router.register("auditions", DismissalViewSet, basename="audition-dismissal")
    router.register("me/bookmarks", BookmarkViewSet, basename="me-bookmark")
    router.register("me/saved-searches", SavedSearchViewSet, basename="me-saved-search")
    return []
